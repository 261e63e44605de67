"""Forms for the charter, action plan, members' handover, attestations, minutes, coordination and the
collectifs locaux de développement social."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.collectives.forms import DATE
from maillage.collectives.models import (
    Collective,
    FundingLine,
    LocalDSParticipant,
    Member,
    Task,
)
from maillage.collectives.services.attestations import skills


def _date_field(label, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )


NOBODY = _("— Personne —")


def _member_field(label, collective, *, required=False, empty=NOBODY, exclude=None):
    qs = collective.members.exclude(left_on__lte=timezone.localdate()).select_related("user")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    field = forms.ModelChoiceField(label=label, required=required, queryset=qs, empty_label=empty)
    field.label_from_instance = lambda m: m.display_name
    return field


class VersionedTextForm(forms.Form):
    """Text co-edited with a version number: a stale save is refused, the typed text is kept."""

    text = forms.CharField(label=_("Texte"), required=False, widget=forms.Textarea(attrs={"rows": 14}))
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label


class CharterForm(VersionedTextForm):
    note = forms.CharField(
        label=_("Ce qui a changé (facultatif)"),
        required=False,
        max_length=200,
        help_text=_("Par exemple « ajout de la règle sur les retards »."),
    )


class AdoptForm(forms.Form):
    decision = forms.ModelChoiceField(
        label=_("Décision du groupe qui adopte la charte"),
        queryset=None,
        help_text=_("Enregistrez d'abord la décision (par exemple une codécision en séance)."),
    )

    def __init__(self, *args, collective, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = collective.decisions.order_by("-decided_on", "-pk")
        self.fields["decision"].empty_label = None  # the latest decision comes first
        self.fields["decision"].label_from_instance = lambda d: f"{d.decided_on:%d/%m/%Y} — {d.text[:80]}"


class SignForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Membre qui signe"), queryset=None)
    signed_on = _date_field(_("Signée le"), required=True)

    def __init__(self, *args, collective, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"] = _member_field(_("Membre qui signe"), collective, required=True, empty=None)
        self.fields["signed_on"].initial = timezone.localdate


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Tâche"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Qui s'en occupe"), queryset=Member.objects.none(), required=False)
    due_on = _date_field(_("Pour le (facultatif)"))
    description = forms.CharField(
        label=_("Précisions (facultatif)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, collective, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _member_field(_("Qui s'en occupe"), collective)


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("État"), choices=Task.Status.choices)


class FundingForm(forms.Form):
    label = forms.CharField(label=_("Ligne budgétaire"), max_length=200, help_text=_("À quoi sert l'argent."))
    funder = forms.ModelChoiceField(
        label=_("Financeur de l'annuaire"),
        required=False,
        queryset=None,
        empty_label=_("— Pas dans l'annuaire —"),
    )
    funder_name = forms.CharField(label=_("Ou nom du financeur"), required=False, max_length=200)
    amount_requested = forms.DecimalField(
        label=_("Montant demandé (€)"), min_value=0, max_digits=12, decimal_places=2
    )
    amount_obtained = forms.DecimalField(
        label=_("Montant obtenu (€, facultatif)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    status = forms.ChoiceField(label=_("État"), choices=FundingLine.Status.choices)
    note = forms.CharField(label=_("Remarque (facultatif)"), required=False, max_length=300)

    def __init__(self, *args, collective, **kwargs):
        from maillage.directory.models import Structure

        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = Structure.objects.filter(workspace=collective.workspace).order_by(
            "name"
        )


class LeaveForm(forms.Form):
    left_on = _date_field(_("Date de départ"), help_text=_("Aujourd’hui si vide."))
    handover_note = forms.CharField(
        label=_("Note de passation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Obligatoire pour un professionnel : où en est le groupe, les contacts utiles, ce qui reste à faire. "
            "Le groupe et la personne qui prend le relais la verront."
        ),
    )
    handover_to = forms.ModelChoiceField(label=_("Passe le relais à"), queryset=None, required=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handover_to"] = _member_field(
            _("Passe le relais à (facultatif : sinon son binôme)"), member.collective, exclude=member
        )
        self.fields["left_on"].initial = timezone.localdate


class BinomeForm(forms.Form):
    binome = forms.ModelChoiceField(label=_("Binôme"), queryset=None, required=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["binome"] = _member_field(
            _("Binôme"), member.collective, exclude=member, empty=_("— Aucun —")
        )


class ReferentForm(forms.Form):
    referent = forms.ModelChoiceField(label=_("Référent ou référente"), queryset=None, required=False)

    def __init__(self, *args, collective, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"] = _member_field(_("Référent ou référente"), collective, empty=_("— Aucun —"))


class AttestationForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Pour"), queryset=None)
    skills = forms.MultipleChoiceField(
        label=_("Compétences développées"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    extra_roles = forms.CharField(
        label=_("Autres rôles tenus (facultatif, un par ligne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Par exemple « secrétaire de séance », « trésorière »."),
    )

    def __init__(self, *args, collective, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"] = _member_field(_("Pour"), collective, required=True, empty=None)
        self.fields["skills"].choices = list(skills().items())

    def roles(self) -> list[str]:
        return [line for line in self.cleaned_data["extra_roles"].splitlines() if line.strip()]


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=40,
        help_text=_("Il figure en bas de l'attestation, par exemple ABCD-EFGH-JKMN-PQRS."),
    )


class CoordinationForm(forms.Form):
    collectives = forms.ModelMultipleChoiceField(
        label=_("Collectifs coordonnés"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collectives"].queryset = Collective.objects.filter(
            workspace=committee.workspace
        ).exclude(pk=committee.pk)


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Nom du collectif local"), max_length=160)
    project = forms.CharField(label=_("Projet"), widget=forms.Textarea(attrs={"rows": 4}))
    departement_code = forms.CharField(
        label=_("Code du département"), max_length=3, help_text=_("Par exemple 17, 2A ou 974.")
    )
    year = forms.IntegerField(
        label=_("Année"), min_value=2000, max_value=2100, initial=lambda: date.today().year
    )
    amount_requested = forms.DecimalField(
        label=_("Financement annuel demandé (€)"), min_value=0, max_digits=12, decimal_places=2
    )


class ParticipantForm(forms.Form):
    kind = forms.ChoiceField(label=_("Qualité"), choices=LocalDSParticipant.Kind.choices)
    name = forms.CharField(label=_("Nom (personne ou association)"), max_length=160)
    organisation = forms.CharField(
        label=_("Institution ou structure (facultatif)"), required=False, max_length=160
    )


class DecideForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Décision de l'instance départementale"),
        choices=[("approve", _("Approuver")), ("reject", _("Rejeter"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Motifs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoires en cas de rejet : ce que le collectif doit changer."),
    )


class ProgrammeForm(forms.Form):
    departement_code = forms.CharField(label=_("Code du département"), max_length=3)
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    quota = forms.IntegerField(label=_("Nombre de projets retenus au plus"), min_value=1, max_value=1000)
    budget_cap = forms.DecimalField(
        label=_("Enveloppe totale (€)"), min_value=0, max_digits=12, decimal_places=2
    )


class FundingReportForm(forms.Form):
    amount_paid = forms.DecimalField(
        label=_("Montant versé (€)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    report = forms.CharField(
        label=_("Bilan de l'année"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResultsForm(forms.Form):
    results = forms.CharField(
        label=_("Résultats du collectif local"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qui a changé, pour qui : mis en commun au niveau du département."),
    )
