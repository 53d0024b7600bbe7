"""The analysis table: every area of a tier side by side, a 合計 row and the city.

The page, the CSV and the XLSX are written from the same ``AnalysisTable``.
The CSV's first column is the area code, then 区域 and every measure's
``column`` (the contract of ``/staff/analysis/areas.csv``), then the active
resources by type and by category; the last row is 合計.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from analysis.figures import Gathered, gather
from analysis.measures import MEASURE_BY_KEY, MEASURES, Figures, Measure, display, value
from analysis.policy import analysis_areas
from portal.models import Area
from portal.spreadsheets import csv_bytes, xlsx_value
from portal.wareki import format_fiscal_year
from resources.models import Category, Resource

TOTAL = "合計"
CODE_COLUMN = "区域コード"
AREA_COLUMN = "区域"
SORTS = ("name", *MEASURE_BY_KEY)


@dataclass
class Row:
    area: Area | None
    code: str
    label: str
    figures: Figures
    values: dict[str, int | float | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.values = {m.key: value(m, self.figures) for m in MEASURES}

    def cells(self) -> list[tuple[Measure, str]]:
        return [(m, display(m, self.values[m.key])) for m in MEASURES]

    def cells_html(self) -> str:
        """The row's <td>s."""
        return _tds(text or "—" for _m, text in self.cells())


@dataclass
class AnalysisTable:
    fiscal_year: int
    tier: int
    rows: list[Row]
    total: Row
    city: Row
    gathered: Gathered
    sort: str = "name"
    descending: bool = False
    categories: list[Category] = field(default_factory=list)
    _types: list[tuple[str, str]] | None = None

    @property
    def fiscal_year_label(self) -> str:
        return format_fiscal_year(self.fiscal_year)

    def type_columns(self) -> list[tuple[str, str]]:
        if self._types is None:
            self._types = [(value_, str(label)) for value_, label in Resource.Type.choices]
        return self._types

    def breakdown_html(self, row: Row) -> str:
        by_type, by_category = self.breakdown(row)
        return _tds(by_type + by_category)

    def breakdown(self, row: Row) -> tuple[list[int], list[int]]:
        """The row's active resources by type and by category (table order)."""
        by_type = [row.figures.by_type.get(v, 0) for v, _label in self.type_columns()]
        by_category = [row.figures.by_category.get(c.pk, 0) for c in self.categories]
        return by_type, by_category

    def csv_header(self) -> list[str]:
        return [
            CODE_COLUMN,
            AREA_COLUMN,
            *[m.column for m in MEASURES],
            *[f"種別:{label}" for _v, label in self.type_columns()],
            *[f"カテゴリ:{c.name}" for c in self.categories],
        ]

    def csv_rows(self) -> list[list]:
        rows = [self.csv_header()]
        for row in [*self.rows, self.total]:
            by_type, by_category = self.breakdown(row)
            rows.append(
                [row.code, row.label, *[text for _m, text in row.cells()], *by_type, *by_category]
            )
        return rows


def _tds(values) -> SafeString:
    """Numeric cells, escaped (a row at a time: 100 rows × 37 cells through the
    template language would be most of the page's time)."""
    return mark_safe("".join(f'<td class="num">{escape(str(v))}</td>' for v in values))


def _sorted(rows: list[Row], sort: str, descending: bool) -> list[Row]:
    if sort == "name" or sort not in MEASURE_BY_KEY:
        return rows if not descending else list(reversed(rows))
    known = [r for r in rows if r.values[sort] is not None]
    unknown = [r for r in rows if r.values[sort] is None]  # blanks last either way
    known.sort(key=lambda r: r.values[sort], reverse=descending)
    return known + unknown


def build_table(
    user,
    *,
    fiscal_year: int,
    tier: int,
    sort: str = "name",
    descending: bool = False,
    boundaries: bool = False,
) -> AnalysisTable:
    """``user``'s analysis table (analysis.policy decides the rows); the areas'
    boundaries are read only for a map (``boundaries``)."""
    areas = analysis_areas(user, tier)
    if not boundaries:
        areas = areas.defer("boundary", "parent__boundary")
    areas = list(areas)
    gathered = gather(fiscal_year, tier, areas)
    rows = [Row(a, a.code, a.label, gathered.of(a)) for a in areas]
    total_figures = Figures()
    for row in rows:
        total_figures += row.figures
    total = Row(None, TOTAL, TOTAL, total_figures)
    city = Row(None, "", _("市全体"), gathered.of(None))
    return AnalysisTable(
        fiscal_year=fiscal_year,
        tier=tier,
        rows=_sorted(rows, sort, descending),
        total=total,
        city=city,
        gathered=gathered,
        sort=sort if sort in SORTS else "name",
        descending=descending,
        categories=list(Category.objects.order_by("sort_order", "code")),
    )


def table_csv(table: AnalysisTable) -> bytes:
    """UTF-8 with a BOM, so that Excel reads it (the one CSV writer, portal/spreadsheets.py)."""
    header, *rows = table.csv_rows()
    return csv_bytes(header, rows)


def table_xlsx(table: AnalysisTable, *, title: str) -> bytes:
    """One sheet, numbers as numbers, the header frozen; every cell through the
    spreadsheet writer's xlsx_value (portal/spreadsheets.py), so no text runs as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "地域分析"
    sheet.append([xlsx_value(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    rows = table.csv_rows()
    sheet.append([xlsx_value(v) for v in rows[0]])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows[1:]:
        sheet.append([xlsx_value(_number(v)) for v in row])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C4"
    sheet.column_dimensions["B"].width = 22
    row_number = sheet.max_row + 2
    for measure in MEASURES:
        sheet.cell(
            row=row_number, column=1, value=xlsx_value(f"※ {measure.column}: {measure.definition}")
        )
        row_number += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(text):
    if isinstance(text, int | float) or not isinstance(text, str):
        return text
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text
