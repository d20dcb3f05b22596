"""Reading files into rows: CSV (encodings, delimiters) and spreadsheets (python-calamine)."""

from __future__ import annotations

import codecs
import csv
import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ...domain.errors import BadInput
from .results import SPREADSHEET_SUFFIXES

def _decode(data: bytes, name: str, encoding: str | None = None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as err:  # first: it is a ValueError too
            raise BadInput(f"{name}: cannot be read as {encoding} ({err}); give another --encoding", field="file") from None
        except (LookupError, ValueError):  # not a text encoding, or a name holding a NUL character
            raise BadInput(f"encoding: no text encoding is named {encoding!r}; give another --encoding (e.g. "
                           "utf-8, or cp1256 for Arabic Windows)", field="encoding") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise BadInput(f"{name}: line {line} is not UTF-8 text; save the list as 'CSV UTF-8', or give its "
                       f"encoding with --encoding (e.g. --encoding cp1256 for Arabic Windows)",
                       field="file") from None


def _sniff(text: str) -> str:
    sample = text[:65536].splitlines()[:50]
    if sample and len(sample) > 1 and len(text) > 65536:
        sample = sample[:-1]  # the last line may be cut
    best, best_score = ",", (-1.0, 0)
    for delim in (",", ";", "\t"):
        try:
            counts = [len(r) for r in csv.reader(sample, delimiter=delim) if r]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        score = (sum(1 for c in counts if c == counts[0]) / len(counts), counts[0])
        if score > best_score:
            best, best_score = delim, score
    return best


def csv_rows(data: bytes, name: str, encoding: str | None = None) -> list[list[str]]:
    """The records of a CSV file (UTF-8 with or without BOM, or UTF-16; delimiter , ; or tab)."""
    text = _decode(data, name, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff(text))
    try:
        return list(reader)
    except csv.Error as err:
        raise BadInput(f"{name}: line {reader.line_num}: {err}", field="file") from None


def spreadsheet(path: str | Path):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises its own error types
        raise BadInput(f"{Path(path).name}: cannot be read as a spreadsheet ({err})", field="file") from None


def sheet_rows(workbook, sheet: str | None, name: str) -> tuple[Iterator[list[Any]], int]:
    """Rows of a sheet (leading empty rows included, so row numbers are the sheet's) and their number."""
    names = workbook.sheet_names
    if sheet is None:
        if not names:
            raise BadInput(f"{name}: the workbook has no sheet", field="sheet")
        ws = workbook.get_sheet_by_index(0)
    elif sheet in names:
        ws = workbook.get_sheet_by_name(sheet)
    else:
        raise BadInput(f"sheet: {name} has no sheet {sheet!r} (sheets: {', '.join(names)})", field="sheet")
    total = ws.end[0] + 1 if ws.end else 0
    return ws.iter_rows(), total


def is_spreadsheet(path: Path) -> bool:
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return True
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return False
    with path.open("rb") as f:
        head = f.read(8)
    return head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0")


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a list is read: the reader makes hundreds of
    thousands of small containers and no cycles worth collecting, and the collector's passes
    over them took half the time (reference counting still frees everything)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _blank(cells: list[Any]) -> bool:
    for c in cells:
        if c is None or c == "":
            continue
        if type(c) is str and c.isspace():
            continue
        return False
    return True
