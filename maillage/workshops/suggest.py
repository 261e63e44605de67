"""Suggested groups of post-its, computed from their texts (issue #5).

Pure Python, no model download, no NumPy:

1. normalise each text: HTML tags and entities removed, lower case, letters only (digits, emojis and
   punctuation dropped), a few SMS abbreviations expanded, French lemmatisation with ``simplemma``,
   accents folded, French stop words and generic "complaint" words dropped;
2. merge typo variants of the same word across the workshop (one inserted/deleted/substituted letter,
   or a short suffix: "poubele" → "poubelle", "propre" → "proprete"), mapping the rarer form onto the
   more frequent one, then a small thesaurus maps words naming the same thing onto one concept
   ("ados" → "jeune", "poubelle" → "dechet", "lampadaire" → "eclairage");
3. weight with TF-IDF (sublinear term frequency, smoothed IDF), L2-normalise, cosine similarity computed
   through an inverted index (only pairs sharing a word are ever compared);
4. agglomerative clustering with average linkage (UPGMA), merging while the best average similarity
   reaches ``threshold``; a heap with lazy deletion and a sparse similarity table keep it
   O(pairs · log pairs) — since an average of values below the threshold stays below it, only pairs
   with some similarity need to be tracked.

Singletons are not suggested. Output order is deterministic: larger groups first, then by the position
of their first post-it in the input; ids inside a group keep the input order.
"""

from __future__ import annotations

import heapq
import html
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import simplemma

DEFAULT_THRESHOLD = 0.35

__all__ = ["DEFAULT_THRESHOLD", "SuggestedGroup", "suggest_groups", "text_features"]


@dataclass(frozen=True)
class SuggestedGroup:
    title: str  # 2-4 representative words (original surface forms)
    contribution_ids: list[int]


