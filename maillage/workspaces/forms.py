from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.territories.models import Perimeter, Territory
from maillage.territories.selectors import territory_search
from maillage.workspaces.models import Role, Workspace

TERRITORY_KINDS = [
    Territory.Kind.COMMUNE,
    Territory.Kind.EPCI,
    Territory.Kind.DEPARTEMENT,
    Territory.Kind.REGION,
    Territory.Kind.ARRONDISSEMENT_MUNICIPAL,
    Territory.Kind.COMMUNE_DELEGUEE,
]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne"))
    role = forms.ChoiceField(label=_("Rôle dans l'espace"), choices=Role.choices, initial=Role.HABITANT)

    def __init__(self, *args, can_grant_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_grant_admin:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.ADMINISTRATEUR]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Détails"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TerritoryField(forms.CharField):
    """A territory typed as text: "Aurillac (15014)" from the suggestions, a code, or a name that matches once."""

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        code = text.rsplit("(", 1)[-1].rstrip(")").strip() if text.endswith(")") else text
        exact = [t for t in territory_search(code, kinds=TERRITORY_KINDS, limit=5) if t.code == code]
        if len(exact) >= 1:
            return exact[0]
        matches = territory_search(text, kinds=TERRITORY_KINDS, limit=6)
        if len(matches) == 1 or (matches and matches[0].name.lower() == text.lower()):
            return matches[0]
        if not matches:
            raise forms.ValidationError(_("Aucun territoire ne correspond à « %(text)s ».") % {"text": text})
        names = ", ".join(f"{t.name} ({t.code})" for t in matches[:5])
        raise forms.ValidationError(
            _("Plusieurs territoires correspondent : %(names)s. Choisissez-en un dans la liste.")
            % {"names": names}
        )


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Nom de l'espace"), max_length=160)
    description = forms.CharField(
        label=_("Présentation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Qui se retrouve ici, pour quoi faire. Quelques phrases simples."),
    )
    territory = TerritoryField(
        label=_("Territoire"),
        required=False,
        help_text=_(
            "Commune, intercommunalité (EPCI), département ou région : tapez un nom, un code postal ou un code INSEE."
        ),
        widget=forms.TextInput(attrs={"list": "territory-options", "autocomplete": "off"}),
    )
    visibility = forms.ChoiceField(
        label=_("Visibilité"),
        choices=Workspace.Visibility.choices,
        initial=Workspace.Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )


class NetworkForm(forms.Form):
    head = forms.ModelChoiceField(
        label=_("Publier vers l'espace"),
        queryset=Workspace.objects.none(),
        help_text=_("Par exemple l'espace du département : il verra ce que cet espace lui publie."),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = queryset


class PerimeterForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du périmètre"), max_length=200, help_text=_("Par exemple « Quartier des Salines ».")
    )
    kind = forms.ChoiceField(label=_("Type"), choices=Perimeter.Kind.choices)
    code = forms.CharField(
        label=_("Code officiel"),
        required=False,
        max_length=40,
        help_text=_("Si le périmètre en a un (code QPV…)."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    commune_codes = forms.CharField(
        label=_("Communes (codes INSEE)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Les codes INSEE des communes du périmètre, séparés par des espaces, virgules ou retours à la ligne."
        ),
    )
    geojson = forms.FileField(
        label=_("Contour (fichier GeoJSON)"),
        required=False,
        help_text=_("Facultatif. Un polygone dessiné dans un logiciel de cartographie, 10 Mo au plus."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("commune_codes", "").strip() and not data.get("geojson"):
            raise forms.ValidationError(_("Donnez au moins une commune ou un contour GeoJSON."))
        return data
