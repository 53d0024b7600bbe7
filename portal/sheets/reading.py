"""Reading a spreadsheet file into rows of cells, safely.

- CSV in UTF-8, UTF-8 with BOM or cp932 (``portal.files.decode_bytes``: cp932,
  never shift_jis, which cannot decode ①, 髙 or ～), comma or tab separated;
- XLSX (ODS too): the first visible sheet with a header row, title rows and
  blank rows kept for the header detection (``portal.sheets.columns``);
- limits before anything is unpacked or parsed: the upload size
  (``IMPORT_MAX_UPLOAD_BYTES``), the unpacked size and compression ratio of an
  XLSX or ODS (a zip bomb is refused), rows (``IMPORT_MAX_ROWS``), columns
  (``IMPORT_MAX_COLUMNS``) and characters in one cell;
- formulas are never evaluated: a cell holding ``=SUM(A1)`` is that text, with a
  warning naming it. The apostrophe an export puts before = + - @ is taken off
  again by ``cell_text``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from portal import parsers
from portal.files import UndecodableFile, decode_bytes
from portal.sheets.problems import MB, Problem, SheetFileError, too_big

if TYPE_CHECKING:
    from portal.sheets.columns import Columns

HEADER_SCAN_ROWS = 30  # the header row is looked for in this many rows from the top
MAX_CELL_CHARS = 20_000
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_RATIO = 200  # unpacked / packed size of one member over 1 MB

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 10 * MB)


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 100_000)


def max_columns() -> int:
    return getattr(settings, "IMPORT_MAX_COLUMNS", 100)


def max_unzipped_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UNZIPPED_BYTES", 100 * MB)


@dataclass
class Table:
    rows: list[tuple[int, list]]  # (row number in the file, cells)
    kind: str  # csv / xlsx / ods
    encoding: str = ""
    sheet: str = ""
    notes: list[Problem] = field(default_factory=list)


def read_path(path: str | Path) -> bytes:
    """The bytes of a file on disk, its size checked before reading it."""
    path = Path(path)
    limit = max_upload_bytes()
    size = path.stat().st_size
    if size > limit:
        raise SheetFileError(too_big(size, limit))
    return path.read_bytes()


def read_table(data: bytes, filename: str = "", *, columns: Columns | None = None) -> Table:
    """The cells of a CSV, XLSX or ODS file; raises SheetFileError in Japanese.

    Of a workbook with several sheets, the first visible one in which
    ``columns`` finds a header row is read (else the first).
    """
    limit = max_upload_bytes()
    if len(data) > limit:
        raise SheetFileError(too_big(len(data), limit))
    if not data.strip():
        raise SheetFileError("ファイルが空です。")
    suffix = Path(filename or "").suffix.lower()
    if data.startswith(_OLE_MAGIC):
        raise SheetFileError(
            "古い Excel 形式（.xls）は読めません。Excel で「.xlsx」か「CSV」で保存し直してください。"
        )
    if data.startswith(_ZIP_MAGIC):
        return _read_zip(data, columns)
    other = _not_a_table(data)
    if other:
        raise SheetFileError(
            f"「{filename or 'ファイル'}」は表のファイルではなく{other}です。"
            "CSV（.csv）か Excel（.xlsx）のファイルを選んでください。"
        )
    if suffix in (".xlsx", ".xlsm", ".ods"):
        raise SheetFileError(
            f"「{filename}」は {suffix} ですが、中身が Excel・表計算のファイルではありません"
            "（ZIP 形式になっていません）。Excel で開いて保存し直してください。"
        )
    return _read_csv(data)


# What a file that is not a table is, by its first bytes, in words a clerk knows.
_OTHER_FILES = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "画像（PNG）"),
    (b"\xff\xd8\xff", "画像（JPEG）"),
    (b"GIF8", "画像（GIF）"),
    (b"{\\rtf", "文書（RTF）"),
)


def _not_a_table(data: bytes) -> str:
    head = data[:8]
    for magic, name in _OTHER_FILES:
        if head.startswith(magic):
            return name
    import filetype

    guess = filetype.guess(data[:262])
    if guess is not None and guess.mime not in ("application/zip",):
        return f"別の種類のファイル（{guess.extension}）"
    return ""


def _too_many_rows() -> SheetFileError:
    return SheetFileError(f"行が多すぎます。1回の取込は {max_rows():,} 行までです。")


def _read_csv(data: bytes) -> Table:
    try:
        text, encoding = decode_bytes(data)
    except UndecodableFile as exc:
        raise SheetFileError(str(exc), row=exc.line) from None
    if "\x00" in text:
        raise SheetFileError("CSV ではありません（文字でないデータが含まれています）。")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    width, most = max_columns(), max_rows() + HEADER_SCAN_ROWS
    # strict: a quote left open is an error, not the rest of the file in one cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            check_row(number, cells, width)
            rows.append((number, cells))
            if number > most:
                raise _too_many_rows()
    except csv.Error as exc:
        raise _csv_problem(str(exc), number + 1, text) from None
    return Table(rows=rows, kind="csv", encoding=encoding)


def _csv_problem(error: str, record: int, text: str) -> SheetFileError:
    """The csv module's English error, said in Japanese (its words never shown)."""
    if "field larger than field limit" in error:
        return SheetFileError(
            f"セルの文字が長すぎます（{MAX_CELL_CHARS:,} 文字まで）。"
            '引用符（"）の閉じ忘れで、続く行が一つのセルになっていないか確かめてください。',
            row=record,
        )
    if "unexpected end of data" in error or "EOF" in error:
        return SheetFileError(
            f'引用符（"）が閉じられていません。{record}行目のセルの「"」から'
            'ファイルの終わりまでが一つのセルになってしまいます。閉じる「"」を足してください。',
            row=record,
        )
    return SheetFileError(
        'CSV として読み取れません。引用符（"）の使い方を確かめてください'
        '（セルの中の「"」は「""」と二つ重ねます）。',
        row=record,
    )


