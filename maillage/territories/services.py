"""Every write about perimeters. Territories themselves are written only by the loader (loader.py).

Permission: a perimeter of a workspace needs "workspaces.change_workspace" on it; an instance-wide perimeter
(no workspace) needs a superuser. `actor=None` means the system itself (management commands, data imports).
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maillage.core.services import audit_record
from maillage.core.uploads import read_geojson_upload
from maillage.territories.models import Perimeter, Territory
from maillage.territories.normalize import INSEE_OR_POSTAL_CODE
from maillage.territories.selectors import COMMUNE_KINDS

# GeoJSON feature properties that may carry a commune's INSEE code (compared case-insensitively).
GEOJSON_CODE_PROPERTIES = ("insee", "code_insee", "codgeo", "insee_com", "code")
GEOJSON_TYPES = {"FeatureCollection", "Feature", "Polygon", "MultiPolygon"}
# When a code is shared (a commune nouvelle and its commune déléguée chef-lieu), prefer the current commune.
KIND_PREFERENCE = {kind: index for index, kind in enumerate(COMMUNE_KINDS)}


def _require_perimeter_right(actor, workspace) -> None:
    if actor is None:
        return
    if workspace is None:
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied("territories.change_global_perimeter")
    elif not actor.has_perm("workspaces.change_workspace", workspace):
        raise PermissionDenied("workspaces.change_workspace")


def _normalise_codes(codes: Iterable[str]) -> list[str]:
    out = []
    for code in codes:
        code = str(code or "").strip().upper()
        if code and code not in out:
            out.append(code)
    return out


def resolve_communes(codes: Iterable[str]) -> list[Territory]:
    """The communes with these INSEE codes, or a ValidationError naming the unknown codes."""
    codes = _normalise_codes(codes)
    malformed = [code for code in codes if not INSEE_OR_POSTAL_CODE.match(code)]
    if malformed:
        raise ValidationError(
            _(
                "Ces codes ne sont pas des codes INSEE de commune (5 caractères, par exemple 17093) : %(codes)s"
            )
            % {"codes": ", ".join(malformed)}
        )
    best: dict[str, Territory] = {}
    for territory in Territory.objects.filter(code__in=codes, kind__in=COMMUNE_KINDS):
        current = best.get(territory.code)
        if current is None or KIND_PREFERENCE[territory.kind] < KIND_PREFERENCE[current.kind]:
            best[territory.code] = territory
    unknown = [code for code in codes if code not in best]
    if unknown:
        raise ValidationError(
            _(
                "Codes INSEE inconnus dans le référentiel des communes : %(codes)s. "
                "Vérifiez-les sur la page Territoires (un code INSEE n'est pas un code postal)."
            )
            % {"codes": ", ".join(unknown)}
        )
    return [best[code] for code in codes]


def _parse_geojson(geojson) -> dict | None:
    """A GeoJSON dict from an uploaded file (validated by type and size) or from an already parsed dict."""
    if geojson is None:
        return None
    if hasattr(geojson, "read"):
        return read_geojson_upload(geojson)
    if not isinstance(geojson, dict) or geojson.get("type") not in GEOJSON_TYPES:
        raise ValidationError(
            _(
                "Le GeoJSON doit être un polygone, un multipolygone, un « Feature » ou une « FeatureCollection »."
            )
        )
    return geojson


def geojson_commune_codes(geojson: dict) -> list[str]:
    """INSEE codes found in the features' properties (insee, code_insee, codgeo, INSEE_COM or code)."""
    if geojson.get("type") == "FeatureCollection":
        features = geojson.get("features") or []
    elif geojson.get("type") == "Feature":
        features = [geojson]
    else:
        features = []
    codes = []
    for feature in features:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            continue
        lowered = {str(key).lower(): value for key, value in properties.items()}
        for key in GEOJSON_CODE_PROPERTIES:
            value = str(lowered.get(key) or "").strip().upper()
            if INSEE_OR_POSTAL_CODE.match(value):  # "code" may also hold a QPV code: keep INSEE-shaped values
                codes.append(value)
                break
    return _normalise_codes(codes)


@transaction.atomic
def perimeter_create(
    *,
    actor,
    name: str,
    kind: str,
    workspace=None,
    commune_codes: Iterable[str] = (),
    geojson=None,
    code: str = "",
    description: str = "",
) -> Perimeter:
    """Create a perimeter from commune INSEE codes and/or a GeoJSON (dict or uploaded file).

    Communes named in the GeoJSON features' properties are added to those given in `commune_codes`.
    """
    _require_perimeter_right(actor, workspace)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Donnez un nom au périmètre (par exemple « Quartier des Salines »)."))
    if kind not in Perimeter.Kind.values:
        raise ValidationError(
            _("Type de périmètre inconnu : %(kind)s. Types possibles : %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(Perimeter.Kind.values)}
        )
    geometry = _parse_geojson(geojson)
    codes = list(commune_codes) + (geojson_commune_codes(geometry) if geometry else [])
    communes = resolve_communes(codes)
    if not communes and geometry is None:
        raise ValidationError(
            _(
                "Un périmètre se définit par des communes (codes INSEE) ou par un contour GeoJSON : donnez l'un des deux."
            )
        )
    perimeter = Perimeter.objects.create(
        name=name,
        kind=kind,
        code=(code or "").strip(),
        description=description or "",
        workspace=workspace,
        geometry=geometry,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    perimeter.communes.set(communes)
    audit_record(
        actor=actor,
        action="perimeter.create",
        target=perimeter,
        workspace=workspace,
        details={"communes": [c.code for c in communes], "geometry": geometry is not None},
    )
    return perimeter


@transaction.atomic
def perimeter_set_communes(*, actor, perimeter: Perimeter, commune_codes: Iterable[str]) -> Perimeter:
    """Replace the communes of a perimeter by those with these INSEE codes."""
    _require_perimeter_right(actor, perimeter.workspace)
    communes = resolve_communes(commune_codes)
    perimeter.communes.set(communes)
    perimeter.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action="perimeter.set_communes",
        target=perimeter,
        workspace=perimeter.workspace,
        details={"communes": [c.code for c in communes]},
    )
    return perimeter
