from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.collectives.models import Attendance, Collective, Decision, Feedback, Member
from maillage.collectives.services import normalise_themes
from maillage.territories.models import Perimeter
from maillage.workspaces.forms import TerritoryField

DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}


def _datetime_field(label, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
    )


class CollectiveForm(forms.Form):
    name = forms.CharField(label=_("Nom du collectif"), max_length=160)
    kind = forms.ChoiceField(label=_("Type de collectif"), choices=Collective.Kind.choices)
    purpose = forms.CharField(
        label=_("Ce que le groupe veut faire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("En quelques phrases simples."),
    )
    origin = forms.ChoiceField(
        label=_("D'où vient le groupe"),
        choices=Collective.Origin.choices,
        initial=Collective.Origin.SPONTANEOUS,
        widget=forms.RadioSelect,
    )
    origin_label = forms.CharField(
        label=_("Précision sur l'origine"),
        required=False,
        max_length=200,
        help_text=_("Par exemple « Atelier de l'Avenir du 12 mars » ou « Préconisation 3 du diagnostic »."),
    )
    themes = forms.CharField(
        label=_("Thèmes"),
        required=False,
        help_text=_("Quelques mots séparés par des virgules : santé, jardins, mobilité…"),
    )
    work_model = forms.ChoiceField(
        label=_("Modèle de travail collectif"),
        required=False,
        choices=[("", _("— Pas précisé —")), *Collective.WorkModel.choices],
    )
    perimeter = forms.ModelChoiceField(
        label=_("Périmètre"), required=False, queryset=Perimeter.objects.none(), empty_label=_("— Aucun —")
    )
    territory = TerritoryField(
        label=_("Territoire"),
        required=False,
        help_text=_("Commune, intercommunalité (EPCI), département : un nom ou un code INSEE."),
    )
    join = forms.BooleanField(
        label=_("Je fais partie du groupe, comme professionnel ou professionnelle"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perimeter"].queryset = Perimeter.objects.filter(
            Q(workspace=workspace) | Q(workspace__isnull=True)
        ).order_by("name")

    def clean_themes(self):
        try:
            return normalise_themes(self.cleaned_data["themes"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error


class SettingsForm(forms.Form):
    composition_target = forms.IntegerField(
        label=_("Part minimale d'habitants et de personnes accompagnées (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_(
            "Le groupe la fixe lui-même, par exemple 50. Laissez vide pour ne pas suivre cette part."
        ),
    )
    retour_delay_days = forms.IntegerField(
        label=_("Délai pour faire un retour sur une proposition (jours)"), min_value=1, max_value=365
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Nouvelle étape"), choices=Collective.Stage.choices)
    note = forms.CharField(
        label=_("Pourquoi (facultatif)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MemberForm(forms.Form):
    """A member with an account (chosen among the workspace's members) or without (pseudonym + consent)."""

    user = forms.ModelChoiceField(
        label=_("Personne inscrite dans l'espace"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=_("— Personne sans compte —"),
    )
    pseudonym = forms.CharField(
        label=_("Prénom ou pseudonyme"),
        required=False,
        max_length=80,
        help_text=_("Pour une personne sans compte : ce que les autres membres verront."),
    )
    contact = forms.CharField(
        label=_("Moyen de la joindre (facultatif)"),
        required=False,
        max_length=200,
        help_text=_("Téléphone ou e-mail. Seuls les animateurs et animatrices le voient."),
    )
    consent = forms.BooleanField(
        label=_(
            "La personne est d'accord pour figurer dans le collectif (et pour être recontactée si elle a donné un moyen de la joindre)"
        ),
        required=False,
    )
    category = forms.ChoiceField(label=_("Vient comme"), choices=Member.Category.choices)
    is_relay = forms.BooleanField(label=_("Personne relais"), required=False)
    joined_on = forms.DateField(
        label=_("Arrivée dans le groupe"),
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )

    def __init__(self, *args, collective, **kwargs):
        super().__init__(*args, **kwargs)
        already = Member.objects.filter(collective=collective, user__isnull=False, left_on__isnull=True)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__workspace=collective.workspace)
            .exclude(pk__in=already.values("user_id"))
            .order_by("display_name")
        )
        self.fields["user"].label_from_instance = lambda u: u.display_label

    def clean(self):
        data = super().clean()
        if data.get("user") is None:
            if not data.get("pseudonym", "").strip():
                self.add_error(
                    "pseudonym", _("Choisissez une personne inscrite, ou donnez un prénom ou pseudonyme.")
                )
            if not data.get("consent"):
                self.add_error("consent", _("Sans son accord, la personne ne peut pas être inscrite."))
        return data


class SessionForm(forms.Form):
    starts_at = _datetime_field(_("Date et heure"), help_text=_("Par exemple 14/03/2027 18:30."))
    place = forms.CharField(label=_("Lieu"), required=False, max_length=200)
    agenda = forms.CharField(
        label=_("Ordre du jour"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    objectives = forms.CharField(
        label=_("Objectifs de la séance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Repris des objectifs fixés à la fin de la séance précédente ; vous pouvez les préciser."
        ),
    )


class CloseSessionForm(forms.Form):
    minutes = forms.CharField(
        label=_("Compte rendu"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    next_objectives = forms.CharField(
        label=_("Objectifs de la prochaine séance"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire : chacun repart en sachant ce qui vient."),
        error_messages={"required": _("Fixez les objectifs de la prochaine séance avant de clore celle-ci.")},
    )
    next_starts_at = _datetime_field(
        _("Date de la prochaine séance (facultatif)"),
        required=False,
        help_text=_("Par exemple 28/03/2027 18:30."),
    )
    next_place = forms.CharField(label=_("Lieu de la prochaine séance"), required=False, max_length=200)


class AttendanceForm(forms.Form):
    """One radio group per expected member: present, excused or absent."""

    def __init__(self, *args, members, initial_statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for m in members:
            self.fields[f"m{m.pk}"] = forms.ChoiceField(
                label=m.display_name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=initial_statuses.get(m.pk),
                error_messages={"required": _("Indiquez présent·e, excusé·e ou absent·e.")},
            )

    def rows(self):
        return [(m, self[f"m{m.pk}"]) for m in self.members]

    def statuses(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"m{m.pk}"] for m in self.members}


class FeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Comment s'est passée la séance pour vous ?"),
        choices=Feedback.Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une des cinq réponses.")},
    )
    comment = forms.CharField(label=_("Un mot ? (facultatif)"), required=False, max_length=300)
    on_paper = forms.BooleanField(label=_("Avis recueilli sur papier (anonyme)"), required=False)


class ProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Votre proposition"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Écrivez la proposition.")},
    )
    author = forms.ModelChoiceField(
        label=_("De la part de (saisie pour une autre personne)"),
        required=False,
        queryset=Member.objects.none(),
        empty_label=_("— Moi —"),
    )

    def __init__(self, *args, collective, can_type_for_others, **kwargs):
        super().__init__(*args, **kwargs)
        if can_type_for_others:
            self.fields["author"].queryset = collective.members.filter(left_on__isnull=True).select_related(
                "user"
            )
            self.fields["author"].label_from_instance = lambda m: m.display_name
        else:
            del self.fields["author"]


class RetourForm(forms.Form):
    retour = forms.CharField(
        label=_("Ce qu'est devenue la proposition"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Dites ce qu'est devenue la proposition.")},
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Décision"), widget=forms.Textarea(attrs={"rows": 3}))
    level = forms.ChoiceField(
        label=_("Niveau de participation"),
        choices=Decision.Level.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Information : on informe. Consultation : on demande l'avis. Co-construction : on élabore ensemble. "
            "Codécision : on décide ensemble."
        ),
    )
    method = forms.ChoiceField(
        label=_("Façon de décider"), choices=Decision.Method.choices, widget=forms.RadioSelect
    )
    result = forms.CharField(
        label=_("Résultat"),
        required=False,
        max_length=300,
        help_text=_("Par exemple « adoptée, 12 pour, 2 contre »."),
    )
    session = forms.ModelChoiceField(
        label=_("Séance"),
        required=False,
        queryset=None,
        empty_label=_("— En dehors d'une séance —"),
        help_text=_("Les personnes présentes à la séance seront notées comme ayant pris part."),
    )
    decided_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )

    def __init__(self, *args, collective, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = collective.sessions.order_by("-starts_at")
        self.fields["session"].label_from_instance = lambda s: (
            timezone.localtime(s.starts_at).strftime("%d/%m/%Y %H:%M") + (f" — {s.place}" if s.place else "")
        )
        self.proposals = proposals
        for p in proposals:
            self.fields[f"answers_{p.pk}"] = forms.BooleanField(
                label=_("Cette décision répond à la proposition"), required=False
            )
            self.fields[f"retour_{p.pk}"] = forms.CharField(
                label=_("Ce qu'elle devient"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def proposal_rows(self):
        return [(p, self[f"answers_{p.pk}"], self[f"retour_{p.pk}"]) for p in self.proposals]

    def clean(self):
        data = super().clean()
        for p in self.proposals:
            if data.get(f"answers_{p.pk}") and not data.get(f"retour_{p.pk}", "").strip():
                self.add_error(f"retour_{p.pk}", _("Dites à la personne ce que devient sa proposition."))
        return data

    def answers(self) -> dict:
        return {
            p: self.cleaned_data[f"retour_{p.pk}"]
            for p in self.proposals
            if self.cleaned_data.get(f"answers_{p.pk}")
        }