def check_row(number: int, cells: list, width: int) -> None:
    """Trailing empty cells dropped; too many columns or too long a cell refused."""
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    if len(cells) > width:
        raise SheetFileError(
            f"列が {len(cells)} 列あります。1行は {width} 列までにしてください"
            "（不要な列を消すか、区切り文字を確かめてください）。",
            row=number,
        )
    if (
        all(type(cell) is str for cell in cells)
        and max(map(len, cells), default=0) <= MAX_CELL_CHARS
    ):
        return
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise SheetFileError(
                f"{index + 1}列目の文字が長すぎます（{len(cell):,} 文字、{MAX_CELL_CHARS:,} 文字まで）。",
                row=number,
            )


def _read_zip(data: bytes, columns: Columns | None) -> Table:
    """XLSX or ODS, after checking the archive cannot blow up when unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SheetFileError(
            "ファイルが壊れているため読めません（ZIP 形式として開けません）。Excel で開いて保存し直してください。"
        ) from None
    limit = max_unzipped_bytes()
    total = sum(info.file_size for info in infos)
    worst_ratio = max(
        (info.file_size / max(info.compress_size, 1) for info in infos if info.file_size > MB),
        default=0,
    )
    if len(infos) > MAX_ZIP_MEMBERS or total > limit or worst_ratio > MAX_ZIP_RATIO:
        raise SheetFileError(
            "ファイルを展開すると大きくなりすぎるため読めません（ZIP 爆弾の疑い）。"
            f"展開後 {limit / MB:.0f} MB までの Excel ファイルにしてください。"
        )
    names = {info.filename for info in infos}
    if "xl/workbook.xml" in names:
        return _read_xlsx(data, columns)
    if "content.xml" in names and b"opendocument.spreadsheet" in archive.read("mimetype")[:100]:
        return _read_ods(data)
    raise SheetFileError(
        "ZIP ファイルですが Excel（.xlsx）や表計算（.ods）のファイルではありません。"
    )


def _read_xlsx(data: bytes, columns: Columns | None) -> Table:
    import openpyxl

    try:
        # read_only streams the rows; data_only=False gives a formula's text
        # (=SUM(A1)) instead of a cached result, so nothing computed is trusted.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on damaged files
        raise SheetFileError(
            "Excel ファイルとして読めません（壊れているか、Excel の形式ではありません）。"
            "Excel で開いて保存し直してください。"
        ) from None
    try:
        sheets = [
            ws for ws in book.worksheets if getattr(ws, "sheet_state", "visible") == "visible"
        ]
        chosen = None
        tables = []
        for ws in sheets or book.worksheets:
            table = _sheet_table(ws)
            tables.append(table)
            if (
                chosen is None
                and columns is not None
                and columns.find_header(table.rows) is not None
            ):
                chosen = table
        chosen = chosen or (tables[0] if tables else Table(rows=[], kind="xlsx"))
        others = [t.sheet for t in tables if t is not chosen and t.rows]
        if others:
            chosen.notes.append(
                Problem(
                    None,
                    "",
                    f"シート「{chosen.sheet}」を読みました。ほかのシート（{'、'.join(others)}）は読みません。",
                )
            )
        return chosen
    finally:
        book.close()


def _sheet_table(ws) -> Table:
    width, most = max_columns(), max_rows() + HEADER_SCAN_ROWS
    # A sheet's <dimension> is what the file says, not what it holds: a small
    # file may declare A1:XFD1048576, and openpyxl would pad every row to it.
    # Read only the cells that are there.
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    rows: list[tuple[int, list]] = []
    notes: list[Problem] = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = list(values)
        check_row(number, cells, width)
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and cell.startswith("="):
                notes.append(
                    Problem(
                        number,
                        f"{index + 1}列目",
                        f"数式「{cell[:40]}」は計算せず、そのまま文字として読みます。",
                    )
                )
        rows.append((number, cells))
        if len(rows) > most:
            raise _too_many_rows()
    return Table(rows=rows, kind="xlsx", encoding="xlsx", sheet=ws.title, notes=notes)


def _read_ods(data: bytes) -> Table:
    import tablib

    try:
        dataset = tablib.Dataset().load(io.BytesIO(data), format="ods", headers=False)
    except Exception:
        raise SheetFileError(
            "表計算（.ods）ファイルとして読めません（壊れているか、形式が違います）。"
            "表計算ソフトで開いて保存し直してください。"
        ) from None
    width, most = max_columns(), max_rows() + HEADER_SCAN_ROWS
    rows = []
    for number, values in enumerate(dataset, start=1):
        cells = list(values)
        check_row(number, cells, width)
        if cells:
            rows.append((number, cells))
        if len(rows) > most:
            raise _too_many_rows()
    return Table(rows=rows, kind="ods", encoding="ods")


def cell_text(cell: object) -> str:
    """A cell as text, without the apostrophe the export adds before = + - @."""
    if isinstance(cell, str) and len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return "" if cell is None else cell if isinstance(cell, str) else parsers.text(cell)


def is_blank(cells: list) -> bool:
    return all(
        cell is None or (isinstance(cell, str) and not cell.strip(" \u3000\t\r\n"))
        for cell in cells
    )
