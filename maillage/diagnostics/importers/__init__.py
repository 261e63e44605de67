"""CSV import of observations (formats.py → columns.py → places.py → engine.py), in the common open-data shape: `codgeo`, `libgeo`, `an`, then one column per
indicator (named by its code, or mapped in the preview).

- Format: encoding (UTF-8, UTF-8 with BOM, Latin-1/Windows-1252), separator (`;` `,` tab `|`, csv.Sniffer
  checked by a "same number of fields on every line" heuristic) and decimal comma are detected.
- Numbers: "12,5", "1 250", "1.250,75", "12.5", "-3", "12,5 %"; "s", "nd", "secret"… mean a value not
  published (statistical secrecy); an empty cell means no value. Both are counted, not errors.
- Places: `codgeo` is resolved through dictionaries loaded once (one query for the whole referential): a
  5-character code is a commune, 9 digits an EPCI, 2-3 characters a département (or a région when the level
  says so), FR/FE/FRANCE is France, anything else a perimeter's code.
- Streaming: rows are read one at a time and written by batches of BATCH_SIZE (COPY on PostgreSQL), with
  one query per batch to find values already recorded. Memory stays flat whatever the file's length.

Every error names the line, the column and how to fix it, in French.
"""

from maillage.diagnostics.importers.columns import (
    IGNORE,
    ColumnPlan,
    IndicatorColumns,
    column_key,
    plan_columns,
)
from maillage.diagnostics.importers.engine import (
    BATCH_SIZE,
    MAX_STORED_ERRORS,
    ImportReport,
    ObservationImporter,
    insert_observations,
)
from maillage.diagnostics.importers.formats import (
    SECRET,
    CsvFormat,
    ImportFileError,
    NumberError,
    detect_format,
    parse_number,
    parse_period,
    plain,
    read_header,
)
from maillage.diagnostics.importers.places import FRANCE, FRANCE_CODES, PlaceResolver

__all__ = [
    "BATCH_SIZE",
    "FRANCE",
    "FRANCE_CODES",
    "IGNORE",
    "MAX_STORED_ERRORS",
    "SECRET",
    "ColumnPlan",
    "CsvFormat",
    "ImportFileError",
    "ImportReport",
    "IndicatorColumns",
    "NumberError",
    "ObservationImporter",
    "PlaceResolver",
    "column_key",
    "detect_format",
    "insert_observations",
    "parse_number",
    "parse_period",
    "plain",
    "plan_columns",
    "read_header",
]
