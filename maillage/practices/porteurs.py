"""Porteurs of a practice looked up in the directory (`maillage.directory`, read only).

The importer proposes porteurs as text ("- Centre social de Dolus", "CAF de la Charente-Maritime"); when
reviewing, each line is looked up among the directory structures the reviewer may see, by the words of the
structure's name and its acronym. The reviewer ticks the right ones; the practice links them.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from maillage.core.text import fold

STOPWORDS = {
    "de",
    "des",
    "du",
    "la",
    "le",
    "les",
    "et",
    "en",
    "pour",
    "sur",
    "au",
    "aux",
    "avec",
    "d",
    "l",
    "un",
    "une",
}
MAX_LINES = 8
PER_LINE = 4


@dataclass
class Suggestion:
    line: str
    structure: object
    score: float


def structures_visible_to(user):
    from maillage.directory.models import Structure
    from maillage.directory.selectors import visible_workspaces

    return Structure.objects.filter(workspace__in=visible_workspaces(user))


def _words(text: str) -> list[str]:
    return [w for w in fold(text).split() if w not in STOPWORDS and (len(w) >= 3 or w.isdigit())]


def porteur_lines(text: str) -> list[str]:
    lines = []
    for raw in (text or "").replace(";", "\n").split("\n"):
        line = raw.strip().lstrip("-*• ").strip()
        if line and "masqu" not in line and len(_words(line)) >= 1:
            lines.append(line)
    return lines[:MAX_LINES]


def suggest_structures(user, porteurs_text: str) -> list[Suggestion]:
    """Directory structures whose name matches a line of the porteurs text, best first for each line."""
    out: list[Suggestion] = []
    seen: set[int] = set()
    visible = structures_visible_to(user).select_related("workspace", "commune")
    for line in porteur_lines(porteurs_text):
        words = _words(line)
        keys = sorted(words, key=len, reverse=True)[:2]
        if not keys:
            continue
        candidates = visible.filter(reduce(or_, [Q(search_text__contains=k) for k in keys]))[:60]
        scored = []
        for structure in candidates:
            name_words = set(_words(f"{structure.name} {structure.acronym}"))
            if not name_words:
                continue
            common = len(set(words) & name_words)
            # "CAF de la Creuse" for "Caisse d'allocations familiales de la Creuse (CAF)": the shorter side
            # decides; one common word is enough only for a one-word line or name.
            score = common / max(min(len(name_words), len(set(words))), 1)
            if score >= 0.5 and (common >= 2 or min(len(name_words), len(set(words))) == 1):
                scored.append((score, structure))
        scored.sort(key=lambda item: (-item[0], item[1].name))
        for score, structure in scored[:PER_LINE]:
            if structure.pk not in seen:
                seen.add(structure.pk)
                out.append(Suggestion(line, structure, round(score, 2)))
    return out
