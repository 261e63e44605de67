"""Field validators with errors that say what is wrong and how to fix it, in French."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LA_POSTE_SIREN = "356000000"  # La Poste's establishments use another check: sum of the digits divisible by 5


def normalize_siret(value: str) -> str:
    """Digits only: people type "130 030 133 00016" or copy "13003013300016"."""
    return re.sub(r"[\s.\-]", "", value or "")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def siret_is_valid(value: str) -> bool:
    if not re.fullmatch(r"\d{14}", value or ""):
        return False
    if value.startswith(LA_POSTE_SIREN):
        return luhn_ok(value) or sum(int(c) for c in value) % 5 == 0
    return luhn_ok(value)


def validate_siret(value: str) -> None:
    if not value:
        return
    if not re.fullmatch(r"\d+", value):
        raise ValidationError(
            _("Le numéro SIRET ne doit contenir que des chiffres (14 chiffres, sans lettres)."), code="siret"
        )
    if len(value) != 14:
        raise ValidationError(
            _("Le numéro SIRET doit comporter 14 chiffres ; vous en avez saisi %(n)d.") % {"n": len(value)},
            code="siret_length",
        )
    if not siret_is_valid(value):
        raise ValidationError(
            _(
                "Ce numéro SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez qu'aucun chiffre n'est "
                "inversé ou oublié (l'annuaire des entreprises, annuaire-entreprises.data.gouv.fr, donne le bon)."
            ),
            code="siret_checksum",
        )


# OpenStreetMap opening_hours, checked loosely: the words and numbers must be those of the syntax.
_OSM_WORDS = {
    "mo", "tu", "we", "th", "fr", "sa", "su", "ph", "sh",
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    "off", "closed", "open", "unknown", "week", "easter", "sunrise", "sunset", "dawn", "dusk",
}  # fmt: skip
_OSM_ATOM = re.compile(r"^(\d{1,2}:\d{2}\+?|\d{1,4}(/\d{1,2})?|24/7|[a-z]{2,7})$", re.IGNORECASE)
_OSM_SPLIT = re.compile(r"[\s,;\-]+|\|\|")


def validate_opening_hours(value: str) -> None:
    if not value:
        return
    text = re.sub(r'"[^"]*"', " ", value.strip())  # comments in double quotes are free text
    text = re.sub(r"\[[^\]]*\]", " ", text)  # nth weekday of the month: Mo[1,-1]
    example = "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off"
    if len(text) > 255 or not re.search(r"\d{1,2}:\d{2}|24/7|\b(off|closed|open)\b", text, re.IGNORECASE):
        raise ValidationError(
            _(
                "Écrivez les horaires dans la syntaxe OpenStreetMap, par exemple « %(example)s » "
                "(jours en anglais abrégés : Mo Tu We Th Fr Sa Su ; PH = jours fériés)."
            )
            % {"example": example},
            code="opening_hours",
        )
    for atom in filter(None, _OSM_SPLIT.split(text)):
        atom = atom.strip("()")
        if not atom:
            continue
        if not _OSM_ATOM.match(atom) or (atom.isalpha() and atom.lower() not in _OSM_WORDS):
            raise ValidationError(
                _(
                    "« %(word)s » n'est pas compris dans les horaires. Utilisez la syntaxe OpenStreetMap, "
                    "par exemple « %(example)s »."
                )
                % {"word": atom, "example": example},
                code="opening_hours",
            )
