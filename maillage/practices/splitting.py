"""Reading a document as lines, its index table (HCTS annex style) and splitting it into practices.

Used by importer.py; see its docstring for the whole process. Nothing here depends on the line numbers of a
known document.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from maillage.core.text import fold
from maillage.practices.sections import Heading, match_heading

_BULLETS = re.compile(r"^[\uf0b7\uf0a7\uf0d8\uf076\uf0fc●•▪◦➢►✓–·]\s*")
_FOOTER = re.compile(r"^(page \d+ sur \d+|\d+\s*/\s*\d+|\[lien local supprim[ée]\])$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|={3,}|~{3,}|#{3,}\s*$|\f)$")
_LABEL_TITLE = re.compile(
    r"^(?:#+\s*)?(?:pratique|action|exp[ée]rience|fiche[- ]action|projet|initiative)\s*(?:n°|no|num[ée]ro)?\s*"
    r"\d{1,3}\s*[:.)–—-]\s*(?P<title>.{3,})$",
    re.IGNORECASE,
)
_URL = re.compile(r"^(https?://|www\.)\S+$")
_INDEX_PAGE = re.compile(r"\bP\.\s?(\d{1,3})\b")
_INDEX_FICHE = re.compile(r"\bFiche\s+(\d{1,2})\s*[.:)]\s*")


@dataclass
class Line:
    number: int
    raw: str
    text: str


@dataclass
class IndexEntry:
    title: str
    page: str
    fiches: list[tuple[int, str]]
    start: int
    end: int


# --- 1. Lines and the index table ------------------------------------------------------------------------


def read_lines(text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n---\n")
    out = []
    for number, raw in enumerate(text.split("\n"), start=1):
        clean = raw.replace("\xa0", " ").replace("\u202f", " ").replace("\t", " ")
        clean = " ".join(clean.split())
        clean = _BULLETS.sub("- ", clean)
        if _FOOTER.match(clean):
            clean = ""
        out.append(Line(number, raw, clean))
    return out


def parse_index_table(lines: list[Line]) -> tuple[list[IndexEntry], int]:
    """The index table "title … P.n … Fiche n. title" at the top of a document (HCTS annex style), and the
    index of the first line after it. ([], 0) when there is none."""
    head = [ln for ln in lines[:400] if ln.text]
    if not head or sum(1 for ln in head[:80] if _INDEX_PAGE.search(ln.text)) < 2:
        return [], 0
    entries: list[dict] = []
    current: dict | None = None
    mode = "title"
    last_line = 0
    for ln in head:
        pieces = _index_pieces(ln.text)
        if (
            not entries
            and current is None
            and not any(k != "text" for k, _ in pieces)
            and {"page", "pages"} & set(fold(ln.text).split())
        ):
            continue  # the table's own header ("Action inspirante Pages Illustration…")
        for kind, value in pieces:
            if kind == "page":
                if current is None:
                    current = {"title": [], "page": "", "fiches": [], "start": ln.number}
                current["page"] = value
                mode = "after_page"
            elif kind == "fiche":
                if current is None:
                    break
                current["fiches"].append([int(value[0]), [value[1]] if value[1] else []])
                mode = "fiche"
            else:
                starts_lower = value.lstrip("«\"' (")[:1].islower()
                if mode in ("fiche", "after_page") and current and current["fiches"] and starts_lower:
                    current["fiches"][-1][1].append(value)
                elif mode in ("fiche", "after_page") and current and (current["fiches"] or not starts_lower):
                    entries.append(current)
                    current = {"title": [value], "page": "", "fiches": [], "start": ln.number}
                    mode = "title"
                elif current is None:
                    current = {"title": [value], "page": "", "fiches": [], "start": ln.number}
                else:
                    current["title"].append(value)
                    if not current["page"] and len(current["title"]) > 6:
                        current = None  # not a table row: the body has begun
                        break
        if current is not None:
            current["end"] = ln.number
            if current["page"]:
                last_line = ln.number
        else:
            break
    if current is not None:
        entries.append(current)
    valid = [e for e in entries if e["page"] and e["fiches"] and e.get("end", 0) <= last_line]
    if len(valid) < 2:
        return [], 0
    out = [
        IndexEntry(
            title=_tidy(" ".join(e["title"])),
            page=f"P.{e['page']}",
            fiches=[(n, _tidy(" ".join(parts))) for n, parts in e["fiches"]],
            start=e["start"],
            end=e["end"],
        )
        for e in valid
    ]
    end_number = max(e.end for e in out)
    return out, next(i for i, ln in enumerate(lines) if ln.number == end_number) + 1


def _index_pieces(text: str) -> list[tuple[str, object]]:
    """Split a line of the index table into text / page / fiche pieces, in order."""
    pieces: list[tuple[str, object]] = []
    pos = 0
    markers = sorted(
        [(m.start(), m.end(), "page", m.group(1)) for m in _INDEX_PAGE.finditer(text)]
        + [(m.start(), m.end(), "fiche", m.group(1)) for m in _INDEX_FICHE.finditer(text)]
    )
    for start, end, kind, value in markers:
        before = text[pos:start].strip()
        if before:
            pieces.append(("text", before))
        if kind == "page":
            pieces.append(("page", value))
            pos = end
        else:
            nxt = next((s for s, _e, _k, _v in markers if s > start), len(text))
            pieces.append(("fiche", (value, text[end:nxt].strip())))
            pos = nxt
    rest = text[pos:].strip()
    if rest:
        pieces.append(("text", rest))
    return pieces


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"«\s+", "« ", text)
    return re.sub(r"\s+»", " »", text).strip()


# --- 2. Splitting into practices ------------------------------------------------------------------------


@dataclass
class Segment:
    start: int  # index into lines
    end: int  # exclusive
    title: str
    title_lines: tuple[int, int] | None  # line numbers (inclusive) of the title in the body, if found
    how: str
    index_entry: IndexEntry | None = None


def _heading_at(lines: list[Line]) -> dict[int, Heading]:
    found = {}
    for i, ln in enumerate(lines):
        if ln.text and not _SEPARATOR.match(ln.text):
            h = match_heading(ln.text)
            if h and h.key != "unknown":
                found[i] = h
    return found


def _find_title(lines: list[Line], title: str, start: int) -> tuple[int, int] | None:
    """Where a title (from the index) is written in the body, from line index `start`: (first, last) indexes.
    Titles are often cut over several lines and slightly reworded ("Coulisse" for "Coulisses")."""
    target = fold(title)
    if not target:
        return None
    probe = target[:4]
    for i in range(start, len(lines)):
        first = fold(lines[i].text)
        if not first or probe not in first[:14]:
            continue
        window, j, last = "", i, i
        while j < len(lines) and len(window) < len(target) - 3 and j - i < 8:
            piece = fold(lines[j].text)
            if piece:
                window = f"{window} {piece}".strip()
                last = j
            j += 1
        if SequenceMatcher(None, target, window[: len(target)]).ratio() >= 0.85:
            return i, last
    return None


def _walk_back(lines: list[Line], headings: dict[int, Heading], index: int, floor: int) -> int:
    """Where the practice whose first section heading is at `index` begins: after the previous heading, web
    link or blank-free run, going up over the chapeau."""
    i = index - 1
    while i > floor:
        text = lines[i].text
        if i in headings or _URL.match(text):
            break
        i -= 1
    i += 1
    while i < index and not lines[i].text:
        i += 1
    return i


def _title_before(lines: list[Line], headings: dict[int, Heading], index: int, floor: int) -> int | None:
    """The short, unpunctuated line just before the chapeau blocks preceding a first-section heading."""
    blocks: list[list[int]] = []
    block: list[int] = []
    i = index - 1
    while i >= floor and len(blocks) < 5:
        if i in headings:
            break
        if lines[i].text:
            block.insert(0, i)
        elif block:
            blocks.append(block)
            block = []
        i -= 1
    if block:
        blocks.append(block)
    for candidate in blocks:
        if len(candidate) == 1:
            text = lines[candidate[0]].text
            if len(text) <= 110 and text[-1] not in ".;,!" and not _URL.match(text):
                return candidate[0]
    return None


def split(lines: list[Line], body_start: int, index: list[IndexEntry]) -> list[Segment]:
    headings = _heading_at(lines)
    starters = [i for i, h in headings.items() if i >= body_start and h.key == "context"]
    if index:
        return _split_by_index(lines, headings, body_start, index)
    # Markdown titles: headings that are not sections, at the shallowest level used for such headings.
    md = [
        (i, len(ln.text) - len(ln.text.lstrip("#")))
        for i, ln in enumerate(lines)
        if i >= body_start and ln.text.startswith("#") and i not in headings and ln.text.lstrip("#").strip()
    ]
    if md:
        top = min(level for _i, level in md)
        titles = [i for i, level in md if level == top]
        if len(titles) >= 2 or (titles and not any(h.level and h.level <= top for h in headings.values())):
            return _segments_at(
                lines, titles, body_start, "titres Markdown", lambda i: lines[i].text.lstrip("#").strip()
            )
    labelled = [i for i, ln in enumerate(lines) if i >= body_start and _LABEL_TITLE.match(ln.text)]
    if len(labelled) >= 2:
        return _segments_at(
            lines,
            labelled,
            body_start,
            "libellés « Pratique n »",
            lambda i: _LABEL_TITLE.match(lines[i].text).group("title").strip(),
        )
    separators = [i for i, ln in enumerate(lines) if i >= body_start and _SEPARATOR.match(ln.text)]
    if separators:
        bounds = [body_start, *[s + 1 for s in separators]]
        parts = []
        for a, b in zip(bounds, [*separators, len(lines)], strict=True):
            first = next((k for k in range(a, b) if lines[k].text), None)
            if first is not None and any(a <= k < b for k in headings):
                parts.append(first)
        if len(parts) >= 2:
            return _segments_at(
                lines,
                parts,
                body_start,
                "séparateurs",
                lambda i: lines[i].text.lstrip("#").strip(),
                stops=separators,
            )
    # A new "contexte" after other sections starts a new practice; its title is the short line before.
    starts = []
    for k, i in enumerate(starters):
        floor = starters[k - 1] if k else body_start
        title = _title_before(lines, headings, i, floor)
        starts.append(title if title is not None else _walk_back(lines, headings, i, floor))
    if len(starts) >= 2:
        first = next((k for k in range(body_start, len(lines)) if lines[k].text), starts[0])
        starts[0] = min(starts[0], first)
        return _segments_at(lines, starts, body_start, "reprise des rubriques", lambda i: lines[i].text)
    first = next((k for k in range(body_start, len(lines)) if lines[k].text), body_start)
    return _segments_at(
        lines, [first], body_start, "document entier", lambda i: lines[i].text.lstrip("#").strip()
    )


def _segments_at(lines, starts, body_start, how, title_of, stops=()) -> list[Segment]:
    out = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        end = min([s for s in stops if start < s < end] or [end])
        out.append(
            Segment(start, end, _tidy(title_of(start)), (lines[start].number, lines[start].number), how)
        )
    return out


def _split_by_index(lines, headings, body_start, index) -> list[Segment]:
    found: list[tuple[int, int] | None] = []
    cursor = body_start
    for entry in index:
        where = _find_title(lines, entry.title, cursor)
        found.append(where)
        if where:
            cursor = where[1] + 1
    starts = []
    starts = [where[0] if where else None for where in found]
    # A title written after its practice's first section (a layout quirk): start at that practice's chapeau.
    contexts = sorted(i for i, h in headings.items() if h.key == "context" and i >= body_start)
    for k in range(1, len(index)):
        prev = starts[k - 1]
        if prev is None or starts[k] is None:
            continue
        inside = [c for c in contexts if prev <= c < starts[k]]
        if len(inside) >= 2:
            starts[k] = _walk_back(lines, headings, inside[1], inside[0])
    segments = []
    known = [(k, s) for k, s in enumerate(starts) if s is not None]
    for n, (k, start) in enumerate(known):
        end = known[n + 1][1] if n + 1 < len(known) else len(lines)
        where = found[k]
        title_lines = (lines[where[0]].number, lines[where[1]].number) if where else None
        segments.append(Segment(start, end, index[k].title, title_lines, "table d'index", index[k]))
    return segments
