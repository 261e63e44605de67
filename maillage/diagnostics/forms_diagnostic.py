"""Forms of the diagnostic partagé. Validation of meaning stays in the services; forms parse and explain."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.diagnostics.models_diagnostic import Diagnostic, Item, Step, TeamMember, Theme
from maillage.directory.models import Place, Service, Structure
from maillage.territories.models import Perimeter, Territory
from maillage.territories.selectors import territory_search

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def resolve_territory(text: str) -> Territory | None:
    """An official code (INSEE, SIREN of an EPCI, département) or the best match for a name."""
    text = text.strip()
    if not text:
        return None
    by_code = Territory.objects.filter(code=text.upper()).order_by("kind")
    preferred = {Territory.Kind.COMMUNE: 0, Territory.Kind.EPCI: 1, Territory.Kind.DEPARTEMENT: 2}
    found = sorted(by_code, key=lambda t: preferred.get(t.kind, 9))
    if found:
        return found[0]
    matches = territory_search(text, limit=1)
    return matches[0] if matches else None


class AreaMixin(forms.Form):
    territoire = forms.CharField(
        label=_("Territoire"),
        required=False,
        max_length=200,
        help_text=_("Le nom ou le code d'une commune, d'une intercommunalité ou d'un département."),
    )
    perimetre = forms.ModelChoiceField(
        label=_("ou périmètre"),
        required=False,
        queryset=Perimeter.objects.none(),
        empty_label=_("— aucun : utiliser le territoire —"),
        help_text=_(
            "Un quartier, un QPV (quartier prioritaire de la politique de la ville), un bassin de vie…"
        ),
    )

    def __init__(self, *args, workspace=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        self.fields["perimetre"].queryset = Perimeter.objects.filter(
            Q(workspace=workspace) | Q(workspace__isnull=True)
        ).order_by("name")

    def clean(self):
        data = super().clean()
        text, perimeter = data.get("territoire", ""), data.get("perimetre")
        data["territory"] = None
        if perimeter is None:
            territory = resolve_territory(text or "")
            if territory is None:
                self.add_error(
                    "territoire",
                    _(
                        "Aucun territoire ne correspond : vérifiez le nom ou le code, ou choisissez un périmètre."
                    )
                    if text
                    else _("Choisissez un territoire ou un périmètre."),
                )
            data["territory"] = territory
        return data


class DiagnosticCreateForm(AreaMixin):
    title = forms.CharField(label=_("Titre du diagnostic"), max_length=200)
    summary = forms.CharField(
        label=_("En quelques mots"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    themes = forms.MultipleChoiceField(
        label=_("Thèmes"), choices=Theme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    visibility = forms.ChoiceField(
        label=_("Visibilité"), choices=Diagnostic.Visibility.choices, initial=Diagnostic.Visibility.MEMBERS
    )

    field_order = ["title", "territoire", "perimetre", "themes", "summary", "visibility"]


class DiagnosticSettingsForm(forms.Form):
    title = forms.CharField(label=_("Titre du diagnostic"), max_length=200)
    summary = forms.CharField(label=_("Résumé"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    themes = forms.MultipleChoiceField(
        label=_("Thèmes"), choices=Theme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    visibility = forms.ChoiceField(label=_("Visibilité"), choices=Diagnostic.Visibility.choices)
    restricted_sections = forms.MultipleChoiceField(
        label=_("Sections réservées à l'équipe (absentes du document public)"),
        choices=Item.Section.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    dots_per_person = forms.IntegerField(
        label=_("Gommettes par personne pour le vote"), min_value=1, max_value=20
    )
    accepts_contributions = forms.BooleanField(
        label=_("Accepter les contributions sans compte (formulaire public et QR code)"), required=False
    )


class ItemForm(forms.Form):
    """One form for every section; the fields that do not apply are removed."""

    title = forms.CharField(label=_("Intitulé"), max_length=200)
    body = forms.CharField(label=_("Texte"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    indicator = forms.ModelChoiceField(label=_("Indicateur de l'observatoire"), queryset=None, required=False)
    resource_kind = forms.ChoiceField(
        label=_("Type de ressource"), choices=[("", "—"), *Item.ResourceKind.choices], required=False
    )
    structure = forms.ModelChoiceField(label=_("Structure de l'annuaire"), queryset=None, required=False)
    place = forms.ModelChoiceField(label=_("Lieu de l'annuaire"), queryset=None, required=False)
    service = forms.ModelChoiceField(label=_("Service de l'annuaire"), queryset=None, required=False)
    enjeux = forms.ModelMultipleChoiceField(
        label=_("Enjeux auxquels elle répond"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    speaker = forms.CharField(
        label=_("Saisi pour (parole de)"),
        required=False,
        max_length=160,
        help_text=_(
            "Quand vous tapez ce qu'une autre personne a dit ou écrit : son prénom, un pseudonyme ou "
            "« groupe de parents ». Laissez vide si c'est votre propre apport."
        ),
    )
    method = forms.ChoiceField(
        label=_("Recueilli comment"), choices=[("", "—"), *Item.Method.choices], required=False
    )
    collected_on = forms.DateField(label=_("Recueilli le"), required=False, widget=DATE_INPUT)

    SECTION_FIELDS = {
        Item.Section.DONNEES: {"indicator"},
        Item.Section.RESSOURCES: {"resource_kind", "structure", "place", "service"},
        Item.Section.ACTEURS: {"structure"},
        Item.Section.PRECONISATIONS: {"enjeux"},
    }
    OPTIONAL = {"indicator", "resource_kind", "structure", "place", "service", "enjeux"}

    def __init__(self, *args, diagnostic: Diagnostic, section: str, can_type_for_others: bool, **kwargs):
        kwargs.setdefault("auto_id", f"id_{section}_%s")  # one form per section on the same page
        super().__init__(*args, **kwargs)
        from maillage.diagnostics.models import Indicator

        self.section = section
        keep = self.SECTION_FIELDS.get(section, set())
        for name in self.OPTIONAL - keep:
            del self.fields[name]
        if not can_type_for_others:
            del self.fields["speaker"]
        ws = diagnostic.workspace_id
        querysets = {
            "indicator": Indicator.objects.order_by("position"),
            "structure": Structure.objects.filter(workspace_id=ws).order_by("name"),
            "place": Place.objects.filter(workspace_id=ws).order_by("name"),
            "service": Service.objects.filter(workspace_id=ws).order_by("nom"),
            "enjeux": diagnostic.items.filter(section=Item.Section.ENJEUX, status=Item.Status.PUBLISHED),
        }
        for name, queryset in querysets.items():
            if name in self.fields:
                self.fields[name].queryset = queryset
        if "indicator" in self.fields:
            self.fields["indicator"].required = True
        if "enjeux" in self.fields:
            self.fields["enjeux"].required = True

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("title")
        data.pop("enjeux", None)
        return data


class StepForm(forms.Form):
    date = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)
    done = forms.BooleanField(label=_("Faite"), required=False)
    note = forms.CharField(label=_("Précision"), required=False, max_length=200)

    def __init__(self, *args, step: Step, **kwargs):
        kwargs.setdefault("prefix", step.kind)
        kwargs.setdefault("initial", {"date": step.date, "done": step.done, "note": step.note})
        super().__init__(*args, **kwargs)
        self.step = step


class TeamForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Un membre de l'espace"), queryset=None, required=False)
    name = forms.CharField(label=_("ou un nom (partenaire sans compte)"), required=False, max_length=120)
    organisation = forms.CharField(label=_("Structure"), required=False, max_length=160)
    role = forms.ChoiceField(label=_("Rôle dans l'équipe"), choices=TeamMember.Role.choices)

    def __init__(self, *args, diagnostic: Diagnostic, **kwargs):
        super().__init__(*args, **kwargs)
        from maillage.accounts.models import User

        self.fields["user"].queryset = User.objects.filter(
            memberships__workspace=diagnostic.workspace
        ).order_by("display_name")
        self.fields["user"].label_from_instance = lambda u: u.display_name


class ParticipantVoteForm(forms.Form):
    participant = forms.CharField(label=_("Participant ou participante"), max_length=120)
    role = forms.ChoiceField(
        label=_("Rôle"), choices=TeamMember.Role.choices, initial=TeamMember.Role.HABITANT
    )
    dots = forms.IntegerField(label=_("Gommettes"), min_value=1, max_value=20)


class PublicContributionForm(forms.Form):
    section = forms.ChoiceField(
        label=_("Vous voulez partager"),
        choices=[
            (Item.Section.PAROLES, _("Un constat : ce que vous vivez ou voyez dans le quartier")),
            (
                Item.Section.RESSOURCES,
                _("Une ressource : un lieu, une personne, un savoir-faire, une initiative"),
            ),
        ],
        widget=forms.RadioSelect,
        initial=Item.Section.PAROLES,
    )
    text = forms.CharField(
        label=_("Votre message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    pseudonym = forms.CharField(
        label=_("Votre prénom ou un pseudonyme"),
        max_length=80,
        help_text=_("Il sera affiché avec votre message. Inutile de donner votre nom."),
    )
    consent = forms.BooleanField(
        label=_("J'accepte que mon message et mon pseudonyme figurent dans le diagnostic partagé."),
    )
    # Honeypot: hidden from people (CSS class + aria-hidden wrapper), filled by robots.
    website = forms.CharField(label=_("Ne pas remplir"), required=False)
