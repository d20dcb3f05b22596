"""Reading registration lists for bulk import: CSV and spreadsheets, one row per person.

A list has one row per PERSON; the rows of one household share a household key
(a column such as ``household`` or ``household_id``). Household columns:
``gathering_point``, ``destination`` and, optionally, a pre-printed
``household_token``; person columns: the fields of
:class:`corridor.domain.registry.PersonInput` (``name_ar``, ``name_latin``,
``sex``, ``birth_year``, ``birth_date``, ``relationship``, ``mobility``,
``precedence``, ``vulnerabilities``, ``links``), ``age`` (turned into ``birth_year``) and,
optionally, a pre-printed ``person_token``.

Columns are found by their header (common spellings in English and Arabic), by a
``mapping`` from the file's headers to corridor's fields, or by an HXL hashtag row
(the second row, under the human headers; see :data:`HXL_FIELDS`).

The reader checks structure and the type of each field, and collects EVERY
problem with its row (as a spreadsheet numbers it), column header, value and
reason. Whether a site exists, and the rest of the registry's rules, are checked
by the importing service on the same rows (``service/import_checks.py``). Each
household gets a deterministic :attr:`ImportedHousehold.fingerprint` of its
content; the service knows a household by its key within a source and compares
content (``service/importing.py``).

Spreadsheets (.xlsx, .xlsm, .xlsb, .xls, .ods) are read with python-calamine:
openpyxl's read-only mode took 13 s for 100,000 rows on a slow machine,
calamine takes 0.6 s.
"""

from .columns import load_mapping
from .files import csv_rows, is_spreadsheet, no_gc, sheet_rows, spreadsheet
from .households import PERSON_DEFAULTS, Collector, HouseholdAssembler, household_fingerprint
from .hxl import HXL_FIELDS, hxl_field, parse_hashtag
from .reader import read_rows, read_table
from .results import (
    ANY_DESTINATION,
    FIELDS,
    HOUSEHOLD_FIELDS,
    IGNORE,
    PERSON_FIELDS,
    SPREADSHEET_SUFFIXES,
    BadValue,
    ImportBatch,
    ImportedHousehold,
    Progress,
    RowProblem,
)
from .spellings import HEADER_ALIASES, VALUE_ALIASES, fold
from .values import Converters, route_name, show

__all__ = [
    "ANY_DESTINATION", "FIELDS", "HEADER_ALIASES", "HOUSEHOLD_FIELDS", "HXL_FIELDS", "IGNORE", "PERSON_DEFAULTS",
    "PERSON_FIELDS", "SPREADSHEET_SUFFIXES", "VALUE_ALIASES", "BadValue", "Collector", "Converters",
    "HouseholdAssembler", "ImportBatch", "ImportedHousehold", "Progress", "RowProblem", "csv_rows", "fold",
    "household_fingerprint", "hxl_field", "is_spreadsheet", "load_mapping", "no_gc", "parse_hashtag", "read_rows",
    "read_table", "route_name", "sheet_rows", "show", "spreadsheet",
]
