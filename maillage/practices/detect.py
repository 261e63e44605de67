"""What the importer reads in a practice's text besides its sections: figures, places, dates, the kind of
territory, and which fiches, methods and levers it is about. Each finder returns candidates with the offset of
the passage they come from; `importer.py` turns offsets into line numbers and excerpts."""

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from maillage.core.text import fold
from maillage.practices import textindex


@dataclass
class Found:
    value: object
    start: int  # character offsets in the text searched
    end: int
    note: str = ""
    score: float = 1.0
    extra: dict = field(default_factory=dict)


# --- Figures ------------------------------------------------------------------------------------------------

NUMBER_WORDS = {
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "cent": 100,
    "mille": 1000,
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "cinquantaine": 50,
    "centaine": 100,
    "millier": 1000,
}
_SKIP_BEFORE_UNIT = frozenset(
    fold(w)
    for w in textindex.word_set(
        "nouveaux nouvelles nouveau nouvelle grands grandes petits petites premiers premières premieres autres "
        "vrais véritables veritables principaux principales"
    )
)
_NOT_UNITS = frozenset(
    fold(w)
    for w in textindex.word_set(
        """à a au aux de des du d l la le les et ou en par pour sur avec dans sous entre vers chez fois
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre rue avenue boulevard
    place h min er ère ème e es fiche levier proposition page p étage étages ce cette qui que ont sont est
    était étaient avaient avait a ont sont seront sera ne n y il ils elle elles on dont qui"""
    )
)
_DURATIONS = textindex.word_set("ans an mois jours jour semaines semaine heures heure minutes annees annee")
_MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
_FIGURE = re.compile(
    r"(?<![\w.,/=&?_#-])(?P<num>\d{1,3}(?:[  .]\d{3})+|\d+(?:,\d+)?|"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")(?![\w/-])(?:\s*(?P<pct>%|pour ?cent|€|euros?|k€|M€))?"
    r"(?:\s+(?:de |d['’])?(?P<unit>[a-zàâäéèêëîïôöùûüç'’-]+(?:\s+(?:(?:de|du)\s+|d['’])[a-zàâäéèêëîïôöùûüç-]{3,})?))?",
    re.IGNORECASE,
)
_WEB = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n")


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    return left, right


def figures(text: str) -> list[Found]:
    """Numbers with a unit: "120 personnes", "6 groupes projets", "30 %", "1 500 €", "trois maisons de santé"."""
    out: list[Found] = []
    text = _WEB.sub(lambda m: " " * len(m.group(0)), text)  # no figures inside links (offsets kept)
    for m in _FIGURE.finditer(text):
        raw = m.group("num")
        folded_num = fold(raw)
        if folded_num in NUMBER_WORDS:
            value = Decimal(NUMBER_WORDS[folded_num])
            if value == 1000 and not m.group("unit"):
                continue
        else:
            try:
                value = Decimal(re.sub(r"[  .]", "", raw).replace(",", "."))
            except InvalidOperation:
                continue
        unit = (m.group("pct") or "").strip()
        if unit.lower().startswith("pour"):
            unit = "%"
        words = (m.group("unit") or "").split()
        if not unit:
            while words and fold(words[0]) in _SKIP_BEFORE_UNIT:
                words = words[1:]
            if not words:
                continue
            head = fold(words[0])
            if head in _NOT_UNITS or (words[0][:1].isupper() and not words[0].isupper()):
                continue
            unit = " ".join(words) if head not in _DURATIONS else words[0]
            unit = unit.strip(" ,.;:'’")
        if not unit or (value >= 1900 and value <= 2100 and not m.group("pct") and folded_num.isdigit()):
            continue
        if fold(text[max(0, m.start() - 6) : m.start()]).endswith(("loi", "n", "no", "page", "fiche", "p")):
            continue
        left, right = _sentence_around(text, m.start(), m.end())
        sentence = " ".join(text[left:right].split())
        year = _YEAR.search(sentence)
        measures = sentence if len(sentence) <= 200 else sentence[:197].rsplit(" ", 1)[0] + "…"
        out.append(
            Found(
                {
                    "value": str(value),
                    "unit": unit,
                    "year": int(year.group(1)) if year else None,
                    "measures": measures,
                },
                m.start(),
                m.end(),
                note="nombre suivi d'une unité",
            )
        )
    return out


# --- Dates -------------------------------------------------------------------------------------------------

_DATE = re.compile(
    r"(?:(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<y1>(?:19|20)\d\d))|"
    r"(?:(?P<mname>janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|"
    r"décembre|decembre)\s+(?P<y2>(?:19|20)\d\d))|"
    r"(?:(?P<m3>\d{1,2})/(?P<y3>(?:19|20)\d\d))|(?P<y4>\b(?:19|20)\d\d\b)",
    re.IGNORECASE,
)
_START_HINT = re.compile(
    r"\b(?:depuis|dès|des|en|début|debut|lanc[ée]+ en|créé[e]? en|né[e]? en)\s+(?:le |l['’]année )?", re.I
)


