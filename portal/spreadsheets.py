"""The one writer of spreadsheet cells: every CSV and XLSX the portal sends
(exports, open data, report tables, analysis) writes its cells through here.

Text that a coordinator, an importer or a visitor typed can start with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return; Excel and LibreOffice run such a
cell as a formula (「=HYPERLINK(...)」 sends the reader elsewhere, DDE runs
programs). Such text is written with a leading apostrophe, which the
spreadsheet shows as text and the portal's import takes off again; numbers
(``-3``, ``+81``) stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, datetime

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(value: str) -> str:
    """A text cell that no spreadsheet will run as a formula."""
    if value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return safe_text(str(value))


def write_csv(headers: list[str] | None, rows: Iterable[list], out: io.TextIOBase) -> None:
    """CSV in UTF-8 with BOM and CRLF: Excel opens it without garbling Japanese."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    if headers is not None:
        writer.writerow([safe_text(str(h)) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])


def csv_bytes(headers: list[str] | None, rows: Iterable[list]) -> bytes:
    buffer = io.StringIO(newline="")
    write_csv(headers, rows, buffer)
    return buffer.getvalue().encode("utf-8")


def xlsx_value(value):
    """A cell's value for openpyxl: numbers and dates as they are, text as text."""
    if value is None or isinstance(value, int | float | date):
        return value
    text = _ILLEGAL_XML.sub("", str(value))
    return safe_text(text)


def xlsx_bytes(headers: list[str], rows: Iterable[list], *, title: str = "データ") -> bytes:
    """An XLSX workbook: a bold header row, then one row per item; numbers and
    dates as real cells, text never as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=xlsx_value(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
