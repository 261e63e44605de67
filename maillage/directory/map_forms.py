"""Forms of the actor-map wizard (OUTIL 4) and of the cartopartie page."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maillage.directory.choices import Scale, Stage
from maillage.directory.maps import MAX_LEGEND, candidate_structures, people_for, schemes_for
from maillage.directory.models import (
    ActorMap,
    ActorMapMember,
    Intervention,
    LinkKind,
    Network,
    ProposalStatus,
)
from maillage.territories.models import Perimeter, Territory
from maillage.territories.selectors import COMMUNE_KINDS

BLANK = [("", "—")]
LEGEND_ROWS = 6


def parse_territory_codes(text: str) -> list[Territory]:
    """ "17093 241700624 17" → communes (INSEE), EPCI (SIREN), départements; a French error for unknown codes."""
    found, unknown = [], []
    for code in (text or "").replace(",", " ").split():
        code = code.upper()
        kinds = (
            [Territory.Kind.EPCI]
            if len(code) == 9
            else COMMUNE_KINDS
            if len(code) == 5
            else [Territory.Kind.DEPARTEMENT, Territory.Kind.REGION]
        )
        territory = Territory.objects.filter(kind__in=kinds, code=code).order_by("kind").first()
        (found if territory else unknown).append(territory or code)
    if unknown:
        raise ValidationError(_("Codes inconnus : %(codes)s.") % {"codes": ", ".join(unknown)})
    return found


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PurposeForm(VersionedForm):
    """Step 1: what the map is for, and the legend the group chooses."""

    name = forms.CharField(label=_("Nom de la carte"), max_length=150)
    purpose = forms.CharField(
        label=_("À quoi va servir cette carte ?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Par exemple : préparer la convention territoriale globale, accueillir les nouveaux habitants."
        ),
    )

    def __init__(self, *args, legend=(), **kwargs):
        super().__init__(*args, **kwargs)
        legend = list(legend)
        for i in range(LEGEND_ROWS):
            item = legend[i] if i < len(legend) else {}
            self.fields[f"legend_label_{i}"] = forms.CharField(
                label=_("Nom de la catégorie %(n)d") % {"n": i + 1},
                max_length=60,
                required=False,
                initial=item.get("label", ""),
            )
            self.fields[f"legend_colour_{i}"] = forms.CharField(
                label=_("Couleur de la catégorie %(n)d") % {"n": i + 1},
                max_length=7,
                required=False,
                initial=item.get("colour", "#1d4ed8"),
                widget=forms.TextInput(attrs={"type": "color"}),
            )
            self.fields[f"legend_key_{i}"] = forms.CharField(
                required=False, initial=item.get("key", ""), widget=forms.HiddenInput
            )

    @property
    def legend_rows(self):
        return [
            (self[f"legend_label_{i}"], self[f"legend_colour_{i}"], self[f"legend_key_{i}"])
            for i in range(LEGEND_ROWS)
        ]

    def legend_items(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"key": d[f"legend_key_{i}"], "label": d[f"legend_label_{i}"], "colour": d[f"legend_colour_{i}"]}
            for i in range(min(LEGEND_ROWS, MAX_LEGEND))
        ]


class PerimeterForm(VersionedForm):
    codes = forms.CharField(
        label=_("Quel est votre périmètre de travail ?"),
        required=False,
        help_text=_(
            "Codes des communes (INSEE), intercommunalités (SIREN) ou départements, séparés par des espaces. "
            "Par exemple : 17093 241700624."
        ),
    )
    perimeters = forms.ModelMultipleChoiceField(
        label=_("Périmètres de projet (quartiers, bassins de vie…)"),
        queryset=Perimeter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    perimeter_note = forms.CharField(
        label=_("En mots simples"),
        max_length=255,
        required=False,
        help_text=_(
            "Un périmètre qui ne suit pas les limites administratives : « le sud de l'île et le bourg »."
        ),
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perimeters"].queryset = Perimeter.objects.filter(workspace=workspace).order_by("name")

    def clean_codes(self):
        return parse_territory_codes(self.cleaned_data["codes"])


class SchemesForm(VersionedForm):
    schemes = forms.ModelMultipleChoiceField(
        label=_("Quels dispositifs et actions clés font le lien entre le social et le développement local ?"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schemes"].queryset = schemes_for(workspace)


class NetworksForm(VersionedForm):
    networks = forms.ModelMultipleChoiceField(
        label=_("Dans quels réseaux sont les acteurs ?"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["networks"].queryset = Network.objects.filter(workspace=workspace).order_by(
            "scale", "name"
        )
        self.fields["networks"].label_from_instance = lambda n: (
            f"{n.name} ({n.get_scale_display().lower()})" if n.scale else n.name
        )


class MemberForm(forms.Form):
    """Add (or propose) an actor: a structure, a person who agreed to appear, or a scheme."""

    record = forms.ChoiceField(label=_("Quel acteur ?"))
    legend_key = forms.ChoiceField(label=_("Catégorie sur la carte"), required=False)
    theme = forms.CharField(
        label=_("Thème d'intervention"),
        max_length=150,
        required=False,
        help_text=_("Par exemple : petite enfance, mobilité, alimentation."),
    )
    intervention = forms.ChoiceField(
        label=_("Type d'intervention"), choices=BLANK + Intervention.choices, required=False
    )
    stage = forms.ChoiceField(label=_("Stade du projet"), choices=BLANK + Stage.choices, required=False)

    def __init__(self, *args, actor_map: ActorMap, **kwargs):
        super().__init__(*args, prefix="member", **kwargs)
        self.actor_map = actor_map
        structures = list(candidate_structures(actor_map).only("id", "name", "acronym")[:2000])
        people = list(people_for(actor_map).only("id", "display_name"))
        taken = actor_map.members.filter(scheme__isnull=False).values("scheme_id")
        schemes = list(schemes_for(actor_map.workspace).exclude(pk__in=taken).only("id", "name", "acronym"))
        choices = [("", "—"), (_("Structures"), [(f"s:{s.pk}", str(s)) for s in structures])]
        if people:
            choices.append((_("Personnes (avec leur accord)"), [(f"p:{p.pk}", str(p)) for p in people]))
        choices.append((_("Dispositifs"), [(f"d:{d.pk}", str(d)) for d in schemes]))
        self.fields["record"].choices = choices
        self.fields["legend_key"].choices = BLANK + [(i["key"], i["label"]) for i in actor_map.legend]
        self._pools = {"s": structures, "p": people, "d": schemes}

    def clean_record(self):
        kind, _sep, pk = self.cleaned_data["record"].partition(":")
        record = next((r for r in self._pools.get(kind, []) if str(r.pk) == pk), None)
        if record is None:
            raise ValidationError(_("Choisissez un acteur dans la liste."))
        return record


class MapLinkForm(forms.Form):
    source = forms.ChoiceField(label=_("Qui ?"))
    kind = forms.ModelChoiceField(
        label=_("Est… (type de lien)"), queryset=LinkKind.objects.all(), empty_label=None
    )
    target = forms.ChoiceField(label=_("De qui ?"))
    scale = forms.ChoiceField(label=_("Échelle"), choices=BLANK + Scale.choices, required=False)
    stage = forms.ChoiceField(label=_("Stade du projet"), choices=BLANK + Stage.choices, required=False)
    note = forms.CharField(label=_("Précision"), max_length=255, required=False)

    def __init__(self, *args, actor_map: ActorMap, **kwargs):
        super().__init__(*args, prefix="link", **kwargs)
        members = list(
            actor_map.members.exclude(status=ProposalStatus.REJECTED).select_related(
                "structure", "person", "scheme"
            )
        )
        choices = [("", "—")] + [(str(m.pk), str(m.record)) for m in members]
        self.fields["source"].choices = choices
        self.fields["target"].choices = choices
        self._members = {str(m.pk): m for m in members}

    def _member(self, name) -> ActorMapMember:
        member = self._members.get(self.cleaned_data[name])
        if member is None:
            raise ValidationError(_("Choisissez un acteur de la carte."))
        return member

    def clean_source(self):
        return self._member("source")

    def clean_target(self):
        return self._member("target")