def date_in(text: str, *, hinted: bool = False) -> Found | None:
    """The first date written in the text (a day, a month or a year). With `hinted`, only a date after
    "depuis", "dès", "en"… (the start of something)."""
    for m in _DATE.finditer(text or ""):
        if hinted:
            before = text[max(0, m.start() - 18) : m.start()]
            if not _START_HINT.search(before):
                continue
        if m.group("y1"):
            value, precision = (int(m.group("y1")), int(m.group("month")), int(m.group("day"))), "day"
        elif m.group("y2"):
            value, precision = (int(m.group("y2")), _MONTHS[fold(m.group("mname"))], 1), "month"
        elif m.group("y3"):
            value, precision = (int(m.group("y3")), int(m.group("m3")), 1), "month"
        else:
            value, precision = (int(m.group("y4")), 1, 1), "year"
        if not (1 <= value[1] <= 12 and 1 <= value[2] <= 31):
            continue
        year, month, day = value
        return Found(
            {"date": f"{year:04d}-{month:02d}-{day:02d}", "precision": precision}, m.start(), m.end()
        )
    return None


# --- Places --------------------------------------------------------------------------------------------------

_DEPT_CODE_AFTER_NAME = re.compile(
    r"(?P<name>[A-ZÀÂÉÈÊÎÔÛÇ][\w'’-]*(?:[ -](?:(?:sur|sous|en|de|du|des|la|le|les|lès|d['’]|l['’])[ -]?)*"
    r"[A-ZÀÂÉÈÊÎÔÛÇ][\w'’-]*){0,4})\s*\((?P<code>\d{2}|2[AB]|97\d)\)"
)
_COMMUNE_AFTER = re.compile(
    r"(?:\b(?:commune (?:de |du |d['’]|des )|communes? de |ville (?:de |du |d['’])|à |au |aux |de |du |village (?:de |du |d['’]))|\bd['’])"
    r"(?P<name>(?:Le |La |Les |L['’])?[A-ZÀÂÉÈÊÎÔÛÇ][\w'’-]*(?:(?:\s|-)(?:(?:sur|sous|en|de|du|des|la|le|les|lès|d['’]|l['’])(?:\s|-)?)*"
    r"[A-ZÀÂÉÈÊÎÔÛÇ][\w'’-]*){0,3})"
)
_LEADING_WORD = re.compile(r"^(?:À|A|Au|Aux|En|Dans|Sur|Pour|Chez|Vers|Depuis|Entre|Près|Autour)\s+")
_DEPT_CONTEXT = re.compile(r"d[ée]partement|d[ée]partementa(?:l|ux|le)", re.I)
# Département names that are also common French words: accepted only next to the word "département".
_AMBIGUOUS_DEPARTEMENTS = {
    "nord",
    "somme",
    "manche",
    "lot",
    "var",
    "ain",
    "cher",
    "orne",
    "eure",
    "aude",
    "gard",
    "tarn",
    "indre",
    "doubs",
    "creuse",
    "vienne",
    "marne",
    "meuse",
    "oise",
    "loire",
    "rhone",
    "vosges",
    "landes",
    "charente",
    "allier",
    "aisne",
    "yonne",
    "sarthe",
    "jura",
    "gers",
}
_ARTICLES = ("le ", "la ", "les ", "l ")
# Capitalised words that follow "de"/"à" but are not places (institutions, acronyms of the field…).
_NOT_PLACES = textindex.word_set(
    "conseil caisse centre maison mairie association departement etat france europe msa caf rsa ase esat ccas "
    "cias pmi agence direction service union federation reseau ville commune region"
)


def _name_key(name: str) -> str:
    key = fold(name).replace("saint ", "saint ").strip()
    for article in _ARTICLES:
        if key.startswith(article):
            key = key[len(article) :]
    return key


