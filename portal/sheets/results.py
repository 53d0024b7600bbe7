"""What an import did, or would do: one result type for every kind of sheet."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.sheets.columns import ColumnMapping
from portal.sheets.problems import Problem


@dataclass
class RowOutcome:
    row: int
    code: str
    name: str
    action: str  # new / updated / unchanged
    changes: list[str] = field(default_factory=list)


@dataclass
class SheetResult:
    filename: str = ""
    kind: str = ""  # csv / xlsx / ods
    encoding: str = ""
    sheet: str = ""
    header_row: int | None = None
    columns: list[ColumnMapping] = field(default_factory=list)
    rows_total: int = 0
    blank_rows: int = 0
    outcomes: list[RowOutcome] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    confirmation: str = ""  # why the import needs confirming; empty when it does not
    dry_run: bool = True
    written: bool = False
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time: the figure a busy machine does not blur

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def new(self) -> int:
        return self._count("new")

    @property
    def updated(self) -> int:
        return self._count("updated")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.confirmation)

    def details(self) -> str:
        """What a kind adds to the counts of rows (the meetings of councils)."""
        return ""

    def summary(self) -> str:
        counts = f"新規 {self.new}件、更新 {self.updated}件、変更なし {self.unchanged}件"
        details = self.details()
        return f"{counts}（{details}）" if details else counts

    def preview_lists(self) -> list[tuple[str, str, list[str]]]:
        """Extra lists for the preview: (heading, HTML id, items)."""
        return []

    def rows_per_second(self) -> float:
        return self.rows_total / self.seconds if self.seconds else 0.0
