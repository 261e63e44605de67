"""How territory names and queries are normalised for the forgiving search.

A territory's `search_text` is built once, at load time, from its name:

- `maillage.core.text.fold` (lower case, no accents, every non-alphanumeric run becomes one space), so
  "Le Château-d'Oléron" becomes "le chateau d oleron";
- the abbreviations "st", "ste", "sts", "stes" written in a name become "saint", "sainte", "saints", "saintes";
- an EPCI whose official name starts with "CC", "CA" or "CU" (the data writes "CC de l'Ile d'Oléron", "CA du
  Bassin d'Aurillac", "CU d'Arras") also gets the written-out form as an alias after a " | " separator:
  " cc de l ile d oleron | communaute de communes de l ile d oleron ". So both "cc de l ile" and
  "communauté de communes de l'île" find it, word by word;
- one leading and one trailing space, so that "word starts with token" is `LIKE '% token%'` and
  "name is exactly the phrase" is `= ' phrase '`.

A query is folded the same way. Each query token must be the beginning of a word of `search_text`; the
tokens "st", "ste", "sts", "stes" match either their expansion ("saint…") or words that really start with
them ("Stains", "Stella-Plage").
"""

import re
from dataclasses import dataclass, field

from maillage.core.text import fold

NAME_EXPANSIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
EPCI_PREFIXES = {
    "cc": "communaute de communes",
    "ca": "communaute d agglomeration",
    "cu": "communaute urbaine",
}
ARTICLES = ("le", "la", "les", "l")
ALIAS_SEPARATOR = " | "
MAX_QUERY_TOKENS = 8

INSEE_OR_POSTAL_CODE = re.compile(r"^\d[\dAB]\d{3}$")
SIREN = re.compile(r"^\d{9}$")
DEPARTEMENT_OR_REGION_CODE = re.compile(r"^(\d{2,3}|2[AB])$")


def name_key(name: str) -> str:
    """The folded name with "st"/"ste"… written out: "St-Jean-d'Angély" → "saint jean d angely"."""
    return " ".join(NAME_EXPANSIONS.get(token, token) for token in fold(name).split())


def build_search_text(name: str, *, is_epci: bool = False) -> str:
    key = name_key(name)
    forms = [key]
    first, _, rest = key.partition(" ")
    if is_epci and first in EPCI_PREFIXES and rest:
        forms.append(f"{EPCI_PREFIXES[first]} {rest}")
    return " " + ALIAS_SEPARATOR.join(forms) + " "


@dataclass
class ParsedQuery:
    """A folded query: the alternatives each token may start a word with, and the phrases used to rank."""

    tokens: list[tuple[str, ...]] = field(default_factory=list)
    phrases: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.tokens)


def parse_query(query: str) -> ParsedQuery:
    raw = fold(query).split()[:MAX_QUERY_TOKENS]
    if not raw:
        return ParsedQuery()
    tokens = [(token, NAME_EXPANSIONS[token]) if token in NAME_EXPANSIONS else (token,) for token in raw]
    # "saint denis 93": the number is a département filter, the name to rank on is "saint denis".
    words = [token for token in raw if not looks_like_departement_code(token)] or raw
    canonical = " ".join(NAME_EXPANSIONS.get(token, token) for token in words)
    typed = " ".join(words)
    phrases = (canonical,) if canonical == typed else (canonical, typed)
    return ParsedQuery(tokens=tokens, phrases=phrases)


def looks_like_departement_code(token: str) -> bool:
    return bool(DEPARTEMENT_OR_REGION_CODE.match(token.upper()))