def places(text: str) -> list[Found]:
    """Places named in the text, resolved against the territories referential when it is loaded:
    "Mézin (47)", "la commune du Château d'Oléron", "département de la Vienne", "Conseil départemental du
    Morbihan"… A place that cannot be resolved is still returned, with `code` None."""
    from maillage.territories.models import Territory
    from maillage.territories.selectors import COMMUNE_KINDS, territory_search

    loaded = Territory.objects.exists()
    out: list[Found] = []
    seen: set[tuple] = set()

    def add(found: Found):
        key = (found.value.get("kind"), found.value.get("code") or fold(found.value["name"]))
        if key not in seen:
            seen.add(key)
            out.append(found)

    departements = _departements() if loaded else {}
    for m in _DEPT_CODE_AFTER_NAME.finditer(text):
        name, code = _LEADING_WORD.sub("", m.group("name").strip()), m.group("code")
        commune = None
        if loaded:
            candidates = territory_search(f"{name} {code}", kinds=COMMUNE_KINDS, limit=5)
            commune = next(
                (
                    t
                    for t in candidates
                    if t.departement_code == code and _name_key(t.name) == _name_key(name)
                ),
                None,
            )
        if commune:
            add(Found(_territory_value(commune), m.start(), m.end(), note=f"« {name} ({code}) »"))
        elif name:
            add(
                Found(
                    {"name": name, "code": None, "kind": "commune"},
                    m.start(),
                    m.end(),
                    note=f"« {name} ({code}) » non trouvé",
                )
            )
        dept = departements.get(code)
        if dept:
            add(Found(_territory_value(dept), m.start("code"), m.end("code"), note=f"département ({code})"))
    if loaded:
        departement_names = {fold(d.name) for d in departements.values()}
        looked_up: dict[str, list] = {}
        loose: list[Found] = []
        for m in _COMMUNE_AFTER.finditer(text):
            words = m.group("name").split()
            # The longest run of words that is exactly a commune's name ("Château d'Oléron" before "Château").
            for size in range(len(words), 0, -1):
                name = " ".join(words[:size])
                key = _name_key(name)
                if not key or len(key) < 3 or fold(name) in departement_names or fold(name) in _NOT_PLACES:
                    continue
                if key not in looked_up:
                    looked_up[key] = territory_search(key, kinds=COMMUNE_KINDS, limit=5)
                exact = [t for t in looked_up[key] if _name_key(t.name) == key]
                if len(exact) == 1 or (len(exact) > 1 and _dominant(exact)):
                    end = (
                        m.start("name")
                        + len(m.group("name").split(words[size - 1], 1)[0])
                        + len(words[size - 1])
                    )
                    loose.append(
                        Found(
                            _territory_value(exact[0]),
                            m.start("name"),
                            end,
                            note=f"« {name} »",
                            extra={"population": exact[0].population or 0, "words": len(key.split())},
                        )
                    )
                    break
        folded_text = text
        for dept in departements.values():
            pattern = re.compile(rf"(?<![\w-]){re.escape(dept.name)}(?![\w-])")
            for m in pattern.finditer(folded_text):
                if fold(dept.name) in _AMBIGUOUS_DEPARTEMENTS:
                    around = folded_text[max(0, m.start() - 60) : m.start()]
                    if not _DEPT_CONTEXT.search(around):
                        continue
                add(Found(_territory_value(dept), m.start(), m.end(), note=f"« {dept.name} »"))
                break
        # A commune named without its département is kept if it lies in a département the text names, or,
        # when none is named, if it is a large town or a name of several words (few homonyms).
        named = {f.value.get("departement_code") for f in out if f.value.get("code")}
        for found in loose:
            same = found.value["departement_code"] in named
            if same or (not named and (found.extra["population"] >= 3000 or found.extra["words"] >= 2)):
                add(found)
    return out


def _dominant(exact: list) -> bool:
    """Among homonyms, the first is much more populous than the second (Saint-Denis 93 vs others)."""
    first, second = exact[0].population or 0, exact[1].population or 0
    return first >= 5 * max(second, 1)


def _departements() -> dict:
    from maillage.territories.models import Territory

    return {t.code: t for t in Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT)}


def _territory_value(t) -> dict:
    return {
        "name": t.name,
        "code": t.code,
        "kind": t.kind,
        "departement_code": t.departement_code or (t.code if t.kind == "departement" else ""),
    }


def scale_of(territories: list[dict], headline: str) -> tuple[str, str] | None:
    """(scale, why) from the places found, or from the title and chapeau (`headline`) when none is."""
    kinds = Counter(t["kind"] for t in territories if t.get("code"))
    departements = {
        t.get("departement_code") for t in territories if t.get("code") and t.get("departement_code")
    }
    if len(departements) >= 2:
        return "national", "lieux dans plusieurs départements"
    if kinds.get("region"):
        return "regional", "une région est citée"
    communes = sum(v for k, v in kinds.items() if k not in ("departement", "epci", "region"))
    if communes:
        return "local", "une commune est citée"
    if kinds.get("epci"):
        return "intercommunal", "une intercommunalité est citée"
    if kinds.get("departement"):
        return "departemental", "un département est cité"
    if re.search(r"\ben France\b|\bnationale?\b|\bnational(?:es|aux)\b", headline or "", re.IGNORECASE):
        return "national", "le titre ou le chapeau parle de la France entière"
    return None


