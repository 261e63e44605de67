"""Text analysis shared by search, highlights, similarity and the importer. Pure Python, no downloaded model.

- `words(text)` finds the words of a text with their positions; a hyphenated compound ("co-voiturage",
  "Rillieux-la-Pape") is one word whose joined form ("covoiturage") is also indexed, so "covoiturage" and
  "co-voiturage" meet.
- `stem(word)` is a small French suffix-stripping stemmer (plural, feminine and common derivational endings):
  "isolement", "isolées" and "isoler" all become "isol". It is not linguistics, it only has to be consistent.
- `canonical` runs a folded word through the synonyms and spelling-variants table (data/synonyms.json):
  "aines" and "seniors" share one canonical term, so does every member of a group. Documents and queries go
  through the same function, so the table works both ways; changing it needs `manage.py practices_reindex`.
- `analyze(text)` counts the canonical terms of a text (stop words removed); the search index, the TF-IDF
  vectors and the highlighter are all built on it.
"""

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from maillage.core.text import fold

SYNONYMS_FILE = Path(__file__).parent / "data" / "synonyms.json"


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text` (for the word lists below and in other modules)."""
    return frozenset(text.split())


STOPWORDS = word_set(
    """
    a ai aie aient ainsi afin alors apres au aucun aucune aupres aussi autre autres aux avait avaient avant
    avec avoir ayant c ca car ce ceci cela celle celles celui cependant certain certaines certains ces cet
    cette ceux chacun chacune chaque chez ci comme comment d dans de des deja depuis dont donc du elle elles
    en encore entre es est et etaient etait etant ete etre eu eux fait faire fois font furent hors il ils j
    je jusqu l la le les leur leurs lors lorsqu lorsque lui m ma mais me meme memes mes moi mon n ne ni non
    nos notamment notre nous on ont or ou par parce parmi pas peu peut peuvent plus plusieurs pour pourquoi
    qu quand que quel quelle quelles quels qui quoi s sa sans se selon ses seulement si sien soi soit son
    sont sous suis sur t ta te tels tes toi ton tous tout toute toutes tres tu un une uns vers via voici
    voila vos votre vous y
    """
)

# Longest first. (suffix, replacement); applied once, only if at least MIN_STEM characters remain.
_SUFFIXES = [
    ("issements", ""),
    ("issement", ""),
    ("atrices", ""),
    ("atrice", ""),
    ("ateurs", ""),
    ("ateur", ""),
    ("ations", ""),
    ("ation", ""),
    ("itions", ""),
    ("ition", ""),
    ("ements", ""),
    ("ement", ""),
    ("ments", ""),
    ("ment", ""),
    ("ances", ""),
    ("ance", ""),
    ("ences", ""),
    ("ence", ""),
    ("ites", ""),
    ("ite", ""),
    ("iques", ""),
    ("ique", ""),
    ("ismes", ""),
    ("isme", ""),
    ("istes", ""),
    ("iste", ""),
    ("ables", ""),
    ("able", ""),
    ("ibles", ""),
    ("ible", ""),
    ("euses", "eu"),
    ("euse", "eu"),
    ("eux", "eu"),
    ("ives", "if"),
    ("ive", "if"),
    ("elles", "el"),
    ("elle", "el"),
    ("iennes", "ien"),
    ("ienne", "ien"),
    ("ennes", "en"),
    ("enne", "en"),
    ("antes", ""),
    ("ante", ""),
    ("ants", ""),
    ("ant", ""),
    ("ages", ""),
    ("age", ""),
    ("ieres", "ier"),
    ("iere", "ier"),
    ("ees", ""),
    ("ee", ""),
    ("es", ""),
    ("er", ""),
    ("ir", ""),
    ("e", ""),
    ("s", ""),
]
MIN_STEM = 4


def stem(word: str) -> str:
    """A light French stemmer on a folded word (no accents, lower case)."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("aux") and len(word) > 5:
        word = word[:-3] + "al"  # sociaux → social, locaux → local
    elif word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]  # élus → elu, seniors → senior
    if len(word) <= MIN_STEM:
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= MIN_STEM:
            return word[: len(word) - len(suffix)] + replacement
    return word


@dataclass(frozen=True)
class Synonyms:
    """The synonyms and spelling-variants table, compiled: single words and multi-word phrases."""

    words: dict[str, str]  # stem → canonical stem
    phrases: dict[tuple[str, ...], str]  # folded word sequence → canonical stem
    longest_phrase: int


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    data = json.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))
    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for group in data["groups"]:
        canonical = _plain_stem(fold(group[0]).replace(" ", ""))
        for variant in group:
            folded = fold(variant)
            if " " in folded:
                phrases[tuple(folded.split())] = canonical
            else:
                words[_plain_stem(folded)] = canonical
    return Synonyms(words, phrases, max((len(p) for p in phrases), default=1))


def _plain_stem(word: str) -> str:
    return stem(word)


@lru_cache(maxsize=200_000)
def canonical(folded_word: str) -> str:
    s = stem(folded_word)
    return synonyms().words.get(s, s)


_WORD = re.compile(r"[^\W_]+(?:[-‐][^\W_]+)*")


@dataclass
class Word:
    start: int
    end: int
    terms: tuple[str, ...]  # canonical terms this word stands for (the first is the main one)


@lru_cache(maxsize=200_000)
def _fold_word(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=200_000)
def _word_terms(folded: str) -> tuple[str, ...]:
    """Canonical terms of one word (or hyphenated compound) that is not part of a phrase."""
    parts = folded.split()
    if len(parts) > 1:
        key = tuple(parts)
        syn = synonyms()
        first = syn.phrases[key] if key in syn.phrases else canonical("".join(parts))
        terms = (first, *(canonical(p) for p in parts if p not in STOPWORDS and len(p) > 1))
    elif folded in STOPWORDS or (len(folded) == 1 and not folded.isdigit()):
        terms = ()
    else:
        terms = (canonical(folded),)
    return tuple(dict.fromkeys(terms))


@lru_cache(maxsize=1)
def _phrase_starts() -> frozenset[str]:
    return frozenset(key[0] for key in synonyms().phrases)


def words(text: str) -> list[Word]:
    """The words of `text` with their spans and canonical terms. Stop words get no terms (but keep their place,
    so that phrases like "co voiturage" or "personnes agees" are recognised)."""
    syn = synonyms()
    starts = _phrase_starts()
    raw = [(m.start(), m.end(), _fold_word(m.group(0))) for m in _WORD.finditer(text)]
    out: list[Word] = []
    i = 0
    while i < len(raw):
        folded = raw[i][2]
        if folded.split(" ", 1)[0] in starts:
            # Multi-word variants first ("co voiturage", "personnes agees").
            found = None
            for size in range(min(syn.longest_phrase, len(raw) - i), 1, -1):
                key = tuple(" ".join(r[2] for r in raw[i : i + size]).split())
                if key in syn.phrases:
                    found = (size, key)
                    break
            if found:
                size, key = found
                parts = (canonical(p) for p in key if p not in STOPWORDS and len(p) > 1)
                out.append(
                    Word(raw[i][0], raw[i + size - 1][1], tuple(dict.fromkeys((syn.phrases[key], *parts))))
                )
                i += size
                continue
        out.append(Word(raw[i][0], raw[i][1], _word_terms(folded)))
        i += 1
    return out


def analyze(text: str) -> Counter:
    """Counts of the canonical terms of a text."""
    counts: Counter = Counter()
    for word in words(text or ""):
        counts.update(word.terms)
    return counts


def query_terms(query: str) -> list[str]:
    """The canonical terms a query asks for: one per meaningful word, in order, without repeats. Every one must
    match. A compound ("co-voiturage") asks for its joined form only."""
    terms: list[str] = []
    for word in words(query or ""):
        if word.terms and word.terms[0] not in terms:
            terms.append(word.terms[0])
    return terms[:12]


def stems_field(counts: Counter) -> str:
    """The value stored in a search-terms column: every term once, space separated, with spaces around so that
    `LIKE '% term %'` finds whole terms."""
    return " " + " ".join(sorted(counts)) + " " if counts else ""


# --- TF-IDF vectors ------------------------------------------------------------------------------------

VECTOR_SIZE = 32


def idf(df: int, n_docs: int) -> float:
    return math.log((n_docs + 1) / (df + 1)) + 1.0


def tfidf_vector(
    counts: Counter, df: dict[str, int], n_docs: int, *, size: int = VECTOR_SIZE
) -> dict[str, float]:
    """The document's `size` heaviest terms, weighted (1 + log tf) · idf, L2-normalised over the whole vector
    before truncation so that truncated vectors stay comparable."""
    weights = {
        term: (1.0 + math.log(tf)) * idf(df.get(term, 0), n_docs)
        for term, tf in counts.items()
        if not term.isdigit()
    }
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
    return {term: round(w / norm, 5) for term, w in top}


def key_stems(vector: dict[str, float], *, top: int = 8) -> str:
    """The vector's terms, heaviest first, as "t1 … t8 | t9 … tn": PostgreSQL ranks on them (weights B and C)."""
    terms = [t for t, _w in sorted(vector.items(), key=lambda kv: -kv[1])]
    return " ".join(terms[:top]) + " | " + " ".join(terms[top:])


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


# --- Highlights ------------------------------------------------------------------------------------------


def mark(text: str, terms: set[str]) -> SafeString:
    """The whole text, escaped, with <mark> around each word standing for one of `terms`."""
    if not terms:
        return escape(text)
    out, last = [], 0
    for word in words(text):
        if terms.intersection(word.terms):
            out.append(escape(text[last : word.start]))
            out.append(f"<mark>{escape(text[word.start : word.end])}</mark>")
            last = word.end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


def _hits(text: str, terms: set[str]) -> list[Word]:
    """The words of `text` standing for one of `terms`: what `words` finds, building only the matching ones."""
    syn = synonyms()
    starts = _phrase_starts()
    matches = list(_WORD.finditer(text))
    hits: list[Word] = []
    i = 0
    while i < len(matches):
        folded = _fold_word(matches[i].group(0))
        if folded.split(" ", 1)[0] in starts:
            phrase = None
            for size in range(min(syn.longest_phrase, len(matches) - i), 1, -1):
                key = tuple(" ".join(_fold_word(m.group(0)) for m in matches[i : i + size]).split())
                if key in syn.phrases:
                    phrase = (size, key)
                    break
            if phrase:
                size, key = phrase
                parts = (canonical(p) for p in key if p not in STOPWORDS and len(p) > 1)
                found = tuple(dict.fromkeys((syn.phrases[key], *parts)))
                if not terms.isdisjoint(found):
                    hits.append(Word(matches[i].start(), matches[i + size - 1].end(), found))
                i += size
                continue
        found = _word_terms(folded)
        if found and not terms.isdisjoint(found):
            hits.append(Word(matches[i].start(), matches[i].end(), found))
        i += 1
    return hits


_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n|$)")


def _hits_in_sentences(text: str, terms: set[str], max_sentences: int = 6) -> list[Word]:
    """`_hits`, analysing only the sentences that may contain a term (`may_contain`), and stopping after
    `max_sentences` sentences with a hit (enough to choose two passages): a results page highlights 20
    practices without stemming every word of their long texts."""
    hits: list[Word] = []
    found = 0
    for sentence in _SENTENCE.finditer(text):
        chunk = sentence.group(0)
        if chunk.strip() and may_contain(chunk, terms):
            offset = sentence.start()
            in_sentence = _hits(chunk, terms)
            hits += [Word(w.start + offset, w.end + offset, w.terms) for w in in_sentence]
            found += bool(in_sentence)
            if found >= max_sentences:
                break
    return hits


_ASCII = str.maketrans(
    {
        **dict.fromkeys("àâäáãå", "a"),
        **dict.fromkeys("éèêë", "e"),
        **dict.fromkeys("îïíì", "i"),
        **dict.fromkeys("ôöóòõ", "o"),
        **dict.fromkeys("ùûüú", "u"),
        "ç": "c",
        "ñ": "n",
        "ÿ": "y",
        "œ": "oe",
        "æ": "ae",
        "’": " ",
        "'": " ",
        "-": "",
    }
)


@lru_cache(maxsize=4096)
def _hints(term: str) -> tuple[str, ...]:
    """Plain substrings one of which a text must contain to hold a word standing for `term` (a quick,
    conservative test before the real analysis): the term and the stems of its variants."""
    syn = synonyms()
    hints = {term, *(s for s, c in syn.words.items() if c == term)}
    hints |= {key[0] for key, c in syn.phrases.items() if c == term}
    if term.endswith("al"):
        hints.add(term[:-2])  # sociaux → social
    return tuple(sorted(h for h in hints if h))


def may_contain(text: str, terms: set[str]) -> bool:
    lowered = text.lower().translate(_ASCII)
    return any(h in lowered for t in terms for h in _hints(t))


def passages(text: str, terms: set[str], *, limit: int = 2, width: int = 90) -> list[SafeString]:
    """Up to `limit` short passages of `text` around the words matching `terms`, best first (most distinct
    terms), each escaped with the matches in <mark>."""
    if not text or not terms or not may_contain(text, terms):
        return []
    hits = _hits_in_sentences(text, terms)
    if not hits:
        return []
    windows = []
    for hit in hits:
        start = max(0, hit.start - width)
        end = min(len(text), hit.end + width)
        inside = {t for w in hits if start <= w.start and w.end <= end for t in w.terms if t in terms}
        windows.append((len(inside), -hit.start, start, end))
    windows.sort(reverse=True)
    chosen: list[tuple[int, int]] = []
    for _n, _pos, start, end in windows:
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
        if len(chosen) == limit:
            break
    out = []
    for start, end in sorted(chosen):
        # Widen to word boundaries so that no word is cut.
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
        out.append(mark_safe(escape(prefix) + _marked(text, start, end, hits) + escape(suffix)))  # noqa: S308
    return out


_SPACES = re.compile(r"\s+")


def _marked(text: str, start: int, end: int, hits: list[Word]) -> str:
    """text[start:end], spaces collapsed, escaped, with <mark> around the hits already found (no second
    analysis of the passage)."""
    pieces, last = [], start
    for hit in hits:
        if hit.start >= start and hit.end <= end:
            pieces.append(escape(_SPACES.sub(" ", text[last : hit.start])))
            pieces.append(f"<mark>{escape(_SPACES.sub(' ', text[hit.start : hit.end]))}</mark>")
            last = hit.end
    pieces.append(escape(_SPACES.sub(" ", text[last:end])))
    return "".join(pieces).strip()
