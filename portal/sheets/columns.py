"""Columns of a kind of sheet, and where they are in one file.

A kind of import declares its columns (``SheetColumn``: key, the header the
export writes, the synonyms legacy files use, a hint) in a ``Columns`` registry
with its *anchor*, the column every row needs (名称, 日付, 区名). Headers are
compared in ``parsers.name_key`` form (全角/半角, spaces, punctuation and kana
folded), so 「事業所名称」, 「事業所 名称」 and 「ｼﾞｷﾞｮｳｼｮﾒｲｼｮｳ」 are alike.

``lay_out`` finds the header row — the first of the top 30 rows with two or more
known headers, one of them the anchor's; else the row with the most; rows above
it are title rows — and maps each column to a key: the export header wins over
a synonym, the left column over an equal one; ``mapping`` (the preview's column
assignment, or ``--column`` of the commands) overrides by index or header.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from portal import parsers
from portal.models import Area
from portal.sheets.problems import Problem, SheetFileError
from portal.sheets.reading import HEADER_SCAN_ROWS, Table, cell_text, is_blank


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    help: str = ""
    read_only: bool = False  # written by an export for reading; ignored by the import


class Columns:
    """The registry of one kind's columns: look-up by header, the anchor column."""

    def __init__(
        self, columns: Iterable[SheetColumn], *, anchor: str, ignored: Iterable[str] = ()
    ) -> None:
        self.columns = tuple(columns)
        self.by_key = {column.key: column for column in self.columns}
        if anchor not in self.by_key:
            raise ValueError(f"anchor {anchor!r} is not a column")
        self.anchor = anchor
        # Normalised header → (column key, rank); rank 0 is the export header,
        # key "" a header that is known and deliberately not imported.
        self.index: dict[str, tuple[str, int]] = {}
        for column in self.columns:
            for rank, name in enumerate((column.header, *column.synonyms)):
                self.index.setdefault(parsers.name_key(name), (column.key, rank))
        for name in ignored:
            self.index.setdefault(parsers.name_key(name), ("", 0))

    def __iter__(self):
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    @property
    def importable(self) -> tuple[SheetColumn, ...]:
        return tuple(c for c in self.columns if not c.read_only)

    @property
    def importable_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.importable)

    def header(self, key: str) -> str:
        return self.by_key[key].header

    def lookup(self, header: object) -> tuple[str, int] | None:
        """(key, rank) of a header; key "" for a known header that is not imported."""
        return self.index.get(parsers.name_key(header))

    def find_header(self, rows: list[tuple[int, list]]) -> int | None:
        """Index (in ``rows``) of the header row: the first of the top rows with two
        or more known headers, one of them the anchor; else the one with the most
        (two at least); None when no row has two."""
        best, best_score = None, 1
        for position, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
            keys = [self.lookup(c) for c in cells if isinstance(c, str) and c.strip()]
            known = [k[0] for k in keys if k and k[0]]
            if len(known) >= 2 and self.anchor in known:
                return position
            if len(known) > best_score:
                best, best_score = position, len(known)
        return best


@dataclass
class ColumnMapping:
    """What the import does with one column of the file (shown in the preview)."""

    index: int
    header: str
    key: str  # "" = not imported
    status: str  # used / unknown / ignored / duplicate / read_only / chosen
    label: str = ""  # the header of the column it is read as


@dataclass
class SheetRow:
    """One data row as {column key: cell}; text cells without the export's apostrophe."""

    number: int
    values: dict[str, object]

    def raw(self, key: str) -> object:
        return self.values.get(key)

    def text(self, key: str, *, multiline: bool = False) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        return parsers.text(value, multiline=multiline)

    def has(self, key: str) -> bool:
        return key in self.values


@dataclass
class Sheet:
    """A table laid out: its header row, which column holds which key, the rows under it."""

    table: Table
    columns: Columns
    header_row: int
    mappings: list[ColumnMapping]
    index: dict[str, int]  # key → position of its cell in a row
    headers: dict[str, str]  # key → the header as the file writes it
    rows: list[tuple[int, list]]  # (row number, cells) under the header, blank rows too
    warnings: list[Problem] = field(default_factory=list)

    def header(self, key: str) -> str:
        """The column's header as the file writes it, else the export header."""
        return self.headers.get(key) or self.columns.header(key)

    def records(self) -> tuple[list[SheetRow], int]:
        """The non-blank rows as ``SheetRow`` and the number of blank ones."""
        found, blank = [], 0
        for number, cells in self.rows:
            values: dict[str, object] = {}
            width = len(cells)
            for key, position in self.index.items():
                cell = cells[position] if position < width else None
                values[key] = (
                    cell if isinstance(cell, (date, datetime, int, float)) else cell_text(cell)
                )
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                blank += 1
                continue
            found.append(SheetRow(number, values))
        return found, blank