_RURAL = (
    "rural",
    "rurale",
    "ruraux",
    "rurales",
    "village",
    "villages",
    "campagne",
    "bourg",
    "agricole",
    "msa",
    "hameau",
    "hameaux",
    "canton",
)
_URBAN = (
    "quartier",
    "quartiers",
    "urbain",
    "urbaine",
    "urbains",
    "hlm",
    "immeuble",
    "immeubles",
    "cite",
    "metropole",
    "qpv",
    "politique de la ville",
    "agglomeration",
    "residence",
    "residences",
)


def setting_of(text: str) -> tuple[str, str] | None:
    folded = f" {fold(text)} "
    rural = sum(folded.count(f" {w} ") for w in _RURAL)
    urban = sum(folded.count(f" {w} ") for w in _URBAN)
    if not rural and not urban:
        return None
    why = f"{rural} mot(s) du rural, {urban} de l'urbain"
    if rural and urban and min(rural, urban) * 3 >= max(rural, urban):
        return "mixte", why
    return ("rural" if rural > urban else "urbain"), why


# --- Fiches, methods and levers ----------------------------------------------------------------------------


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each character of the result, the offset of the original character it comes from."""
    out: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        piece = fold(char) if char.isalnum() else ""
        if not piece:
            if out and out[-1] != " ":
                out.append(" ")
                positions.append(index)
            continue
        for c in piece:
            out.append(c)
            positions.append(index)
    return "".join(out), positions


def _alias_pattern(alias: str) -> re.Pattern:
    words = fold(alias).split()
    return re.compile(r"(?<![a-z0-9])" + r" ".join(re.escape(w) for w in words) + r"(?![a-z0-9])")


def methods_in(text: str, methods: list[dict]) -> list[Found]:
    """Methods named in the text (any of their wordings), then methods three of whose keywords appear."""
    folded, positions = fold_with_map(text)

    def span(m) -> tuple[int, int]:
        return positions[m.start()], positions[max(m.start(), m.end() - 1)] + 1

    out: list[Found] = []
    for method in methods:
        hit = None
        for alias in [method["name"], *method.get("aliases", [])]:
            m = _alias_pattern(alias).search(folded)
            if m and (hit is None or m.start() < hit.start()):
                hit = m
        if hit:
            start, end = span(hit)
            out.append(Found(method["slug"], start, end, note=f"mentionnée : « {text[start:end]} »"))
            continue
        hits = [(kw, _alias_pattern(kw).search(folded)) for kw in method.get("keywords", [])]
        hits = [(kw, m) for kw, m in hits if m]
        phrases = [kw for kw, _m in hits if " " in fold(kw)]
        if len(phrases) >= 2 and len(hits) >= 3:
            start, end = span(min(hits, key=lambda h: h[1].start())[1])
            words = ", ".join(kw for kw, _m in hits[:4])
            out.append(Found(method["slug"], start, end, note=f"mots proches : {words}", score=0.5))
    return out


@lru_cache(maxsize=512)
def _analyzed(text: str) -> Counter:
    return textindex.analyze(text)


def similar_entries(text: str, entries: list[dict], *, threshold: float, limit: int) -> list[Found]:
    """Entries (fiches or levers: {"key", "text"}) whose words are closest to the text's: cosine of TF-IDF
    vectors where IDF is computed over the entries themselves (what makes one entry different from the others)."""
    doc = textindex.analyze(text)
    entry_counts = [_analyzed(e["text"]) for e in entries]
    df: Counter = Counter()
    for counts in entry_counts:
        df.update(counts.keys())
    n = len(entries)
    weights = {t: math.log((n + 1) / (c + 1)) + 1 for t, c in df.items()}
    doc_vec = {t: (1 + math.log(tf)) * weights[t] for t, tf in doc.items() if t in weights}
    doc_norm = math.sqrt(sum(w * w for w in doc_vec.values())) or 1.0
    scored = []
    for entry, counts in zip(entries, entry_counts, strict=True):
        vec = {t: (1 + math.log(tf)) * weights[t] for t, tf in counts.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        score = sum(w * doc_vec.get(t, 0.0) for t, w in vec.items()) / (norm * doc_norm)
        shared = sorted((t for t in vec if t in doc_vec), key=lambda t: -vec[t] * doc_vec[t])[:4]
        scored.append((score, entry, shared))
    scored.sort(key=lambda s: -s[0])
    out = []
    for score, entry, shared in scored[:limit]:
        if score >= threshold:
            out.append(
                Found(
                    entry["key"],
                    0,
                    0,
                    note=f"similarité {score:.2f} (termes communs : {', '.join(shared)})",
                    score=round(score, 3),
                )
            )
    return out
