"""Recognising the sections of a practice write-up whatever their wording.

Each section of the HCTS annex has a table of synonyms. A line is a heading when, once folded, it is one of
them, or when its meaningful words (stemmed, stop words removed, small typos forgiven) cover a multi-word
synonym. Lines that read like wrapped prose (ending with a comma or a little word such as "des", starting with
a lower-case letter, too long) are never headings. Nothing here depends on line numbers.
"""

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from maillage.core.text import fold
from maillage.practices.textindex import STOPWORDS, stem, word_set

# Section key → synonyms (any case, accents optional). The first ones are the annex's own wording.
SYNONYMS: dict[str, list[str]] = {
    "reperes": [
        "repères",
        "en bref",
        "l'essentiel",
        "fiche d'identité",
        "carte d'identité",
        "en un coup d'œil",
    ],
    "action_name": ["nom de l'action", "nom du projet", "intitulé de l'action"],
    "objectives": [
        "objectifs de l'action",
        "objectif de l'action",
        "objectifs",
        "objectif",
        "les objectifs",
        "buts",
        "finalités",
        "finalité",
        "ce que nous cherchions",
        "ce que l'on voulait",
        "pourquoi agir",
        "objectifs du projet",
        "visées",
    ],
    "participant_objectives": [
        "objectifs pour les participants",
        "participants à l'action",
        "pour les participants",
        "objectifs des participants",
    ],
    "public": [
        "public",
        "publics",
        "public visé",
        "public concerné",
        "publics visés",
        "pour qui",
        "qui est concerné",
        "personnes concernées",
        "bénéficiaires",
        "à qui s'adresse l'action",
    ],
    "contact": [
        "contact",
        "contacts",
        "coordonnées",
        "personne à contacter",
        "pour nous joindre",
        "joindre le porteur",
        "pour en savoir plus contact",
    ],
    "start": [
        "début de l'action",
        "date de début",
        "démarrage",
        "date de démarrage",
        "lancement",
        "depuis quand",
        "date de lancement",
        "début du projet",
        "depuis",
        "date",
    ],
    "porteurs": [
        "porteur",
        "porteurs",
        "porteur du projet",
        "porteurs du projet",
        "structure porteuse",
        "qui porte le projet",
        "qui porte l'action",
        "partenaires",
        "les partenaires",
        "porteurs et partenaires",
        "acteurs impliqués",
    ],
    "context": [
        "le contexte",
        "contexte",
        "le contexte local",
        "contexte local",
        "origine",
        "origines",
        "l'origine du projet",
        "historique",
        "genèse",
        "point de départ",
        "situation de départ",
        "d'où l'on part",
        "d'où on part",
        "au départ",
        "le territoire",
        "présentation du territoire",
        "comment tout a commencé",
    ],
    "diagnostic": [
        "un diagnostic les enjeux forts pour le territoire",
        "les enjeux forts pour le territoire",
        "les enjeux forts pour les familles",
        "les enjeux pour le territoire et les habitants",
        "un diagnostic partagé",
        "diagnostic",
        "enjeux",
        "les enjeux",
        "constats",
        "le constat",
        "les besoins repérés",
        "besoins",
        "problématique",
        "ce qui posait problème",
        "diagnostic et enjeux",
        "état des lieux",
        "un diagnostic défini par les habitants",
        "ce qui nous préoccupait",
        "ce qui nous inquiétait",
        "le problème",
        "le problème que nous avons nommé",
        "nos constats",
        "ce que nous avons constaté",
        "pourquoi",
        "les besoins",
    ],
    "project": [
        "un projet de développement du territoire",
        "le projet",
        "projet",
        "la démarche",
        "démarche",
        "notre démarche",
        "comment nous nous y sommes pris",
        "comment on s'y est pris",
        "la méthode",
        "méthode",
        "les points clés de la démarche",
        "mise en place",
        "notre approche",
        "l'approche",
        "notre façon de faire",
        "comment nous avons fait",
        "notre méthode",
        "comment ça marche",
        "le principe",
    ],
    "project_elected": [
        "place des élus",
        "la place des élus",
        "rôle des élus",
        "le rôle des élus",
        "les élus",
        "portage politique",
        "implication des élus",
        "et les élus",
    ],
    "project_transversality": [
        "transversalité",
        "la transversalité",
        "partenariat",
        "le partenariat",
        "décloisonnement",
        "travail en réseau",
        "transversalité et partenariat",
        "avec qui",
    ],
    "project_participation": [
        "participation citoyenne",
        "la participation citoyenne",
        "participation des habitants",
        "la participation des habitants",
        "place des habitants",
        "la place des habitants",
        "participation",
        "implication des habitants",
        "les habitants au cœur",
        "pouvoir d'agir des habitants",
    ],
    "actions": [
        "les actions réalisées",
        "actions réalisées",
        "actions",
        "les actions",
        "ce qui a été fait",
        "ce que nous avons fait",
        "ce qu'on a fait",
        "réalisations",
        "les réalisations",
        "déroulement",
        "le déroulement",
        "mise en œuvre",
        "la mise en œuvre",
        "activités",
        "les activités",
        "concrètement",
        "les étapes",
        "étapes",
    ],
    "evaluation": [
        "l'évaluation de la démarche",
        "évaluation",
        "l'évaluation",
        "les critères d'évaluation de la démarche",
        "les modalités d'évaluation de la démarche",
        "l'impact de la démarche",
        "impact",
        "impacts",
        "bilan",
        "le bilan",
        "résultats",
        "les résultats",
        "quelques indications à retenir",
        "indicateurs",
        "ce que ça a donné",
        "évaluation et résultats",
    ],
    "figures": [
        "les chiffres",
        "chiffres",
        "chiffres clés",
        "en chiffres",
        "quelques chiffres",
        "les chiffres clés",
    ],
    "transformations": [
        "les transformations produites",
        "transformations produites",
        "transformations",
        "ce qui a changé",
        "ce que ça a changé",
        "ce que cela a changé",
        "changements",
        "les changements",
        "changements observés",
        "effets",
        "les effets",
        "effets observés",
    ],
    "illustration": [
        "en quoi cette action illustre une démarche de développement social",
        "en quoi est-ce du développement social",
        "en quoi c'est du développement social",
        "lien avec le développement social",
        "pourquoi c'est du développement social",
        "une démarche de développement social",
    ],
    "perspectives": [
        "les perspectives les ouvertures",
        "perspectives",
        "les perspectives",
        "ouvertures",
        "et après",
        "et ensuite",
        "la suite",
        "et la suite",
        "pour la suite",
        "suites",
        "les suites",
        "demain",
        "prochaines étapes",
        "et maintenant",
        "à venir",
    ],
    "success_keys": [
        "les clés de la réussite",
        "clés de la réussite",
        "clés de réussite",
        "facteurs de réussite",
        "ce qui a marché",
        "ce qui a bien marché",
        "ce qui a fonctionné",
        "les conditions de réussite",
        "la réussite du projet repose en particulier sur",
        "les éléments favorables pour engager cette action collective",
        "conditions favorables",
        "les ingrédients",
    ],
    "vigilance": [
        "les points de vigilance",
        "points de vigilance",
        "vigilance",
        "difficultés",
        "les difficultés",
        "ce qui a été difficile",
        "limites",
        "les limites",
        "freins",
        "les freins",
        "écueils",
        "points d'attention",
    ],
    "resources": [
        "moyens et financements",
        "moyens",
        "financements",
        "financement",
        "budget",
        "le budget",
        "coût",
        "les moyens",
        "moyens mobilisés",
        "ressources mobilisées",
        "qui finance",
        "moyens humains et financiers",
    ],
    "sources": [
        "sources documentaires",
        "sources",
        "pour aller plus loin",
        "références",
        "ressources documentaires",
        "documentation",
        "en savoir plus",
        "pour en savoir plus",
        "liens",
        "médias",
    ],
    "transformation_intro": [],
}

