"""Reading the header: the standard columns, then each indicator's value, numerator or denominator."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from maillage.core.text import fold
from maillage.diagnostics.models import Indicator

STANDARD_COLUMNS = {
    "codgeo": {"codgeo", "code_geo", "codegeo", "code_insee", "codeinsee", "insee", "code_commune", "depcom"},
    "libgeo": {"libgeo", "lib_geo", "libelle", "nom", "nom_commune", "territoire"},
    "an": {"an", "annee", "year", "millesime", "periode", "date"},
    "nivgeo": {"nivgeo", "niv_geo", "niveau", "niveau_geo"},
}
NUM_SUFFIXES = ("_numerateur", "_num")
DEN_SUFFIXES = ("_denominateur", "_den")
IGNORE = "ignore"


# --- Columns ----------------------------------------------------------------------------------------------


def column_key(header: str) -> str:
    return fold(header).replace(" ", "_")


@dataclass
class IndicatorColumns:
    indicator: Indicator
    value: int | None = None
    numerator: int | None = None
    denominator: int | None = None


@dataclass
class ColumnPlan:
    header: list[str]
    codgeo: int | None = None
    libgeo: int | None = None
    an: int | None = None
    nivgeo: int | None = None
    groups: list[IndicatorColumns] = field(default_factory=list)
    choices: dict[str, str] = field(default_factory=dict)  # header → what it was read as ("" = unknown)
    unknown: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the file cannot be imported at all

    @property
    def indicator_ids(self) -> list[int]:
        return [g.indicator.pk for g in self.groups]


def _auto_choice(key: str, indicators: dict[str, Indicator]) -> str:
    if key in indicators:
        return key
    for suffixes, role in ((NUM_SUFFIXES, "num"), (DEN_SUFFIXES, "den")):
        for suffix in suffixes:
            if key.endswith(suffix) and key[: -len(suffix)] in indicators:
                return f"{key[: -len(suffix)]}:{role}"
    return ""


def plan_columns(
    header: list[str],
    *,
    indicators: dict[str, Indicator],
    mapping: dict[str, str] | None = None,
    only: set[str] | None = None,
) -> ColumnPlan:
    """Read the header: the standard columns, then each other column as an indicator's value, numerator or
    denominator — by its name, or as `mapping` says ({header: "code" | "code:num" | "code:den" | "ignore"})."""
    mapping = mapping or {}
    plan = ColumnPlan(header=header)
    by_code: dict[str, IndicatorColumns] = {}
    seen_keys: set[str] = set()
    for index, name in enumerate(header):
        key = column_key(name)
        if key in seen_keys:
            plan.errors.append(_("La colonne « %(name)s » apparaît deux fois.") % {"name": name})
            continue
        seen_keys.add(key)
        standard = next((std for std, aliases in STANDARD_COLUMNS.items() if key in aliases), None)
        if standard and getattr(plan, standard) is None and not mapping.get(name):
            setattr(plan, standard, index)
            plan.choices[name] = standard
            continue
        choice = mapping.get(name) or _auto_choice(key, indicators)
        if choice == IGNORE or (only is not None and choice and choice.split(":")[0] not in only):
            plan.choices[name] = IGNORE
            continue
        code, _sep, role = choice.partition(":")
        if code not in indicators:
            plan.choices[name] = ""
            plan.unknown.append(name)
            continue
        plan.choices[name] = choice
        group = by_code.setdefault(code, IndicatorColumns(indicators[code]))
        attr = {"": "value", "num": "numerator", "den": "denominator"}.get(role, "value")
        if getattr(group, attr) is not None:
            plan.errors.append(
                _("Deux colonnes donnent la même chose pour l'indicateur « %(code)s » : gardez-en une.")
                % {"code": code}
            )
        setattr(group, attr, index)
    for missing, label in (("codgeo", "codgeo"), ("an", "an")):
        if getattr(plan, missing) is None:
            plan.errors.append(
                _(
                    "Il manque la colonne « %(col)s » : la première ligne doit nommer les colonnes codgeo "
                    "(code INSEE ou SIREN du territoire), an (l'année) puis une colonne par indicateur."
                )
                % {"col": label}
            )
    for group in by_code.values():
        indicator = group.indicator
        has_ratio_parts = group.numerator is not None or group.denominator is not None
        if has_ratio_parts and indicator.aggregation != Indicator.Aggregation.RATIO:
            plan.errors.append(
                _("L'indicateur « %(code)s » n'est pas un rapport : il n'a ni numérateur ni dénominateur.")
                % {"code": indicator.code}
            )
        elif (group.numerator is None) != (group.denominator is None):
            plan.errors.append(
                _(
                    "L'indicateur « %(code)s » a un numérateur sans dénominateur (ou l'inverse) : "
                    "donnez les deux colonnes, ou aucune."
                )
                % {"code": indicator.code}
            )
        elif group.value is None and not has_ratio_parts:
            continue
        plan.groups.append(group)
    if not plan.groups and not plan.errors:
        plan.errors.append(
            _(
                "Aucune colonne de valeurs reconnue : nommez chaque colonne avec le code d'un indicateur du "
                "catalogue (par exemple taux_pauvrete) ou choisissez l'indicateur de chaque colonne."
            )
        )
    return plan