def lay_out(table: Table, columns: Columns, mapping: dict | None = None) -> Sheet:
    """Find the header row and map the columns; raises SheetFileError when the
    file has no rows, no header or nothing under it."""
    override = mapping or {}
    rows = table.rows
    position = columns.find_header(rows)
    found_header = position is not None
    if position is None:
        position = next((i for i, (_n, c) in enumerate(rows) if not is_blank(c)), None)
        if position is None:
            raise SheetFileError("ファイルに行がありません（空のファイルです）。")
    header_number, header_cells = rows[position]
    # The limit counts the rows under the header (title rows above it are free).
    from portal.sheets.reading import max_rows

    data_rows = sum(1 for _n, cells in rows[position + 1 :] if not is_blank(cells))
    if data_rows > max_rows():
        raise SheetFileError(
            f"行が多すぎます（{data_rows:,} 行）。1回の取込は {max_rows():,} 行までです。"
            "ファイルを分けて取り込んでください。"
        )
    chosen: dict[str, tuple[int, int]] = {}  # key → (rank, index)
    mappings: list[ColumnMapping] = []
    for index, cell in enumerate(header_cells):
        header = cell_text(cell).strip() if cell is not None else ""
        if index in override or (header and header in override):
            key = override.get(index, override.get(header, ""))
            if key and key not in columns.by_key:
                key = ""
            mappings.append(ColumnMapping(index, header, key, "chosen" if key else "ignored"))
            continue
        found = columns.lookup(header) if header else None
        if found is None:
            mappings.append(ColumnMapping(index, header, "", "unknown" if header else "ignored"))
            continue
        key, rank = found
        if not key:
            mappings.append(ColumnMapping(index, header, "", "ignored"))
        elif columns.by_key[key].read_only:
            mappings.append(ColumnMapping(index, header, "", "read_only"))
        else:
            mappings.append(ColumnMapping(index, header, key, "used"))
            if key not in chosen or rank < chosen[key][0]:
                chosen[key] = (rank, index)
    for m in mappings:
        if m.status == "chosen" and m.key:
            chosen[m.key] = (-1, m.index)
    for m in mappings:
        if m.key and chosen.get(m.key, (0, m.index))[1] != m.index:
            m.status, m.key = "duplicate", ""
        if m.key:
            m.label = columns.header(m.key)
    warnings: list[Problem] = []
    for m in mappings:
        if m.status == "unknown":
            warnings.append(
                Problem(None, m.header, "この見出しは取り込みません（列の割り当てで選べます）。")
            )
        elif m.status == "duplicate":
            warnings.append(
                Problem(None, m.header, "同じ項目の列がほかにあるため、この列は取り込みません。")
            )
    index = {m.key: m.index for m in mappings if m.key}
    anchor = columns.header(columns.anchor)
    if columns.anchor not in index:
        if not found_header:
            raise SheetFileError(
                f"見出しの行が見つかりません。上から{HEADER_SCAN_ROWS}行のうちに、"
                f"「{anchor}」などの見出しを書いた行を置くか、列の割り当てで「{anchor}」を選んでください。",
                mappings=mappings,
            )
        raise SheetFileError(
            f"{anchor}の列がありません。見出しを「{anchor}」にするか、列の割り当てで「{anchor}」を選んでください。",
            row=header_number,
            mappings=mappings,
        )
    data_rows = rows[position + 1 :]
    if all(is_blank(cells) for _n, cells in data_rows):
        raise SheetFileError(
            "見出しの行しかありません。見出しの下に取り込む行を入れてください。",
            row=header_number,
            mappings=mappings,
        )
    width = len(header_cells)
    for number, cells in data_rows:
        if len(cells) <= width:
            continue
        extra = [c for c in cells[width:] if c not in (None, "")]
        if extra:
            warnings.append(
                Problem(
                    number,
                    "",
                    f"見出しのない列の値（{cell_text(extra[0])[:20]} など）は取り込みません。",
                )
            )
    return Sheet(
        table=table,
        columns=columns,
        header_row=header_number,
        mappings=mappings,
        index=index,
        headers={m.key: (m.header or m.label) for m in mappings if m.key},
        rows=data_rows,
        warnings=warnings,
    )


def area_lookup() -> parsers.Lookup:
    """Areas (``Area`` objects) by code or name, for the records' 圏域 and 区名 columns."""
    lookup = parsers.Lookup("区域")
    areas = list(Area.objects.select_related("parent").order_by("tier", "sort_order", "code"))
    lookup.examples = [area.name for area in areas[:6]]
    for area in areas:
        lookup.add(area, area.code, area.name)
    return lookup
