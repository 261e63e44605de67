"""Numbers, periods and file formats as found in French open-data CSV files."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maillage.diagnostics.importers import (
    SECRET,
    NumberError,
    detect_format,
    parse_number,
    parse_period,
    read_header,
)

decimals = st.decimals(
    min_value=Decimal("-99999999999"), max_value=Decimal("99999999999"), places=4, allow_nan=False
)


def french(value: Decimal, *, grouping: str) -> str:
    return f"{value:,.4f}".replace(",", grouping).replace(".", ",")


@given(decimals, st.sampled_from([" ", "\u00a0", "\u202f", ""]), st.booleans())
def test_french_numbers_round_trip(value, grouping, decimal_comma_file):
    """Thousands in spaces (any kind) and a decimal comma are read back exactly, whatever the file's
    detected decimal separator."""
    assert parse_number(french(value, grouping=grouping), decimal_comma=decimal_comma_file) == value


@given(decimals)
def test_english_numbers_round_trip(value):
    assert parse_number(f"{value:.4f}", decimal_comma=False) == value
    assert parse_number(f"{value:,.4f}", decimal_comma=False) == value


@given(st.text(max_size=30), st.booleans())
def test_anything_else_is_a_clean_error(text, decimal_comma):
    try:
        result = parse_number(text, decimal_comma=decimal_comma)
    except NumberError as exc:
        assert str(exc)
    else:
        assert result is None or result is SECRET or isinstance(result, Decimal)


NUMBERISH = st.text(alphabet=st.sampled_from(list("0123456789,.-+ %'\u00a0\u202fEe\u2212sndx")), max_size=14)


@given(NUMBERISH, st.booleans())
def test_number_like_text_is_a_value_or_a_clean_error(text, decimal_comma):
    """Text made of the characters numbers are written with: a value that fits the column, or an error."""
    try:
        result = parse_number(text, decimal_comma=decimal_comma)
    except NumberError:
        return
    if isinstance(result, Decimal):
        assert abs(result) < Decimal(10) ** 14
        assert result.as_tuple().exponent >= -4
    else:
        assert result is None or result is SECRET


@pytest.mark.parametrize(
    ("raw", "decimal_comma", "expected"),
    [
        ("12,5", True, Decimal("12.5")),
        ("12.5", True, Decimal("12.5")),  # a lone point is still a decimal point
        ("1.250", True, Decimal("1250")),  # grouped by thousands in a decimal-comma file
        ("1,250", False, Decimal("1250")),
        ("1 250,75", True, Decimal("1250.75")),
        ("1.250,75", True, Decimal("1250.75")),
        ("1,250.75", False, Decimal("1250.75")),
        ("−3,2", True, Decimal("-3.2")),
        ("17,2 %", True, Decimal("17.2")),
        ("1.5E+3", False, Decimal("1500")),
        ("0,123456", True, Decimal("0.1235")),
        ("  42  ", True, Decimal("42")),
    ],
)
def test_numbers(raw, decimal_comma, expected):
    assert parse_number(raw, decimal_comma=decimal_comma) == expected


@pytest.mark.parametrize("raw", ["", "  ", "NA", "-", "n/a", "NaN"])
def test_empty_cells(raw):
    assert parse_number(raw) is None


@pytest.mark.parametrize("raw", ["s", "S", "secret", "nd", "n.d.", "NC", "(s)"])
def test_statistical_secrecy_markers(raw):
    assert parse_number(raw) is SECRET


@pytest.mark.parametrize(
    "raw",
    [
        "douze",
        "12,3,4",
        "1.2.3,4,5",
        "12a",
        "1e",
        "Infinity",
        "--3",
        "1" * 20,
        "%",
        "'",
        "+",
        "-%",
        "1E1000000",
    ],
)
def test_bad_numbers(raw):
    with pytest.raises(NumberError):
        parse_number(raw)


def test_periods():
    assert parse_period("2021") == (2021, None, "2021")
    assert parse_period("2021.0") == (2021, None, "2021")
    year, when, key = parse_period("31/12/2021")
    assert (year, when.isoformat(), key) == (2021, "2021-12-31", "2021-12-31")
    assert parse_period("2022-03-31")[2] == "2022-03-31"
    for bad in ("21", "vingt", "31/02/2021", "3000", ""):
        with pytest.raises(ValueError):
            parse_period(bad)


HEADER = "codgeo{s}libgeo{s}an{s}taux_pauvrete{s}population\n"
ROW = "17093{s}Le Château-d'Oléron{s}2021{s}{rate}{s}4366\n"


@pytest.mark.parametrize(
    ("sep", "rate", "decimal_comma"),
    [
        (";", "12,5", True),
        (",", "12.5", False),
        ("\t", "12,5", True),
        ("|", "12.5", False),
        (",", '"12,5"', True),
    ],
)
def test_separator_and_decimal_detection(write_csv, sep, rate, decimal_comma):
    path = write_csv(HEADER.format(s=sep) + ROW.format(s=sep, rate=rate) * 3)
    fmt = detect_format(path)
    assert (fmt.delimiter, fmt.decimal_comma, fmt.encoding) == (sep, decimal_comma, "utf-8")


def test_latin1_file(write_csv):
    path = write_csv(HEADER.format(s=";") + ROW.format(s=";", rate="12,5"), encoding="latin-1")
    fmt = detect_format(path)
    assert fmt.encoding == "cp1252"
    assert "Latin-1" in fmt.encoding_label
    with open(path, encoding=fmt.encoding) as f:
        assert "Château" in f.read()


def test_utf8_bom_is_not_part_of_the_first_column(write_csv):
    path = write_csv("\ufeff" + HEADER.format(s=";") + ROW.format(s=";", rate="12,5"))
    fmt = detect_format(path)
    assert fmt.encoding == "utf-8-sig"
    assert read_header(path, fmt)[0] == "codgeo"


def test_unreadable_files(write_csv, tmp_path):
    from maillage.diagnostics.importers import ImportFileError

    with pytest.raises(ImportFileError, match="vide"):
        detect_format(write_csv(""))
    with pytest.raises(ImportFileError, match="UTF-16"):
        detect_format(write_csv(HEADER.format(s=";"), encoding="utf-16"))
    with pytest.raises(ImportFileError, match="Séparateur"):
        detect_format(write_csv("codgeo\n17093\n"))