# French stop words, accent-folded, compared to both the token and its lemma. Besides the grammatical
# words, generic words of complaints and wishes ("manque", "trop", "besoin", "il faut") and the
# workshop's own context ("quartier", "habitants") are dropped: they would glue unrelated post-its.
_STOP_TEXT = """
a afin ai aie aient aies ait alors as au aucun aucune aupres auquel aura aurai auraient aurais aurait
auras aurez auriez aurions aurons auront aussi autre autres aux auxquelles auxquels avaient avais avait
avant avec avez aviez avions avoir avons ayant ayez ayons bah ben c ca car ce ceci cela celle celles
celui cependant ces cet cette ceux chaque chez ci comme comment d dans de des desquelles desquels deja
donc dont du duquel durant elle elles en encore entre es est et etaient etais etait etant ete etes etiez
etions etre eu eue eues eurent eus eusse eussent eusses eussiez eussions eut eux faire fait fais font
ici il ils j je jusqu jusque l la laquelle le lequel les lesquelles lesquels leur leurs lui m ma mais
me meme memes mes moi mon n ne ni nos notre nous on ont ou par parce pas peu peut peuvent plus pour
pourquoi pouvoir qu quand que quel quelle quelles quels qui quoi s sa sans se sera serai seraient serais
serait seras serez seriez serions serons seront ses si sien sienne siennes siens soi soient sois soit
sommes son sont sous soyez soyons suis sur t ta te tes toi ton tous tout toute toutes tres tu un une
unes uns va vais vas vers voici voila vont vos votre vous vu y
aller assez beaucoup besoin bien bon bonne chose choses devoir dire falloir faut gens genre il manque
manquer mal mettre moins vraiment avoir etre trop toujours jamais rien souvent probleme problemes souci
soucis truc trucs vouloir veut voudrait voudrais pourrait pourrais serait quartier quartiers ville
habitant habitante habitants habitantes idee idees super tres ok oui non merci cest y'a ya plein
apres pendant depuis devant derriere jour jours matin soir mois an ans annee annees heure heures semaine fois
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

# A compact thesaurus of the words of neighbourhood workshops that name the same thing (folded
# lemmas → one concept); the title still shows the words people wrote.
_THESAURUS = {
    "jeune": "ado ados adolescent adolescente jeunesse",
    "enfant": "gamin gamine gosse mome minot",
    "dechet": "poubelle ordure detritus",
    "voiture": "auto automobile bagnole",
    "eclairage": "lampadaire luminaire",
    "medecin": "docteur generaliste",
    "logement": "appartement appart hlm",
    "velo": "bicyclette cyclable",
    "drogue": "deal dealer dealeur trafic trafiquant",
    "bus": "autobus tram tramway navette",
    "fete": "festivite kermesse",
    "jardin": "potager",
    "commerce": "commercant boutique magasin",
    "banc": "assise",
    "emploi": "travail boulot job chomage",
    "sport": "gymnase stade",
}
SYNONYMS = {word: concept for concept, words in _THESAURUS.items() for word in words.split()}

# A few SMS spellings seen on post-its, accent-folded.
SMS = {
    "bcp": "beaucoup",
    "pr": "pour",
    "ds": "dans",
    "tt": "tout",
    "tte": "toute",
    "tjs": "toujours",
    "tjrs": "toujours",
    "pb": "probleme",
    "pbs": "problemes",
    "pbm": "probleme",
    "qd": "quand",
    "ac": "avec",
    "avc": "avec",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "ki": "qui",
    "ke": "que",
    "koi": "quoi",
    "pa": "pas",
    "tro": "trop",
    "jeune": "jeune",
    "jeun": "jeune",
    "jeuns": "jeune",
    "ptit": "petit",
    "ptits": "petit",
    "ptite": "petit",
    "velo": "velo",
    "velos": "velo",
    "rdv": "rendez-vous",
    "asso": "association",
    "assos": "association",
}

_TAG = re.compile(r"<[^>]*>")
_TOKEN = re.compile(r"[^\W\d_]+")


def _fold(token: str) -> str:
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=50_000)
def _lemma(token: str) -> str:
    """Folded lemma of a lower-case token, '' when it is a stop word."""
    folded = _fold(token)
    folded = SMS.get(folded, folded)
    if len(folded) < 2 or folded in STOP_WORDS:
        return ""
    lemma = _fold(simplemma.lemmatize(token, lang="fr"))
    if lemma in STOP_WORDS or len(lemma) < 2:
        return ""
    if folded in SMS.values() and folded != _fold(token):
        lemma = folded  # an expanded SMS spelling: keep the expansion
    return lemma


def _surface_tokens(text: str) -> list[str]:
    text = html.unescape(_TAG.sub(" ", html.unescape(text or "")))
    return _TOKEN.findall(text.replace("’", "'").lower())


def text_features(text: str) -> list[tuple[str, str]]:
    """(lemma, surface form) pairs of the content words of one text, in order."""
    out = []
    for token in _surface_tokens(text):
        lemma = _lemma(token)
        if lemma:
            out.append((lemma, token))
    return out


@lru_cache(maxsize=50_000)
def _is_known(token: str) -> bool:
    return simplemma.is_known(token, lang="fr")


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _canonical_map(df: Counter, known: set[str]) -> dict[str, str]:
    """Map typo variants onto the most frequent close word of the workshop's vocabulary.

    Words are visited by decreasing frequency, dictionary words first on a tie, so a typo maps onto
    the correct spelling rather than the reverse."""
    canonical: dict[str, str] = {}
    by_deletion: dict[str, list[str]] = defaultdict(list)  # word or one deletion → canonical words
    by_prefix: dict[str, list[str]] = defaultdict(list)
    order = sorted(df, key=lambda w: (-df[w], w not in known, w))
    rank = {w: r for r, w in enumerate(order)}
    for word in order:
        target = None
        if len(word) >= 5:
            candidates: list[str] = []
            candidates += by_deletion.get(word, [])  # canonical = word + one letter
            for d in _deletions(word):
                candidates += by_deletion.get(d, [])  # canonical = word - one letter, or substitution
            candidates += [
                c for c in by_prefix.get(word[:5], []) if (c.startswith(word) or word.startswith(c))
            ]
            for cand in candidates:
                if cand[0] != word[0]:
                    continue
                if len(cand) == len(word) and len(word) < 6:
                    continue  # substitutions only for longer words ("poste" ≠ "porte")
                if abs(len(cand) - len(word)) > 3:
                    continue
                if target is None or rank[cand] < rank[target]:
                    target = cand
        if target is not None:
            canonical[word] = target
            continue
        canonical[word] = word
        if len(word) >= 5:
            by_deletion[word].append(word)
            for d in _deletions(word):
                by_deletion[d].append(word)
            by_prefix[word[:5]].append(word)
    return canonical


HAPAX_WEIGHT = 0.5


def _vectors(docs: list[list[str]], hapax_weight: float = HAPAX_WEIGHT) -> list[dict[str, float]]:
    n = len(docs)
    df = Counter(term for doc in docs for term in set(doc))
    # A word seen in a single post-it cannot link it to any other: it only lengthens the vector and
    # hides the shared topic word ("bus", "bancs"), so it weighs less.
    idf = {
        term: (math.log((1 + n) / (1 + count)) + 1) * (hapax_weight if count == 1 else 1.0)
        for term, count in df.items()
    }
    vectors = []
    for doc in docs:
        weights = {t: (1 + math.log(c)) * idf[t] for t, c in Counter(doc).items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        vectors.append({t: w / norm for t, w in weights.items()} if norm else {})
    return vectors


def _similarities(vectors: list[dict[str, float]]) -> list[dict[int, float]]:
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term, w in vec.items():
            postings[term].append((i, w))
    sims: list[dict[int, float]] = [defaultdict(float) for _ in vectors]
    for plist in postings.values():
        for a in range(len(plist)):
            i, wi = plist[a]
            row = sims[i]
            for b in range(a + 1, len(plist)):
                j, wj = plist[b]
                row[j] += wi * wj
    table: list[dict[int, float]] = [{} for _ in vectors]
    for i, row in enumerate(sims):
        for j, s in row.items():
            table[i][j] = s
            table[j][i] = s
    return table


def _average_linkage(table: list[dict[int, float]], threshold: float) -> list[list[int]]:
    """UPGMA over a sparse similarity table; returns the clusters (lists of item indexes)."""
    members: dict[int, list[int]] = {i: [i] for i in range(len(table))}
    sim: dict[int, dict[int, float]] = {i: dict(row) for i, row in enumerate(table)}
    heap = [(-s, i, j) for i, row in sim.items() for j, s in row.items() if i < j and s >= threshold]
    heapq.heapify(heap)
    next_id = len(table)
    while heap:
        neg, i, j = heapq.heappop(heap)
        if i not in members or j not in members:
            continue  # stale entry: one side was merged already
        ni, nj = len(members[i]), len(members[j])
        new = next_id
        next_id += 1
        row_i, row_j = sim.pop(i), sim.pop(j)
        merged_row: dict[int, float] = {}
        for k in set(row_i) | set(row_j):
            if k in (i, j):
                continue
            s = (ni * row_i.get(k, 0.0) + nj * row_j.get(k, 0.0)) / (ni + nj)
            other = sim[k]
            other.pop(i, None)
            other.pop(j, None)
            if s > 0:
                merged_row[k] = s
                other[new] = s
                if s >= threshold:
                    heapq.heappush(heap, (-s, k, new))
        sim[new] = merged_row
        members[new] = members.pop(i) + members.pop(j)
    return list(members.values())


def _title(indexes: list[int], features: list[list[tuple[str, str, bool]]], vectors) -> str:
    doc_count: Counter = Counter()
    weight: Counter = Counter()
    surfaces: dict[str, Counter] = defaultdict(Counter)
    for idx in indexes:
        for term in {t for t, _, _ in features[idx]}:
            doc_count[term] += 1
            weight[term] += vectors[idx].get(term, 0.0)
        for term, surface, variant in features[idx]:
            surfaces[term][surface] += 0 if variant else 1
    ranked = sorted(doc_count, key=lambda t: (-doc_count[t], -weight[t], t))
    shared = [t for t in ranked if doc_count[t] >= 2 and doc_count[t] * 2 >= len(indexes)]
    chosen = shared[:4]
    for term in ranked:
        if len(chosen) >= 2:
            break
        if term not in chosen:
            chosen.append(term)
    words = []
    for term in chosen:
        forms = surfaces[term]
        # the most frequent surface form; on a tie prefer the accented spelling, then alphabetical order
        best = min(forms, key=lambda f: (-forms[f], f.isascii(), not _is_known(f), f))
        words.append(best)
    title = ", ".join(words)
    return title[:1].upper() + title[1:]


def suggest_groups(
    texts: list[tuple[int, str]],
    *,
    max_groups: int | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[SuggestedGroup]:
    """Group related post-its; ``texts`` is [(contribution id, text)]. Singletons are left out."""
    seen: set[int] = set()
    items: list[tuple[int, str]] = []
    for cid, text in texts:
        if cid not in seen:
            seen.add(cid)
            items.append((cid, text or ""))
    features = [text_features(text) for _, text in items]
    df = Counter(term for feats in features for term in {t for t, _ in feats})
    known = {t for feats in features for t, surface in feats if _is_known(surface)}
    canonical = {word: SYNONYMS.get(target, target) for word, target in _canonical_map(df, known).items()}
    # surface forms that are typo variants rank after correct spellings in titles
    features = [[(canonical[t], s, canonical[t] != t) for t, s in feats] for feats in features]
    vectors = _vectors([[t for t, _, _ in feats] for feats in features])
    clusters = _average_linkage(_similarities(vectors), threshold)
    groups = [sorted(c) for c in clusters if len(c) >= 2]
    groups.sort(key=lambda c: (-len(c), c[0]))
    if max_groups is not None:
        groups = groups[: max(0, max_groups)]
    return [
        SuggestedGroup(
            title=_title(group, features, vectors),
            contribution_ids=[items[i][0] for i in group],
        )
        for group in groups
    ]
