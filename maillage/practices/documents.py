"""Text of an uploaded document (plain text, Markdown, PDF, DOCX) for the importer.

- PDF: `pypdf.PdfReader`, page by page; pages are separated by a blank line (not by a form feed, which the
  importer would read as a separator between practices).
- DOCX: `python-docx`; heading styles become Markdown titles ("Titre 1" → "# …"), so that the importer's
  splitting sees the document's own structure; table cells become lines.
"""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from maillage.core.uploads import validate_upload

ALLOWED = {"txt", "md", "markdown", "pdf", "docx"}


def extension_of(name: str) -> str:
    name = (name or "").lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


def read_upload(upload) -> tuple[str, str]:
    """(text, kind) of an uploaded file, or a ValidationError in French saying what is wrong."""
    validate_upload(upload, allowed_extensions=ALLOWED)
    kind = extension_of(upload.name)
    data = upload.read()
    text = read_bytes(data, kind)
    if not text.strip():
        raise ValidationError(
            _(
                "Aucun texte n'a pu être lu dans ce document. S'il s'agit d'un PDF scanné (une image), "
                "copiez-collez son texte dans un fichier .txt."
            )
        )
    return text, kind


def read_bytes(data: bytes, kind: str) -> str:
    if kind == "pdf":
        return _pdf_text(data)
    if kind == "docx":
        return _docx_text(data)
    return _plain_text(data)


def _plain_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("Le fichier texte n'est pas lisible (encodage inconnu)."))


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF"):
        raise ValidationError(_("Ce fichier n'est pas un PDF valide."))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(_("Ce PDF est protégé par un mot de passe : il ne peut pas être lu."))
        pages = [_pdf_page_lines(page) for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, ZeroDivisionError) as exc:
        raise ValidationError(_("Ce PDF n'a pas pu être lu : %(error)s") % {"error": exc}) from exc
    return "\n\n".join(_pdf_layout(pages))


def _pdf_page_lines(page) -> list[tuple[str, float]]:
    """The page's lines, each with the (largest) font size it is written in."""
    lines: list[tuple[str, float]] = []
    current: list[str] = []
    size = 0.0

    def visit(text, cm, tm, font_dict, font_size):
        nonlocal size
        scale = (abs(tm[0] * cm[0]) + abs(tm[3] * cm[3])) / 2 or 1.0
        parts = text.split("\n")
        for n, part in enumerate(parts):
            if n:
                lines.append(("".join(current), size))
                current.clear()
                size = 0.0
            if part.strip():
                current.append(part)
                size = max(size, round(font_size * scale, 1))

    text = page.extract_text(visitor_text=visit)
    if current:
        lines.append(("".join(current), size))
    lines = [(" ".join(t.split()), s) for t, s in lines if t.strip()]
    if not lines and text.strip():  # no font information: plain text
        lines = [(" ".join(t.split()), 0.0) for t in text.split("\n") if t.strip()]
    return lines


def _pdf_layout(pages: list[list[tuple[str, float]]]) -> list[str]:
    """Plain text of the pages: lines repeated on most pages (running headers, footers) are dropped, and lines
    in a larger font than the body become Markdown titles, by size ("#" for the largest), so that the
    importer splits on the document's own titles."""
    from collections import Counter

    if len(pages) >= 2:
        seen = Counter(t for lines in pages for t in {t for t, _s in lines})
        repeated = {t for t, n in seen.items() if n >= max(2, len(pages) / 2) and len(t) < 80}
        pages = [[(t, s) for t, s in lines if t not in repeated] for lines in pages]
    weight = Counter()
    for lines in pages:
        for t, s in lines:
            weight[s] += len(t)
    body = weight.most_common(1)[0][0] if weight else 0.0
    title_sizes = sorted(
        {s for lines in pages for t, s in lines if body and s >= body * 1.15 and len(t.split()) <= 15},
        reverse=True,
    )
    levels = {s: min(n + 1, 3) for n, s in enumerate(title_sizes)}
    out = []
    for lines in pages:
        page: list[str] = []
        previous_level = 0
        for t, s in lines:
            level = levels.get(s, 0)
            if level and previous_level == level:  # a title wrapped over two lines
                page[-2] += ("" if page[-2].endswith("-") else " ") + t
                continue
            if level:
                page += ["", "#" * level + " " + t, ""]
            else:
                page.append(t)
            previous_level = level
        out.append("\n".join(page).strip())
    return [p for p in out if p]


def _heading_level(style_name: str) -> int:
    name = (style_name or "").lower()
    if name == "title" or name == "titre":
        return 1
    for prefix in ("heading ", "titre "):
        if name.startswith(prefix) and name[len(prefix) :].strip().isdigit():
            return min(int(name[len(prefix) :].strip()), 6)
    return 0


def _docx_text(data: bytes) -> str:
    import zipfile

    import docx

    if not data.startswith(b"PK"):
        raise ValidationError(_("Ce fichier n'est pas un document Word (.docx) valide."))
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ValidationError(_("Ce document Word n'a pas pu être lu : %(error)s") % {"error": exc}) from exc
    lines: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        level = _heading_level(paragraph.style.name if paragraph.style is not None else "")
        if not text:
            lines.append("")
        elif level:
            lines += ["", "#" * level + " " + text, ""]
        else:
            bullet = "list" in (paragraph.style.name or "").lower() if paragraph.style is not None else False
            lines += [("- " if bullet else "") + text, ""]
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                lines.append(" : ".join(dict.fromkeys(cells)))
        lines.append("")
    return "\n".join(lines)
