"""Read a text describing one or several practices and propose the fields of each, with the passage every
proposal comes from.

    result = parse_document(text, source_name="fiche.txt")
    result.practices[0].fields["context"].value, .passage.start, .passage.end, .passage.excerpt

How it works (nothing depends on line numbers of a known document):
1. Lines are normalised (bullets, spaces, page footers). An index table "title … P.n … Fiche n. title" at the
   top (as in the HCTS annex) is read when there is one.
2. The document is split into practices: by the index table's titles when there is one; else by Markdown
   titles, explicit labels ("Pratique 2 : …"), separator lines (---), or, failing those, where a new
   "contexte"-like section starts after other sections, the title being the short line just before.
3. Inside a practice each line is either a heading (sections.match_heading: synonyms + fuzzy matching) or
   content of the current section. A "Repères" box (short lines: objectifs, public, contact) is recognised and
   the text flow resumes where it was when a long line comes back.
4. Fields are proposed from the sections, and detect.py finds figures, places, dates, the kind of territory,
   fiches (from the index table, else by similarity), methods and levers.
5. Personal data is masked (masking.py) in everything but the `contact` field, which is never rendered.

PDF and DOCX are a later slice: give the importer their text.
"""

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from maillage.core.text import fold
from maillage.practices import detect, masking
from maillage.practices.sections import (
    SIDEBAR_KEYS,
    is_strong_viewpoint,
    match_heading,
)
from maillage.practices.splitting import (  # read_lines and parse_index_table are also this module's API
    _SEPARATOR,
    IndexEntry,
    Line,
    Segment,
    parse_index_table,
    read_lines,
    split,
)

__all__ = [
    "ImportResult",
    "DetectedPractice",
    "Proposed",
    "Passage",
    "parse_document",
    "parse_index_table",
    "read_lines",
    "load_referentials",
    "Line",
    "IndexEntry",
]

DATA = Path(__file__).parent / "data"
EXCERPT = 220

# Practice fields filled from sections, in the annex's order.
SECTION_FIELDS = [
    "chapeau",
    "action_name",
    "objectives",
    "participant_objectives",
    "public",
    "porteurs",
    "context",
    "diagnostic",
    "project",
    "project_elected",
    "project_transversality",
    "project_participation",
    "actions",
    "evaluation",
    "illustration",
    "perspectives",
    "success_keys",
    "vigilance",
    "resources",
    "sources",
]
ONE_LINE_KEYS = {"action_name", "start"}
SHORT_KEYS = {"contact", "start", "action_name"}
SIDEBAR_MAX = 62

_ORGANISATION = re.compile(
    r"\b(conseil|centre|mairie|caf|caisse|d[ée]partement|association|antenne|d[ée]l[ée]gation|msa|ccas|cias|"
    r"commune|communaut[ée]|maison|service|f[ée]d[ée]ration|union|r[ée]seau|collectif|esat|bailleur|office)\b",
    re.IGNORECASE,
)


@dataclass
class Passage:
    start: int
    end: int
    excerpt: str


@dataclass
class Proposed:
    value: object
    passage: Passage | None = None
    note: str = ""
    score: float = 1.0


@dataclass
class DetectedPractice:
    title: Proposed
    start: int
    end: int
    fields: dict[str, Proposed] = field(default_factory=dict)
    transformations: list[Proposed] = field(default_factory=list)
    figures: list[Proposed] = field(default_factory=list)
    territories: list[Proposed] = field(default_factory=list)
    fiches: list[Proposed] = field(default_factory=list)
    methods: list[Proposed] = field(default_factory=list)
    levers: list[Proposed] = field(default_factory=list)
    headings: list[dict] = field(default_factory=list)
    page: str = ""


@dataclass
class ImportResult:
    source_name: str
    line_count: int
    split_by: str
    practices: list[DetectedPractice]
    index: list[IndexEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str)


# --- 3. Sections of one practice -------------------------------------------------------------------------


@dataclass
class Parsed:
    sections: dict[str, list[Line]]
    transformations: list[dict]
    headings: list[dict]


