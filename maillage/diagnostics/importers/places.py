"""codgeo → place: a territory, a perimeter or France, from dictionaries loaded once."""

from django.db.models import Q
from django.utils.translation import gettext as _

from maillage.territories.models import Perimeter, Territory

FRANCE_CODES = frozenset({"FR", "FE", "FRA", "FRANCE", "FRANCE ENTIERE", "FRANCE_ENTIERE", "FRM_DOM"})
NIVGEO_LEVELS = {
    "com": "commune",
    "commune": "commune",
    "arm": "commune",
    "epci": "epci",
    "dep": "departement",
    "departement": "departement",
    "reg": "region",
    "region": "region",
    "fe": "france",
    "fr": "france",
    "france": "france",
    "metrodom": "france",
    "qp": "perimeter",
    "qpv": "perimeter",
    "perimetre": "perimeter",
    "perimeter": "perimeter",
}
Kind = Territory.Kind
# When a code is shared (a commune nouvelle and its commune déléguée chef-lieu), the later kind wins.
COMMUNE_PREFERENCE = [
    Kind.COMMUNE_ASSOCIEE,
    Kind.COMMUNE_DELEGUEE,
    Kind.ARRONDISSEMENT_MUNICIPAL,
    Kind.COMMUNE,
]


# --- Places -----------------------------------------------------------------------------------------------

FRANCE = 0  # places are ints: territory id > 0, -perimeter id < 0, 0 for France


class PlaceResolver:
    """codgeo → place, through dictionaries built from one query per table."""

    def __init__(self, *, workspace=None):
        self.by_level: dict[str, dict[str, int]] = {
            "commune": {},
            "epci": {},
            "departement": {},
            "region": {},
            "perimeter": {},
        }
        rank = {kind: i for i, kind in enumerate(COMMUNE_PREFERENCE)}
        best_rank: dict[str, int] = {}
        for pk, kind, code in Territory.objects.values_list("pk", "kind", "code").iterator(chunk_size=5000):
            if kind in rank:
                if rank[kind] >= best_rank.get(code, -1):
                    best_rank[code] = rank[kind]
                    self.by_level["commune"][code] = pk
            else:
                self.by_level[kind][code] = pk
        perimeters = Perimeter.objects.exclude(code="").filter(
            Q(workspace__isnull=True) | Q(workspace=workspace) if workspace else Q(workspace__isnull=True)
        )
        self.ambiguous: set[str] = set()
        owned: set[str] = set()
        for pk, code, workspace_id in perimeters.values_list("pk", "code", "workspace_id"):
            code = code.strip().upper()
            mine = workspace_id is not None
            if code in self.by_level["perimeter"]:
                if mine == (code in owned):
                    self.ambiguous.add(code)
                if not mine:
                    continue
            self.by_level["perimeter"][code] = -pk
            if mine:
                owned.add(code)

    def resolve(self, raw: str, level: str = "auto") -> int:
        """The place for a codgeo, or ValueError with a French message."""
        code = raw.strip().upper()
        if not code:
            raise ValueError(_("le code géographique (codgeo) est vide"))
        if level == "france" or (level == "auto" and code in FRANCE_CODES):
            return FRANCE
        if level == "auto":
            level = self._guess_level(code)
        if level == "perimeter":
            if code in self.ambiguous:
                raise ValueError(
                    _("plusieurs périmètres ont le code « %(code)s » : corrigez les codes des périmètres")
                    % {"code": raw}
                )
        elif level == "commune" and code.isdigit() and len(code) == 4:
            code = "0" + code  # a spreadsheet dropped the leading zero (01001 → 1001)
        elif level in ("departement", "region") and code.isdigit() and len(code) == 1:
            code = "0" + code
        place = self.by_level.get(level, {}).get(code)
        if place is None:
            raise ValueError(self._unknown_message(raw, level))
        return place

    def _guess_level(self, code: str) -> str:
        if code.isdigit() and len(code) == 9:
            return "epci"
        if len(code) == 5 or (code.isdigit() and len(code) == 4):
            if code in self.by_level["perimeter"] and code not in self.by_level["commune"]:
                return "perimeter"
            return "commune"
        if len(code) <= 3 and (code.isdigit() or code in ("2A", "2B")):
            return "departement"
        return "perimeter"

    @staticmethod
    def _unknown_message(raw: str, level: str) -> str:
        hints = {
            "commune": _(
                "aucune commune n'a ce code INSEE (attention : un code postal n'est pas un code INSEE)"
            ),
            "epci": _("aucune intercommunalité (EPCI) n'a ce numéro SIREN"),
            "departement": _("aucun département n'a ce code"),
            "region": _("aucune région n'a ce code"),
            "perimeter": _(
                "ce n'est ni un code de commune, d'EPCI, de département, ni le code d'un périmètre connu"
            ),
        }
        return _("code géographique « %(code)s » inconnu : %(hint)s") % {
            "code": raw.strip(),
            "hint": hints.get(level, hints["perimeter"]),
        }