SIDEBAR_KEYS = {
    "objectives",
    "participant_objectives",
    "public",
    "contact",
    "start",
    "porteurs",
    "action_name",
}
PROJECT_SUBSECTIONS = {"project_elected", "project_transversality", "project_participation"}

# Words that never end a heading: a line ending with one is wrapped prose.
_TRAILING_FUNCTION_WORDS = word_set(
    "a au aux avec dans de des du d en et l la le les leur leurs ou par pour que qui sa se ses son sur un une "
    "vers entre chez sans sous dont notre nos votre vos ces cette ce"
)
_HEADING_STOPWORDS = STOPWORDS | {"quelques", "principaux", "principales", "forts", "fortes", "nos", "notre"}
_MARKDOWN = re.compile(r"^(#{1,6})\s+")
_NUMBERING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[IVX]{1,4}[.)]|[A-H][.)]|[-•*●◦▪►➢✓])\s+")
MAX_HEADING_WORDS = 12


@dataclass
class Heading:
    key: str  # a key of SYNONYMS, or "viewpoint"
    score: float
    label: str  # the heading as written (cleaned)
    rest: str = ""  # text after "Heading :" on the same line
    viewpoint: str = ""  # for key == "viewpoint"
    level: int = 0  # markdown level, 0 if none


def _tokens(folded: str) -> list[str]:
    return [stem(t) for t in folded.split() if t not in _HEADING_STOPWORDS]


