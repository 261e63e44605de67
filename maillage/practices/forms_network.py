"""Forms of the import review, the workflow, the contact form and working groups."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.practices.documents import ALLOWED
from maillage.practices.models import Practice
from maillage.practices.services_workflow import SECTIONS


class UploadForm(forms.Form):
    document = forms.FileField(
        label=_("Document décrivant une ou plusieurs pratiques"),
        help_text=_("Texte (.txt), Markdown (.md), PDF (.pdf) ou Word (.docx). 10 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{e}" for e in sorted(ALLOWED))}),
    )


class CorrectionForm(forms.Form):
    value = forms.CharField(
        label=_("Texte corrigé"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Practice.Status.choices, widget=forms.HiddenInput)
    scope = forms.ChoiceField(
        label=_("Publier pour"), choices=Practice.Scope.choices, required=False, widget=forms.RadioSelect
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    sends_back = forms.BooleanField(
        label=_("Renvoyer cette rubrique à l'auteur pour la reprendre"), required=False
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Votre réponse"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


def section_form(section: str, practice: Practice, data=None) -> forms.Form:
    """A form with the fields of one section, pre-filled from the practice."""
    names = SECTIONS[section][1]
    fields = {}
    for name in names:
        model_field = Practice._meta.get_field(name)
        if name in ("title", "action_name", "licence"):
            fields[name] = forms.CharField(
                label=model_field.verbose_name, max_length=300, required=name == "title"
            )
        else:
            fields[name] = forms.CharField(
                label=model_field.verbose_name, required=False, widget=forms.Textarea(attrs={"rows": 8})
            )
    form_class = type("SectionForm", (forms.Form,), fields)
    return form_class(data=data, initial={n: getattr(practice, n) for n in names}, prefix=section)


class ContactForm(forms.Form):
    message = forms.CharField(
        label=_("Votre message"),
        help_text=_(
            "Présentez-vous et dites ce que vous aimeriez savoir. Le porteur vous répondra à votre adresse "
            "de connexion ; la sienne ne vous est pas montrée."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Nom du groupe"), max_length=160)
    description = forms.CharField(
        label=_("De quoi parle le groupe ?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail de la personne"),
        help_text=_("Elle doit déjà être inscrite dans un espace, quel qu'il soit."),
    )


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Sujet"), max_length=200)
    practice = forms.ChoiceField(label=_("Pratique discutée"), required=False)
    text = forms.CharField(label=_("Premier message"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, practices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].choices = [("", _("Aucune"))] + [(p.slug, p.title) for p in practices]


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 3}))


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document à partager"),
        help_text=_("PDF, texte, tableur, image ou document Word. 10 Mo au plus."),
    )


class LinkPracticeForm(forms.Form):
    practice = forms.SlugField(label=_("Adresse courte de la pratique"), max_length=120)
