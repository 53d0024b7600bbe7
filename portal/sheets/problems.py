"""What goes wrong in a sheet, said in Japanese with its row and column."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass
class Problem:
    """One error or warning: the row in the file (1 = the first line), the column as
    the file heads it, and what is wrong, in Japanese."""

    row: int | None
    column: str
    message: str

    def where(self) -> str:
        parts = []
        if self.row:
            parts.append(f"{self.row}行目")
        if self.column:
            parts.append(f"「{self.column}」")
        return " ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class SheetFileError(Exception):
    """The file cannot be read at all (size, format, encoding, no header).

    ``mappings`` are the columns as far as they were understood, so that the
    preview can offer to assign them (a file whose 名称 column has another name).
    """

    def __init__(
        self, message: str, *, row: int | None = None, column: str = "", mappings=None
    ) -> None:
        super().__init__(message)
        self.problem = Problem(row, column, message)
        self.mappings = mappings or []


class RowErrors(Exception):
    """The problems of one row, already added to the result: the row is left out."""


def problems_text(problems: Iterable[Problem], *, limit: int = 0) -> str:
    lines = [str(p) for p in problems]
    if limit and len(lines) > limit:
        lines = [*lines[:limit], f"…ほか {len(lines) - limit}件"]
    return "\n".join(lines)


def too_big(size: int, limit: int) -> str:
    return f"ファイルが大きすぎます（{size / MB:.1f} MB）。{limit / MB:.0f} MB までにしてください。"
