"""Reading data·inclusion files (JSON, CSV) and saying in French why a record is invalid."""

import csv
import io
import json
from pathlib import Path

import pydantic
from django.utils.translation import gettext as _

from maillage.directory import datainclusion_v0 as v0

V1_LIST_FIELDS = {
    "reseaux_porteurs", "thematiques", "publics", "modes_accueil", "zone_eligibilite", "modes_mobilisation",
    "mobilisable_par",
}  # fmt: skip
FIELD_HINTS = {
    "siret": "14 chiffres attendus",
    "code_postal": "5 chiffres attendus",
    "code_insee": "code INSEE de 5 caractères attendu",
    "zone_eligibilite": "codes de commune, d'EPCI, de département ou « france » attendus",
}


class ImportFileError(ValueError):
    """The file cannot be read at all (format, encoding): the message says why, in French."""


# ---- reading ---------------------------------------------------------------------------------------------------


def read_records(path: str | Path) -> list[dict]:
    """The records of a JSON (a list of objects) or CSV (one object per row, lists comma-separated) file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(_("%(file)s n'est pas encodé en UTF-8.") % {"file": path.name}) from error
    if path.suffix.lower() == ".csv" or not text.lstrip().startswith(("[", "{")):
        return parse_csv(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            _("%(file)s n'est pas un JSON valide (ligne %(line)d : %(msg)s).")
            % {"file": path.name, "line": error.lineno, "msg": error.msg}
        ) from error
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ImportFileError(_("%(file)s doit contenir une liste d'objets JSON.") % {"file": path.name})
    return data


def parse_csv(text: str) -> list[dict]:
    sample = text[:5000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        return []
    headers = set(rows[0])
    list_fields = V1_LIST_FIELDS | (
        v0.V0_LIST_FIELDS if headers & (v0.V0_SERVICE_KEYS | v0.V0_STRUCTURE_KEYS) else set()
    )
    if "frais" in list_fields and not headers & v0.V0_SERVICE_KEYS:
        list_fields.discard("frais")
    records = []
    for row in rows:
        record: dict = {}
        for key, value in row.items():
            if key is None:
                continue
            value = (value or "").strip()
            if not value:
                record[key] = None
            elif key in list_fields:
                record[key] = (
                    json.loads(value)
                    if value.startswith("[")
                    else [v.strip() for v in value.split(",") if v.strip()]
                )
            else:
                record[key] = value
        records.append(record)
    return records


# ---- validating ------------------------------------------------------------------------------------------------


def french_reason(error: pydantic.ValidationError) -> str:
    """pydantic's errors, said in French, one per field."""
    messages: dict[str, str] = {}
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        name = loc[0] if loc else "enregistrement"
        kind, ctx, given = item["type"], item.get("ctx") or {}, item.get("input")
        if name in messages:
            continue
        if kind == "missing":
            text = "champ obligatoire manquant"
        elif name in FIELD_HINTS and kind.startswith(("string_too", "string_pattern", "literal")):
            text = f"« {given} » : format invalide ({FIELD_HINTS[name]})"
        elif kind == "string_too_short":
            text = f"trop court (au moins {ctx.get('min_length')} caractères)"
        elif kind == "string_too_long":
            text = f"trop long (au plus {ctx.get('max_length')} caractères)"
        elif kind in ("string_pattern_mismatch", "literal_error") or name == "zone_eligibilite":
            text = f"« {given} » : format invalide ({FIELD_HINTS.get(name, 'valeur non reconnue')})"
        elif kind == "enum":
            text = f"valeur inconnue « {given} » (voir les valeurs du schéma data·inclusion)"
        elif kind.startswith("url"):
            text = f"« {given} » n'est pas une adresse web valide (https://…)"
        elif kind.startswith("date"):
            text = f"« {given} » n'est pas une date valide (format AAAA-MM-JJ attendu)"
        elif kind.startswith(("float", "int")):
            text = f"« {given} » n'est pas un nombre"
        elif kind == "too_short":
            text = "liste vide : donnez au moins une valeur"
        elif kind.startswith("greater_than"):
            text = f"doit valoir au moins {ctx.get('ge', ctx.get('gt'))}"
        elif name == "courriel":
            text = f"« {given} » n'est pas une adresse de courriel valide"
        elif kind == "value_error":
            text = item["msg"].removeprefix("Value error, ")
        else:
            text = f"invalide ({item['msg']})"
        messages[name] = f"{name} : {text}"
    return " ; ".join(messages.values())
