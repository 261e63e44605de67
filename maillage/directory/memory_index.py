"""In-memory search index of one workspace's directory, what `directory_search` reads instead of scanning SQL.

Structures get a position in alphabetical order (sort_name, id). The index holds, as sets of positions:
- every facet value (bitsets): counting the facets of any result set is a few hundred AND + popcount;
- every word of the folded search text (sorted vocabulary; positions in an array, or a bitset for frequent
  words): a query word matches every word it starts, found by bisection, so "centre soc" finds "Centre social";
- the words of the names, to rank names starting with the first query word first.

One index per workspace and per process, built from the structures' stored index columns (search_index.py) in
three queries, and reused until search_index bumps the workspace's version (any write) or the global one
(typologies reloaded). Versions live in the Django cache: Redis in production, so every process sees them;
memory in embedded mode, which runs one process. Build time and memory are measured in docs/benchmarks.md.
"""

import threading
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field

from maillage.directory.models import Category, Structure
from maillage.directory.search_index import FACET_TERRITORY, current_version
from maillage.territories.models import Territory
from maillage.territories.selectors import COMMUNE_KINDS

MAX_CACHED_WORKSPACES = 64
DENSE = 32  # a word found in more than 1/DENSE of the structures keeps a bitset rather than a position array


class Postings:
    """Word → positions, for prefix lookups: a sorted vocabulary, arrays for rare words, bitsets for frequent ones."""

    def __init__(self, per_word: dict[str, list[int]], size: int):
        self.size = size
        self.vocabulary = sorted(per_word)
        threshold = max(64, size // DENSE)
        self.sparse: dict[str, array] = {}
        self.dense: dict[str, int] = {}
        for word, positions in per_word.items():
            if len(positions) > threshold:
                self.dense[word] = _bits(positions, size)
            else:
                self.sparse[word] = array("I", positions)

    def prefix(self, start: str) -> int:
        """Bitset of the positions having a word that starts with `start`."""
        vocabulary = self.vocabulary
        index = bisect_left(vocabulary, start)
        mask = 0
        flags = bytearray((self.size + 7) // 8)
        while index < len(vocabulary) and vocabulary[index].startswith(start):
            word = vocabulary[index]
            dense = self.dense.get(word)
            if dense is not None:
                mask |= dense
            else:
                for position in self.sparse[word]:
                    flags[position >> 3] |= 1 << (position & 7)
            index += 1
        return mask | int.from_bytes(flags, "little")


def _bits(positions, size: int) -> int:
    flags = bytearray((size + 7) // 8)
    for position in positions:
        flags[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(flags, "little")


@dataclass
class DirectoryIndex:
    version: tuple
    ids: list[int]  # position → structure id, in (sort_name, id) order
    sort_names: list[str]  # position → folded name
    words: Postings
    name_words: Postings
    bits: dict[tuple[str, str], int]  # (facet, value) → bitset of positions
    totals: dict[tuple[str, str], int]  # (facet, value) → number of structures
    categories: dict[int, Category] = field(default_factory=dict)
    territories: dict[str, Territory] = field(default_factory=dict)  # "commune:17093" → Territory
    values_by_facet: dict[str, list[str]] = field(default_factory=dict)
    territory_parents: dict[str, set[str]] = field(default_factory=dict)  # "commune:17093" → {"epci:…", …}

    @property
    def everything(self) -> int:
        return (1 << len(self.ids)) - 1

    def mask_of(self, facet: str, value: str) -> int:
        return self.bits.get((facet, value), 0)

    def matching(self, words: list[str]) -> int:
        mask = self.everything
        for word in words:
            mask &= self.words.prefix(word)
            if not mask:
                break
        return mask

    def name_starts_with(self, word: str) -> int:
        """Names starting with the word: a run of consecutive positions, since positions follow the names."""
        low = bisect_left(self.sort_names, word)
        high = low
        while high < len(self.sort_names) and self.sort_names[high].startswith(word):
            high += 1
        return ((1 << (high - low)) - 1) << low

    def ids_in_order(self, mask: int, start: int, stop: int) -> list[int]:
        """The ids of the set positions number start..stop-1 (alphabetical order)."""
        return [self.ids[p] for p in self.positions_in_order(mask, start, stop)]

    def positions_in_order(self, mask: int, start: int, stop: int) -> list[int]:
        found: list[int] = []
        seen = 0
        data = mask.to_bytes((len(self.ids) + 7) // 8, "little")
        for byte_index, byte in enumerate(data):
            if not byte:
                continue
            count = byte.bit_count()
            if seen + count <= start:
                seen += count
                continue
            for bit in range(8):
                if byte >> bit & 1:
                    if seen >= start:
                        found.append(byte_index * 8 + bit)
                        if len(found) >= stop - start:
                            return found
                    seen += 1
        return found


_indexes: dict[int, DirectoryIndex] = {}
_lock = threading.Lock()


SYNC_REBUILD_LIMIT = 5000  # above this many structures, a stale index is rebuilt in the background
_rebuilding: set[int] = set()


def directory_index(workspace_id: int) -> DirectoryIndex:
    """The workspace's current index, from this process's memory.

    When the directory changed: a small index (most workspaces) is rebuilt before answering (3 queries); a
    large one is rebuilt by a background thread while searches keep reading the previous one for the few
    seconds it takes (pages always show the structures as they are now, read from the database).
    """
    version = current_version(workspace_id)
    index = _indexes.get(workspace_id)
    if index is not None and index.version == version:
        return index
    if index is not None and len(index.ids) > SYNC_REBUILD_LIMIT:
        with _lock:
            if workspace_id not in _rebuilding:
                _rebuilding.add(workspace_id)
                threading.Thread(
                    target=_rebuild_in_background, args=(workspace_id, version), daemon=True
                ).start()
        return index
    with _lock:
        index = _indexes.get(workspace_id)
        if index is None or index.version != version:
            _store(workspace_id, build(workspace_id, version))
        return _indexes[workspace_id]


def _store(workspace_id: int, index: DirectoryIndex) -> None:
    _indexes.pop(workspace_id, None)
    while len(_indexes) >= MAX_CACHED_WORKSPACES:
        _indexes.pop(next(iter(_indexes)))
    _indexes[workspace_id] = index


def _rebuild_in_background(workspace_id: int, version: tuple) -> None:
    from django.db import connection

    try:
        index = build(workspace_id, version)
        with _lock:
            _store(workspace_id, index)
    finally:
        _rebuilding.discard(workspace_id)
        connection.close()


def build(workspace_id: int, version: tuple = ()) -> DirectoryIndex:
    rows = list(
        Structure.objects.filter(workspace_id=workspace_id)
        .order_by("sort_name", "id")
        .values_list("id", "sort_name", "search_text", "facet_tokens")
    )
    size = len(rows)
    length = (size + 7) // 8
    flags: dict[tuple[str, str], bytearray] = {}
    words: dict[str, list[int]] = {}
    name_words: dict[str, list[int]] = {}
    for position, (_id, sort_name, search_text, tokens) in enumerate(rows):
        byte, bit = position >> 3, 1 << (position & 7)
        for item in tokens.split():
            facet, _sep, value = item.partition("=")
            array_ = flags.get((facet, value))
            if array_ is None:
                array_ = flags[(facet, value)] = bytearray(length)
            array_[byte] |= bit
        for word in search_text.split():  # search_index stores each word once
            found = words.get(word)
            if found is None:
                words[word] = [position]
            else:
                found.append(position)
        for word in set(sort_name.split()):
            name_words.setdefault(word, []).append(position)
    bits = {key: int.from_bytes(value, "little") for key, value in flags.items()}
    values_by_facet: dict[str, list[str]] = {}
    for facet, value in bits:
        values_by_facet.setdefault(facet, []).append(value)
    territories = _territories(values_by_facet.get(FACET_TERRITORY, []))
    return DirectoryIndex(
        version=version,
        ids=[row[0] for row in rows],
        sort_names=[row[1] for row in rows],
        words=Postings(words, size),
        name_words=Postings(name_words, size),
        bits=bits,
        totals={key: mask.bit_count() for key, mask in bits.items()},
        categories={
            c.pk: c for c in Category.objects.only("id", "code", "label", "acronym", "parent_id", "position")
        },
        territories=territories,
        values_by_facet=values_by_facet,
        territory_parents=_territory_parents(territories),
    )


def _territories(values: list[str]) -> dict[str, Territory]:
    """{"commune:17093": Territory, "epci:241700624": Territory…} for the territory facet values. One query."""
    wanted = set(values)
    codes = {value.split(":", 1)[1] for value in values if ":" in value}
    fields = ("id", "kind", "code", "name", "epci_code", "departement_code", "region_code")
    found: dict[str, Territory] = {}
    for territory in Territory.objects.filter(code__in=codes).only(*fields).order_by("code", "kind"):
        kind = "commune" if territory.kind in COMMUNE_KINDS else territory.kind
        key = f"{kind}:{territory.code}"
        # a commune before the commune déléguée that shares its code (Saint-Denis 93066)
        if key in wanted and (key not in found or territory.kind == Territory.Kind.COMMUNE):
            found[key] = territory
    return found


def _territory_parents(territories: dict[str, Territory]) -> dict[str, set[str]]:
    """The territories containing each territory value: a commune's EPCI, département and région; an EPCI's
    départements and régions (those of its communes); a département's région."""
    parents: dict[str, set[str]] = {}
    for value, territory in territories.items():
        kind = value.split(":", 1)[0]
        if kind == "commune":
            above = {
                f"epci:{territory.epci_code}",
                f"departement:{territory.departement_code}",
                f"region:{territory.region_code}",
            }
            parents[value] = {v for v in above if not v.endswith(":")}
            if territory.epci_code:
                parents.setdefault(f"epci:{territory.epci_code}", set()).update(
                    {f"departement:{territory.departement_code}", f"region:{territory.region_code}"}
                )
        elif kind == "departement" and territory.region_code:
            parents.setdefault(value, set()).add(f"region:{territory.region_code}")
    return parents