def parse_segment(lines: list[Line], segment: Segment) -> Parsed:
    sections: dict[str, list[Line]] = {}
    transformations: list[dict] = []
    report: list[dict] = []
    current, previous_main = "chapeau", "chapeau"
    sidebar = one_line = False
    short_content = False
    tf: dict | None = None
    title_lines = (
        set(range(segment.title_lines[0], segment.title_lines[1] + 1)) if segment.title_lines else set()
    )

    def add(key: str, line: Line):
        if key == "transformations" and tf is not None:
            tf["lines"].append(line)
        elif key == "transformations":
            intro = next((t for t in transformations if t["viewpoint"] == "autres" and not t["label"]), None)
            if intro is None:
                intro = {"viewpoint": "autres", "label": "", "lines": []}
                transformations.append(intro)
            intro["lines"].append(line)
        else:
            sections.setdefault(key, []).append(line)

    for ln in lines[segment.start : segment.end]:
        if ln.number in title_lines or _SEPARATOR.match(ln.text):
            continue
        if not ln.text:
            if current in SHORT_KEYS and short_content and not sidebar:
                current, short_content = previous_main, False
            continue
        heading = match_heading(ln.text)
        if heading and heading.key == "unknown":
            report.append({"line": ln.number, "text": heading.label, "section": "?"})
            heading = None  # kept as a line of the current section, so that nothing is lost
        if heading and heading.key == "viewpoint":
            if current == "transformations" or (is_strong_viewpoint(heading.label) and not heading.rest):
                current, sidebar = "transformations", False
                tf = {
                    "viewpoint": heading.viewpoint,
                    "label": heading.label,
                    "lines": [],
                    "heading": ln.number,
                }
                transformations.append(tf)
                report.append(
                    {
                        "line": ln.number,
                        "text": heading.label,
                        "section": f"transformations/{heading.viewpoint}",
                    }
                )
                if heading.rest:
                    tf["lines"].append(Line(ln.number, ln.raw, heading.rest))
                continue
            heading = None
        if heading:
            report.append(
                {"line": ln.number, "text": heading.label, "section": heading.key, "score": heading.score}
            )
            if heading.key == "reperes":
                sidebar = True
                if current not in SIDEBAR_KEYS:
                    previous_main = current
                continue
            if heading.key in SIDEBAR_KEYS:
                if current not in SIDEBAR_KEYS:
                    previous_main = current
                if heading.key in ONE_LINE_KEYS:
                    if heading.rest:
                        add(heading.key, Line(ln.number, ln.raw, heading.rest))
                        continue
                    one_line = True
                current, short_content = heading.key, False
            else:
                sidebar, current = False, heading.key
                if heading.key != "transformations":
                    tf = None
            if heading.key == "figures":
                add("figures", Line(ln.number, ln.raw, heading.label + " :"))
            if heading.rest:
                add(current, Line(ln.number, ln.raw, heading.rest))
                short_content = True
            continue
        if (
            sidebar
            and current in SIDEBAR_KEYS
            and (len(ln.text) > SIDEBAR_MAX or (current == "contact" and ln.text.endswith(":")))
        ):
            sidebar, current = False, previous_main
        add(current, ln)
        short_content = True
        if one_line:
            one_line, current = False, previous_main
    return Parsed(sections, transformations, report)


def lines_to_text(lines: list[Line]) -> str:
    """Rebuild paragraphs from wrapped lines: a new paragraph after a sentence end followed by a capital, or
    at each list item."""
    paragraphs: list[list[str]] = []
    for ln in lines:
        text = ln.text
        bullet = bool(re.match(r"^(- |\* |o |\d{1,2}[.)] )", text))
        if (
            paragraphs
            and not bullet
            and paragraphs[-1]
            and not (paragraphs[-1][-1][-1:] in ".!?:;…" and text.lstrip("«\"' ")[:1].isupper())
        ):
            paragraphs[-1].append(text)
        else:
            paragraphs.append([text])
    out = []
    for p in paragraphs:
        joined = " ".join(p)
        joined = re.sub(r"(\w)- (\w)", r"\1-\2", joined) if "- " in joined[1:] else joined
        if joined.startswith("o "):
            joined = "- " + joined[2:]
        out.append(joined)
    text = "\n".join(out)
    return re.sub(r"\n(?!- )", "\n\n", text).strip()


# --- 4. Fields -------------------------------------------------------------------------------------------


def load_referentials() -> dict:
    """Fiches, methods and levers to suggest from: the database when loaded, else the shipped data files."""
    try:
        from maillage.practices.models import Fiche, Lever, Method

        fiches = list(Fiche.objects.values("number", "title", "description", "keywords"))
        methods = list(Method.objects.values("slug", "name", "aliases", "keywords"))
        levers = list(Lever.objects.values("number", "title", "keywords"))
    except Exception:  # noqa: BLE001 - outside Django or before migrations: use the files
        fiches, methods, levers = [], [], []
    if not fiches:
        fiches = json.loads((DATA / "fiches.json").read_text(encoding="utf-8"))["fiches"]
    if not methods:
        methods = json.loads((DATA / "methods.json").read_text(encoding="utf-8"))["methods"]
    if not levers:
        raw = json.loads((DATA / "levers.json").read_text(encoding="utf-8"))["levers"]
        keywords = json.loads((DATA / "lever_keywords.json").read_text(encoding="utf-8"))["keywords"]
        levers = [{**lv, "keywords": keywords.get(str(lv["number"]), [])} for lv in raw]
    return {"fiches": fiches, "methods": methods, "levers": levers}