@lru_cache(maxsize=1)
def _compiled() -> tuple[dict[str, str], list[tuple[str, tuple[str, ...]]]]:
    exact: dict[str, str] = {}
    fuzzy: list[tuple[str, tuple[str, ...]]] = []
    for key, phrases in SYNONYMS.items():
        for phrase in phrases:
            folded = fold(phrase)
            exact.setdefault(folded, key)
            exact.setdefault(_strip_article(folded), key)
            tokens = tuple(_tokens(folded))
            if len(tokens) >= 2:
                fuzzy.append((key, tokens))
    return exact, fuzzy


def _strip_article(folded: str) -> str:
    for article in ("le ", "la ", "les ", "l ", "un ", "une ", "des ", "nos ", "notre "):
        if folded.startswith(article):
            return folded[len(article) :]
    return folded


@lru_cache(maxsize=65536)
def _same_token(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 2 or a[:2] != b[:2]:
        return False
    return SequenceMatcher(None, a, b).ratio() >= 0.85


def _score(tokens: list[str], synonym: tuple[str, ...]) -> float:
    if not tokens:
        return 0.0
    matched = sum(1 for s in synonym if any(_same_token(s, t) for t in tokens))
    recall = matched / len(synonym)
    precision = min(1.0, matched / len(tokens))
    if recall < 0.66:
        return 0.0
    prefix = len(synonym) <= len(tokens) <= len(synonym) + 4 and all(
        _same_token(a, b) for a, b in zip(synonym, tokens, strict=False)
    )
    return max(recall * (0.4 + 0.6 * precision), 0.8 if prefix and recall == 1 else 0.0)


VIEWPOINT_MARKERS = re.compile(
    r"^(du point de vue|du de vue|point de vue|de vue|pour les|pour l|pour le|cote|du cote|selon les|vu par|"
    r"vu par les|ce qu en disent|ce qu en dit|aux yeux des|chez les|temoignages? des)\b"
)
VIEWPOINTS = [
    (
        "personnes",
        (
            "personnes accompagnees",
            "personne accompagnee",
            "usager",
            "allocataire",
            "participant",
            "beneficiaire",
            "parent",
            "famille",
            "jeune",
            "personnes accueillies",
            "aine",
            "senior",
        ),
    ),
    ("habitants", ("habitant", "locataire", "riverain", "citoyen", "voisin")),
    (
        "professionnels",
        ("professionnel", "travailleur", "intervenant", "equipe", "salarie", "animat", "social"),
    ),
    ("elus", ("elu", "maire", "collectivite", "municipalite")),
    ("institutions", ("institution", "departement", "caf", "bailleur", "service")),
    ("partenaires", ("partenaire", "acteur", "parties prenantes", "association", "ensemble")),
]


STRONG_VIEWPOINT = re.compile(
    r"^(du point de vue|du de vue|point de vue|de vue|cote|du cote|vu par|ce qu en dit|ce qu en disent|aux yeux)\b"
)


def is_strong_viewpoint(label: str) -> bool:
    """ "Du point de vue des élus", "Côté habitants": names a viewpoint even outside a transformations section
    (unlike "Pour les habitants :", which often introduces a list)."""
    return bool(STRONG_VIEWPOINT.match(fold(label)))


def viewpoint_of(folded: str) -> str | None:
    """The viewpoint a heading such as "Du point de vue des élus" or "Ce qu'en disent les habitants" names."""
    if not VIEWPOINT_MARKERS.match(folded):
        return None
    tail = VIEWPOINT_MARKERS.sub("", folded)
    for viewpoint, words in VIEWPOINTS:
        if any(re.search(rf"\b{re.escape(w)}", tail) for w in words):
            return viewpoint
    return "autres"


def clean_heading(text: str) -> tuple[str, int]:
    """The heading text without markdown marks, numbering, bullets and trailing colon; its markdown level."""
    text = text.strip()
    level = 0
    if m := _MARKDOWN.match(text):
        level = len(m.group(1))
        text = text[m.end() :]
    text = text.strip().strip("*_").strip()
    text = _NUMBERING.sub("", text)
    return text.strip().rstrip(":").strip(), level


def match_heading(line: str, *, allow_inline: bool = True) -> Heading | None:
    """The section a line opens, or None when it reads as content. (Cached: do not modify the result.)"""
    return _match_heading(line, allow_inline)


@lru_cache(maxsize=16384)
def _match_heading(line: str, allow_inline: bool) -> Heading | None:
    label, level = clean_heading(line)
    if not label or len(label) > 110:
        return None
    folded = fold(label)
    words = folded.split()
    if not words:
        return None
    is_markdown = level > 0
    first = label.lstrip("«\"' ")[:1]
    if not is_markdown and first and first.islower():
        return None
    exact, fuzzy = _compiled()
    for candidate in (folded, _strip_article(folded)):
        if candidate in exact and label[-1] not in ".,;":
            return Heading(exact[candidate], 1.0, label, level=level)
    if not is_markdown and (label[-1] in ".,;" or words[-1] in _TRAILING_FUNCTION_WORDS):
        return _inline(label, level) if allow_inline else None
    if len(words) > MAX_HEADING_WORDS or ("," in label and len(words) > 6):
        return _inline(label, level) if allow_inline else None
    viewpoint = viewpoint_of(folded)
    if viewpoint and len(words) <= 10:
        return Heading("viewpoint", 1.0, label, viewpoint=viewpoint, level=level)
    tokens = _tokens(folded)
    best_key, best = None, 0.0
    for key, synonym in fuzzy:
        score = _score(tokens, synonym)
        if score > best:
            best_key, best = key, score
    if best_key and best >= 0.85:
        return Heading(best_key, round(best, 2), label, level=level)
    if allow_inline and ":" in label and (inline := _inline(label, level)):
        return inline
    if best_key and best >= 0.72:
        return Heading(best_key, round(best, 2), label, level=level)
    letters = [c for c in label if c.isalpha()]
    if is_markdown or (len(letters) >= 4 and all(c.isupper() for c in letters) and len(words) <= 10):
        return Heading("unknown", 0.0, label, level=level)
    return None


def _inline(label: str, level: int) -> Heading | None:
    """ "Contact : Mme X", "Début de l'action : 2004", "Le contexte : la faible mobilisation…"."""
    head, sep, rest = label.partition(":")
    rest_words = fold(rest).split()
    if not sep or not rest_words or len(head.split()) > 6 or rest_words[-1] in _TRAILING_FUNCTION_WORDS:
        return None
    found = match_heading(head, allow_inline=False)
    if found is None:
        return None
    if len(rest_words) > 10 and found.key not in {"contact", "start", "action_name", "porteurs", "viewpoint"}:
        return None
    return replace(found, rest=rest.strip(), label=head.strip(), level=level)
