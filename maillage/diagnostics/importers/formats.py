"""Reading the file: encoding, separator and decimal comma detection; numbers and periods."""

import codecs
import csv
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from maillage.diagnostics.models import VALUE_DECIMALS, VALUE_DIGITS

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (";", "\t", ",", "|")
DELIMITER_LABELS = {";": "point-virgule ( ; )", ",": "virgule ( , )", "\t": "tabulation", "|": "barre ( | )"}
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (avec BOM)",
    "cp1252": "Latin-1 (Windows-1252)",
    "latin-1": "Latin-1 (ISO-8859-1)",
}

EMPTY_MARKERS = frozenset({"", "-", "–", "—", "na", "n/a", "nan", "null", "none"})
SECRET_MARKERS = frozenset(
    {"s", "secret", "nd", "n.d.", "n.d", "n/d", "nc", "n.c.", "ns", "n.s.", "c", "x", "(s)", "se"}
)
SECRET = object()  # parse_number's answer for a value that exists but is not published
QUANTUM = Decimal(1).scaleb(-VALUE_DECIMALS)
MAX_ABS = Decimal(10) ** (VALUE_DIGITS - VALUE_DECIMALS)


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, separator, missing columns). Message in French."""


class NumberError(ValueError):
    pass


# --- Numbers and periods ----------------------------------------------------------------------------------

_GROUPED = {",": re.compile(r"\d{1,3}(,\d{3})+"), ".": re.compile(r"\d{1,3}(\.\d{3})+")}
_PLAIN = re.compile(r"\d+(\.\d+)?")
_SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE][+-]?\d+")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'’")


def parse_number(raw: str, *, decimal_comma: bool = True):
    """A Decimal (rounded to 4 decimals), None for an empty cell, SECRET for an unpublished value.

    Raises NumberError (a ValueError) with a French message for anything else.
    """
    text = (raw or "").strip()
    low = text.lower()
    if low in EMPTY_MARKERS:
        return None
    if low in SECRET_MARKERS:
        return SECRET
    t = text.translate(_SPACES).replace("\u2212", "-")
    if t.endswith("%"):
        t = t[:-1]
    sign = ""
    if t and t[0] in "+-":
        sign, t = ("-" if t[0] == "-" else ""), t[1:]
    if not t:
        raise NumberError(_("ce n'est pas un nombre"))
    normalized = t if _SCIENTIFIC.fullmatch(t) else _normalize_separators(t, decimal_comma)
    try:
        value = Decimal(sign + normalized)
        if not value.is_finite():
            raise NumberError(_("ce n'est pas un nombre"))
        if abs(value) >= MAX_ABS:
            raise NumberError(_("le nombre est trop grand"))
        return value.quantize(QUANTUM, rounding=ROUND_HALF_UP)
    except ArithmeticError as exc:  # InvalidOperation, Overflow ("1E1000000")…
        raise NumberError(_("ce n'est pas un nombre")) from exc


def _normalize_separators(t: str, decimal_comma: bool) -> str:
    commas, dots = t.count(","), t.count(".")
    if commas and dots:
        decimal = "," if t.rfind(",") > t.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        integer, _sep, fraction = t.rpartition(decimal)
        if not _GROUPED[thousands].fullmatch(integer) or not fraction.isdigit():
            raise NumberError(_("séparateurs de milliers et de décimales mélangés"))
        return integer.replace(thousands, "") + "." + fraction
    for sep, count, is_decimal_sep in ((",", commas, decimal_comma), (".", dots, not decimal_comma)):
        if not count:
            continue
        if count > 1 or (not is_decimal_sep and _GROUPED[sep].fullmatch(t)):
            if not _GROUPED[sep].fullmatch(t):
                raise NumberError(_("trop de séparateurs"))
            return t.replace(sep, "")
        t = t.replace(sep, ".")
    if not _PLAIN.fullmatch(t):
        raise NumberError(_("ce n'est pas un nombre"))
    return t


def plain(value: Decimal) -> str:
    """12.5000 → "12,5", 1000.0000 → "1000" (for messages; never scientific notation)."""
    return f"{value.normalize():f}".replace(".", ",")


_DATE_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR = re.compile(r"(\d{4})(\.0+)?")


def parse_period(raw: str) -> tuple[int, date | None, str]:
    """(year, date or None, period key): "2021" → (2021, None, "2021"); "31/12/2021" and "2021-12-31" →
    (2021, date(2021, 12, 31), "2021-12-31"). Raises ValueError with a French message."""
    text = (raw or "").strip()
    when = None
    if m := _YEAR.fullmatch(text):
        year = int(m.group(1))
    elif m := _DATE_ISO.fullmatch(text):
        when = _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        year = when.year
    elif m := _DATE_FR.fullmatch(text):
        when = _make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        year = when.year
    else:
        raise ValueError(_("écrivez l'année sur 4 chiffres (2021) ou une date (31/12/2021)"))
    if not 1800 <= year <= 2100:
        raise ValueError(_("l'année doit être comprise entre 1800 et 2100"))
    return year, when, when.isoformat() if when else str(year)


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(_("cette date n'existe pas")) from exc


# --- File format ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvFormat:
    encoding: str
    delimiter: str
    decimal_comma: bool

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)

    @property
    def delimiter_label(self) -> str:
        return DELIMITER_LABELS.get(self.delimiter, self.delimiter)


def _decodes(path: Path, codec: str) -> bool:
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(4)
    if not head:
        raise ImportFileError(_("Le fichier est vide."))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(
            _(
                "Le fichier est en UTF-16 (« texte Unicode » d'Excel). Enregistrez-le au format "
                "« CSV UTF-8 (délimité par des virgules) » puis déposez-le à nouveau."
            )
        )
    if head.startswith(codecs.BOM_UTF8):
        if not _decodes(path, "utf-8-sig"):
            raise ImportFileError(
                _("Le fichier annonce l'encodage UTF-8 mais contient des caractères illisibles.")
            )
        return "utf-8-sig"
    if _decodes(path, "utf-8"):
        return "utf-8"
    return "cp1252" if _decodes(path, "cp1252") else "latin-1"


def _sample_lines(path: Path, encoding: str) -> list[str]:
    with open(path, "rb") as f:
        raw = f.read(SAMPLE_BYTES)
        truncated = bool(f.read(1))
    text = raw.decode(encoding, errors="ignore")
    lines = text.splitlines()
    if truncated and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut in the middle
    return [line for line in lines if line.strip()][:60]


def _field_counts(lines: list[str], delimiter: str) -> list[int]:
    return [len(row) for row in csv.reader(lines, delimiter=delimiter)]


def detect_delimiter(lines: list[str]) -> str:
    """csv.Sniffer's guess when every sampled line then has the same number (≥ 3) of fields; otherwise the
    first separator, in the order ; tab , |, that passes that test."""
    if not lines:
        raise ImportFileError(_("Le fichier ne contient aucune ligne."))

    def consistent(delimiter: str) -> bool:
        counts = _field_counts(lines[:30], delimiter)
        return counts[0] >= 3 and all(c == counts[0] for c in counts)

    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    candidates = ([sniffed] if sniffed else []) + [d for d in DELIMITERS if d != sniffed]
    for delimiter in candidates:
        if consistent(delimiter):
            return delimiter
    best = max(DELIMITERS, key=lambda d: _field_counts(lines[:1], d)[0])
    if _field_counts(lines[:1], best)[0] >= 3:
        return best  # the header is clear; uneven lines will be reported one by one
    raise ImportFileError(
        _(
            "Séparateur de colonnes non reconnu : la première ligne doit contenir au moins trois colonnes "
            "(codgeo, an et une valeur) séparées par des points-virgules, des virgules ou des tabulations."
        )
    )


_COMMA_DECIMAL = re.compile(r"-?\d{1,3}([ \u00a0\u202f]\d{3})*,\d+|-?\d+,\d+")
_DOT_DECIMAL = re.compile(r"-?\d+\.\d+")


def detect_decimal_comma(lines: list[str], delimiter: str) -> bool:
    comma = dot = 0
    for row in csv.reader(lines[1:], delimiter=delimiter):
        for cell in row[2:]:
            cell = cell.strip()
            if _COMMA_DECIMAL.fullmatch(cell):
                comma += 1
            elif _DOT_DECIMAL.fullmatch(cell):
                dot += 1
    if comma or dot:
        return comma > dot
    return delimiter != ","


def detect_format(path: Path) -> CsvFormat:
    encoding = detect_encoding(path)
    lines = _sample_lines(path, encoding)
    delimiter = detect_delimiter(lines)
    return CsvFormat(encoding, delimiter, detect_decimal_comma(lines, delimiter))


def read_header(path: Path, fmt: CsvFormat) -> list[str]:
    with open(path, encoding=fmt.encoding, newline="") as f:
        header = next(csv.reader(f, delimiter=fmt.delimiter), None)
    if not header:
        raise ImportFileError(_("Le fichier ne contient aucune ligne."))
    return [h.strip().lstrip("\ufeff") for h in header]