class _Text:
    """A practice's lines as one string, to find things by offset and say which lines they come from."""

    def __init__(self, lines: list[Line]):
        self.lines = [ln for ln in lines if ln.text]
        self.offsets = []
        parts, pos = [], 0
        for ln in self.lines:
            self.offsets.append(pos)
            parts.append(ln.text)
            pos += len(ln.text) + 1
        self.text = "\n".join(parts)

    def passage(self, start: int, end: int, names: set[str]) -> Passage | None:
        if not self.lines:
            return None
        first = self._line_at(start)
        last = self._line_at(max(start, end - 1))
        excerpt = " ".join(
            self.text[self.offsets[first] : self.offsets[last] + len(self.lines[last].text)].split()
        )
        return Passage(
            self.lines[first].number, self.lines[last].number, _excerpt(masking.mask(excerpt, names))
        )

    def _line_at(self, offset: int) -> int:
        lo, hi = 0, len(self.offsets) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.offsets[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rsplit(" ", 1)[0] + "…"


def _passage_of(lines: list[Line], names: set[str]) -> Passage | None:
    lines = [ln for ln in lines if ln.text]
    if not lines:
        return None
    return Passage(
        lines[0].number, lines[-1].number, _excerpt(masking.mask(" ".join(ln.text for ln in lines), names))
    )


def build_practice(
    lines: list[Line], segment: Segment, parsed: Parsed, names: set[str], refs: dict
) -> DetectedPractice:
    seg_lines = lines[segment.start : segment.end]
    title_passage = None
    if segment.title_lines:
        tl = [ln for ln in lines if segment.title_lines[0] <= ln.number <= segment.title_lines[1]]
        title_passage = _passage_of(tl, names)
    how = (
        f"titre de la table d'index ({segment.index_entry.page})"
        if segment.index_entry
        else f"découpage : {segment.how}"
    )
    practice = DetectedPractice(
        title=Proposed(masking.mask(segment.title, names), title_passage, how),
        start=seg_lines[0].number if seg_lines else 0,
        end=seg_lines[-1].number if seg_lines else 0,
        headings=parsed.headings,
        page=segment.index_entry.page if segment.index_entry else "",
    )
    sections = dict(parsed.sections)
    figures_heading = next((h["text"] for h in parsed.headings if h["section"] == "figures"), "")
    if "figures" in sections:
        sections.setdefault("evaluation", []).extend(sections.pop("figures"))
    for key in SECTION_FIELDS:
        if sections.get(key):
            text = masking.mask(lines_to_text(sections[key]), names)
            heading = next((h["text"] for h in parsed.headings if h["section"] == key), "")
            heading = heading or (figures_heading if key == "evaluation" else "")
            note = (
                f"rubrique « {heading} »"
                if heading
                else ("texte avant la première rubrique" if key == "chapeau" else "")
            )
            practice.fields[key] = Proposed(text, _passage_of(sections[key], names), note)
    contact_lines = sections.get("contact", [])
    if contact_lines:
        raw_contact = lines_to_text(contact_lines)
        practice.fields["contact"] = Proposed(
            raw_contact, _passage_of(contact_lines, names), "rubrique contact (jamais affichée)"
        )
        if "porteurs" not in practice.fields:
            porteurs = _organisations(raw_contact, names)
            if porteurs:
                practice.fields["porteurs"] = Proposed(
                    porteurs, _passage_of(contact_lines, names), "organisations du bloc contact"
                )
    for tf in parsed.transformations:
        text = masking.mask(lines_to_text(tf["lines"]), names)
        if text:
            value = {"viewpoint": tf["viewpoint"], "label": masking.mask(tf["label"], names), "text": text}
            practice.transformations.append(
                Proposed(
                    value,
                    _passage_of(tf["lines"], names),
                    f"rubrique « {tf['label']} »" if tf["label"] else "transformations sans point de vue",
                )
            )
    # Whole text (without the contact block and sources) for figures, places, methods and similarity.
    excluded = {ln.number for key in ("contact", "sources") for ln in sections.get(key, [])}
    body = _Text([ln for ln in seg_lines if ln.number not in excluded])
    everything = _Text(seg_lines)
    seen = set()
    for found in detect.figures(body.text):
        key = (found.value["value"], fold(found.value["unit"]))
        if key in seen:
            continue
        seen.add(key)
        value = {**found.value, "measures": masking.mask(found.value["measures"], names)}
        practice.figures.append(Proposed(value, body.passage(found.start, found.end, names), found.note))
    for found in detect.places(everything.text):
        practice.territories.append(
            Proposed(found.value, everything.passage(found.start, found.end, names), found.note)
        )
    territories = [p.value for p in practice.territories]
    headline = " ".join(
        [
            str(practice.title.value),
            str(practice.fields["chapeau"].value) if "chapeau" in practice.fields else "",
        ]
    )
    if scale := detect.scale_of(territories, headline):
        practice.fields["scale"] = Proposed(scale[0], None, scale[1])
    if setting := detect.setting_of(body.text):
        practice.fields["setting"] = Proposed(setting[0], None, setting[1])
    start_lines = sections.get("start", [])
    date = detect.date_in(" ".join(ln.text for ln in start_lines)) if start_lines else None
    if date:
        practice.fields["start_date"] = Proposed(
            date.value, _passage_of(start_lines, names), "rubrique début de l'action"
        )
    else:
        early = _Text(sections.get("chapeau", []) + sections.get("context", []))
        date = detect.date_in(early.text, hinted=True)
        if date:
            practice.fields["start_date"] = Proposed(
                date.value,
                early.passage(date.start, date.end, names),
                "première date du chapeau ou du contexte",
            )
    if segment.index_entry:
        entry = segment.index_entry
        for number, title in entry.fiches:
            passage = Passage(
                entry.start, entry.end, _excerpt(f"{entry.title} {entry.page} Fiche {number}. {title}")
            )
            practice.fiches.append(Proposed(number, passage, f"table d'index : Fiche {number}. {title}"))
    else:
        fiche_entries = [
            {
                "key": f["number"],
                "text": " ".join([f["title"], f.get("description", ""), " ".join(f.get("keywords", []))]),
            }
            for f in refs["fiches"]
        ]
        for found in detect.similar_entries(body.text, fiche_entries, threshold=0.12, limit=3):
            practice.fiches.append(Proposed(found.value, None, found.note, found.score))
    for found in detect.methods_in(body.text, refs["methods"]):
        practice.methods.append(
            Proposed(found.value, body.passage(found.start, found.end, names), found.note, found.score)
        )
    lever_entries = [
        {"key": lv["number"], "text": " ".join([lv["title"], " ".join(lv.get("keywords", []))])}
        for lv in refs["levers"]
    ]
    for found in detect.similar_entries(body.text, lever_entries, threshold=0.3, limit=2):
        practice.levers.append(Proposed(found.value, None, found.note, found.score))
    return practice


def _organisations(contact: str, names: set[str]) -> str:
    """The organisations named in a contact block, without the people and their details."""
    masked = masking.mask(" ".join(contact.split()), names)
    parts = re.split(r"\[[^\]]*masqu[ée]e?\]|\bT[ée]l\s*:?|\bContacts?\s*:?|\s[-–]\s|\s/\s", masked)
    out = []
    for part in parts:
        part = re.sub(r"^(?:et|,|:|-|\s)+|(?:et|,|:|-|\.|\s)+$", "", part.strip())
        if len(part.split()) >= 2 and _ORGANISATION.search(part) and part not in out:
            out.append(part)
    return "\n".join(f"- {p}" for p in out)


# --- Entry point ------------------------------------------------------------------------------------------


def parse_document(text: str, *, source_name: str = "", referentials: dict | None = None) -> ImportResult:
    lines = read_lines(text)
    index, body_start = parse_index_table(lines)
    segments = split(lines, body_start, index)
    result = ImportResult(source_name, len(lines), segments[0].how if segments else "", [], index)
    if index and len(segments) < len(index):
        missing = [e.title for e in index if all(s.index_entry is not e for s in segments)]
        result.warnings.append(
            "Titres de la table d'index introuvables dans le texte : " + " ; ".join(missing)
        )
    parsed = [parse_segment(lines, s) for s in segments]
    names: set[str] = set()
    for p in parsed:
        names |= masking.names_in_contact(lines_to_text(p.sections.get("contact", [])))
    refs = referentials or load_referentials()
    for segment, p in zip(segments, parsed, strict=True):
        practice = build_practice(lines, segment, p, names, refs)
        if not practice.fields and not practice.transformations:
            result.warnings.append(
                f"« {practice.title.value} » (lignes {practice.start}-{practice.end}) : aucune rubrique reconnue."
            )
        result.practices.append(practice)
    if not result.practices:
        result.warnings.append("Aucune pratique reconnue : le document est vide ou ne contient pas de texte.")
    return result
