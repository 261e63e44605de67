import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.workshops.models import MAX_TEXT, Participant

DATETIME = {"type": "datetime-local"}


class WorkshopForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Modèle"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Titre de l'atelier"), max_length=160)
    dots_per_participant = forms.IntegerField(
        label=_("Gommettes par personne et par phase"), min_value=0, max_value=50, initial=5
    )
    starts_at = forms.DateTimeField(
        label=_("Date et heure"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Nom du modèle"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PhaseForm(forms.Form):
    title = forms.CharField(label=_("Titre de la phase"), max_length=120, required=False)
    prompt = forms.CharField(label=_("Consigne"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=1, max_value=600, initial=20)
    can_post = forms.BooleanField(label=_("Écrire des post-it"), required=False, initial=True)
    can_vote = forms.BooleanField(label=_("Voter avec des gommettes"), required=False)
    can_group = forms.BooleanField(label=_("Regrouper"), required=False)
    can_sign_up = forms.BooleanField(label=_("S'inscrire à un projet"), required=False)
    participants_see_posts = forms.BooleanField(
        label=_("Les participants voient les post-it des autres"), required=False, initial=True
    )


PhaseFormSet = forms.formset_factory(PhaseForm, extra=5, max_num=12)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code de l'atelier"),
        max_length=20,
        help_text=_("Les 6 lettres et chiffres affichés sur l'écran."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class JoinForm(forms.Form):
    display_name = forms.CharField(
        label=_("Prénom ou pseudonyme"), max_length=60, help_text=_("Ce que les autres verront.")
    )
    role_as = forms.ChoiceField(
        label=_("Vous venez en tant que"), choices=Participant.RoleAs.choices, widget=forms.RadioSelect
    )
    first_time = forms.BooleanField(label=_("C'est la première fois que je participe"), required=False)
    contact = forms.CharField(
        label=_("Un moyen de vous joindre (facultatif)"),
        max_length=200,
        required=False,
        help_text=_("Téléphone ou e-mail, pour rejoindre un groupe projet. Seuls les animateurs le verront."),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que mon prénom et mes post-it apparaissent pendant l'atelier et dans son compte rendu"
        ),
        required=True,
    )


class PostForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Votre post-it"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"client_id": uuid.uuid4()})
        super().__init__(*args, **kwargs)


class ScribeForm(PostForm):
    on_behalf_of = forms.TypedChoiceField(label=_("Pour qui ?"), coerce=int, required=False)
    new_name = forms.CharField(label=_("Ou une nouvelle personne : prénom"), max_length=60, required=False)
    new_role = forms.ChoiceField(
        label=_("Elle vient en tant que"), choices=Participant.RoleAs.choices, required=False
    )
    new_consent = forms.BooleanField(
        label=_("Elle est d'accord pour participer sous ce prénom"), required=False
    )
    field_order = ["on_behalf_of", "new_name", "new_role", "new_consent", "text", "client_id"]

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"].choices = [("", _("— choisir —"))] + [
            (p.pk, p.display_name) for p in participants
        ]


class NextMeetingForm(forms.Form):
    next_meeting_at = forms.DateTimeField(
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs=DATETIME),
    )
