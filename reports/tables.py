"""The report tables cities publish, by 年度 (April–March) and area.

Each builder returns a ``Report`` of ``Table``s. The HTML page, the PDF, the
CSV and the XLSX are all written from the same table, so what a page shows and
what the CSV holds cannot drift apart (DESIGN.md contract: first column the row
label, one column per category / month / function, totals in a 合計 row and
column).

- ``councils``: 協議体の設置状況 (seed 000) per tier-1 area;
- ``creation``: 地域資源の創出数 (seed 000) per tier-1 area × category,
  新規立ち上げ / 既存資源の拡充, with 小計, 合計 and the target;
- ``monthly``: counts per month April→March (seed 002);
- ``functions``: activity functions × 所属 (seed 004), and council meetings per tier;
- ``cases``: 主な事例 (seed 002): 聴き取った内容と発言元 / 対応.

Every builder reads through the reader's ``reports.policy.ReportReader``: its
rows from the reader's sources, every free-text cell through ``reader.text``.
What each role reads of each report is decided there, once.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordinators.models import Affiliation, Function, Kind
from councils.models import Council
from portal.models import Area
from portal.municipality import city
from portal.spreadsheets import csv_bytes, xlsx_value
from portal.wareki import (
    FISCAL_MONTHS,
    fiscal_month_index,
    fiscal_year_bounds,
    format_fiscal_year,
    format_months,
    format_year_month,
)
from reports.policy import ReportReader, report_reader
from resources.models import Category, Resource

# Column and row labels of the tables are part of DESIGN.md's CSV contract
# (/staff/reports/<name>.csv): fixed Japanese, deliberately not translated.
TOTAL = "合計"
SUBTOTAL = "小計"
DEFAULT_CREATION_TARGET = 10


def creation_target() -> int:
    return int(getattr(settings, "CREATION_TARGET_PER_AREA", DEFAULT_CREATION_TARGET))


@dataclass
class Cell:
    value: int | str | None = ""
    rowspan: int = 1
    hidden: bool = False  # covered by a rowspan above: "" in the CSV, absent in HTML
    label: bool = False  # a row header
    total: bool = False  # in a 合計 / 小計 row or column: a zero shows as 0, not —

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, int) and not isinstance(self.value, bool)

    @property
    def text(self) -> str:
        return "" if self.value is None else str(self.value)


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    label_columns: int = 1
    column_groups: list[tuple[str, int]] = field(default_factory=list)
    has_total_row: bool = True
    notes: list[str] = field(default_factory=list)
    wide: bool = False

    def __post_init__(self) -> None:
        total_columns = {i for i, c in enumerate(self.columns) if c in (TOTAL, SUBTOTAL, "目標")}
        for row_index, row in enumerate(self.rows):
            last = self.has_total_row and row_index == len(self.rows) - 1
            for column, cell in enumerate(row):
                cell.total = cell.total or last or column in total_columns

    def row_groups(self) -> list[list[list[Cell]]]:
        """Rows held together by a rowspan (a ward's two rows), for <tbody> groups
        that a printed page does not split."""
        groups: list[list[list[Cell]]] = []
        for row in self.rows:
            if groups and row and row[0].hidden:
                groups[-1].append(row)
            else:
                groups.append([row])
        return groups

    def csv_rows(self) -> list[list[str | int]]:
        rows: list[list[str | int]] = [list(self.columns)]
        for row in self.rows:
            rows.append(
                [
                    "" if cell.hidden else (cell.value if cell.is_number else cell.text)
                    for cell in row
                ]
            )
        return rows

    def value(self, row_label: str, column: str) -> int | str | None:
        """The cell of the first row whose first cell is ``row_label`` (for tests)."""
        index = self.columns.index(column)
        for row in self.rows:
            if row[0].text == row_label:
                return row[index].value
        raise KeyError(row_label)


@dataclass
class Report:
    name: str
    title: str
    fiscal_year: int
    area: Area | None
    tables: list[Table]
    notes: list[str] = field(default_factory=list)

    @property
    def fiscal_year_label(self) -> str:
        return format_fiscal_year(self.fiscal_year)

    @property
    def scope_label(self) -> str:
        return self.area.label if self.area else _("全区域")

    @property
    def heading(self) -> str:
        return f"{self.fiscal_year_label} {self.title}（{self.scope_label}）"


def _n(text: int | str) -> Cell:
    return Cell(text)


def _label(text: str, rowspan: int = 1) -> Cell:
    return Cell(text, rowspan=rowspan, label=True)


def _hidden() -> Cell:
    return Cell("", hidden=True)


def _wards(area: Area | None) -> list[Area]:
    """The tier-1 rows of a report: all wards, or the ward of ``area``."""
    if area is None:
        return list(Area.objects.tier1().order_by("sort_order", "code"))
    return [area.tier1]


def _area_q(field_name: str, area: Area | None) -> Q:
    if area is None:
        return Q()
    return Q(**{f"{field_name}__in": Area.objects.within(area)})


# 協議体の設置状況 -------------------------------------------------------------------


def _area_column() -> str:
    """The first column's header: 区名 in a city of wards, 区域 where tier 1 is the
    city itself (its one row is 川口市, not a 区)."""
    return "区名" if city().has_wards else "区域"


COUNCIL_COLUMNS = [
    "区名",
    "事業開始時期",
    "協議体設置時期",
    "新設・既設",
    "既存の会議体",
    "協議体開催時期",
    "第1層の開催回数",
    "第2層の協議体数",
    "第2層の開催回数",
    TOTAL,
]


def council_status(*, fiscal_year: int, area: Area | None = None, reader: ReportReader) -> Report:
    _start, end = fiscal_year_bounds(fiscal_year)
    wards = _wards(area)
    established = Q(established_on__isnull=True) | Q(established_on__lte=end)
    councils = list(
        reader.councils()
        .filter(established, tier=Area.Tier.CITY, area__in=[w.pk for w in wards])
        .order_by("established_on", "pk")
    )
    tier1_by_ward: dict[int, Council] = {}
    for council in councils:
        tier1_by_ward.setdefault(council.area_id, council)
    tier2_counts = dict(
        reader.councils()
        .filter(established, tier=Area.Tier.DISTRICT, area__parent__in=wards)
        .values_list("area__parent")
        .annotate(n=Count("pk"))
        .values_list("area__parent", "n")
    )
    meetings = reader.meetings().held().in_fiscal_year(fiscal_year)
    months_by_council: dict[int, list[tuple[int, int]]] = defaultdict(list)
    tier1_meetings: dict[int, int] = defaultdict(int)
    for council_id, day in meetings.filter(
        council__in=[c.pk for c in tier1_by_ward.values()]
    ).values_list("council", "date"):
        months_by_council[council_id].append((day.year, day.month))
        tier1_meetings[council_id] += 1
    tier2_meetings = dict(
        meetings.filter(council__tier=Area.Tier.DISTRICT, council__area__parent__in=wards)
        .values_list("council__area__parent")
        .annotate(n=Count("pk"))
        .values_list("council__area__parent", "n")
    )

    rows: list[list[Cell]] = []
    sums = [0, 0, 0, 0]
    origins: dict[str, int] = defaultdict(int)
    for ward in wards:
        council = tier1_by_ward.get(ward.pk)
        n1 = tier1_meetings.get(council.pk, 0) if council else 0
        c2 = tier2_counts.get(ward.pk, 0)
        n2 = tier2_meetings.get(ward.pk, 0)
        numbers = [n1, c2, n2, n1 + n2]
        sums = [a + b for a, b in zip(sums, numbers, strict=True)]
        if council is None:
            texts = ["-", _("未設置"), "-", "-", "-"]
        else:
            origins[council.origin] += 1
            start_text = "-"
            if council.business_start_fy:
                start_text = format_fiscal_year(council.business_start_fy)
                note = reader.text(council.business_start_note, ward.pk)  # free text
                if note:
                    start_text += f"({note})"
            texts = [
                start_text,
                format_year_month(council.established_on) if council.established_on else "-",
                council.get_origin_display(),
                council.existing_body or "-",
                format_months(months_by_council.get(council.pk, [])) or "-",
            ]
        rows.append([_label(ward.name), *[Cell(t) for t in texts], *[_n(v) for v in numbers]])
    origin_text = "・".join(
        f"{label} {origins[value]}" for value, label in Council.Origin.choices if origins[value]
    )
    rows.append(
        [
            _label(TOTAL),
            Cell(""),
            Cell(""),
            Cell(origin_text),
            Cell(""),
            Cell(""),
            *[_n(v) for v in sums],
        ]
    )
    table = Table(
        key="councils",
        caption=_("協議体の設置状況"),
        columns=[_area_column(), *COUNCIL_COLUMNS[1:]],
        rows=rows,
        notes=[
            _(
                "%(date)s現在。協議体設置時期・新設・既設・既存の会議体・協議体開催時期は第1層（%(tier1)s）の協議体のものです。"
            )
            % {
                "date": format_year_month(end) + "末",
                "tier1": _("区") if city().has_wards else _("市全体"),
            },
            _("開催回数は、開催日が過ぎた会議の数です（予定の会議は数えません）。"),
            *reader.text_notes(),
        ],
        wide=True,
    )
    return Report(
        "councils", _("生活支援体制整備事業における協議体の設置状況"), fiscal_year, area, [table]
    )


# 地域資源の創出数 ------------------------------------------------------------------


def _primary_categories() -> tuple[list[Category], dict[int, int]]:
    categories = list(Category.objects.order_by("sort_order", "code"))
    return categories, {c.pk: index for index, c in enumerate(categories)}


def created_in(resources, fiscal_year: int):
    """The resources of ``resources`` that count in the 年度's 創出数: launched
    (新規立ち上げ) or extended (既存資源の拡充) with a start date in the 年度.
    The one rule, read by this report and by 地域分析."""
    start, end = fiscal_year_bounds(fiscal_year)
    return resources.filter(
        origin__in=[Resource.Origin.NEW, Resource.Origin.EXPANDED],
        origin_date__gte=start,
        origin_date__lte=end,
    )


def creation(*, fiscal_year: int, area: Area | None = None, reader: ReportReader) -> Report:
    """Resources launched (新規立ち上げ) or extended (既存資源の拡充) in the 年度.

    Each resource counts once, under its first category in the report order
    (a 体操 that is also 交流 counts under 運動), so that 小計 is the number of
    resources; one without a category counts under その他.
    """
    _start, end = fiscal_year_bounds(fiscal_year)
    categories, position = _primary_categories()
    fallback = next((i for i, c in enumerate(categories) if c.code == "other"), len(categories) - 1)
    wards = _wards(area)
    by_tier2 = area is not None and area.tier == Area.Tier.DISTRICT
    resources = created_in(reader.resources(), fiscal_year)
    resources = resources.filter(area=area) if by_tier2 else resources.filter(area_tier1__in=wards)
    rows_data = list(resources.values_list("pk", "area_tier1", "origin"))
    first_category: dict[int, int] = {}
    for resource_id, category_id in Resource.categories.through.objects.filter(
        resource__in=[r[0] for r in rows_data]
    ).values_list("resource", "category"):
        index = position.get(category_id, fallback)
        first_category[resource_id] = min(first_category.get(resource_id, index), index)
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0] * len(categories))
    for resource_id, ward_id, origin in rows_data:
        counts[(ward_id, origin)][first_category.get(resource_id, fallback)] += 1

    target = creation_target()
    row_areas = [area] if by_tier2 else wards
    rows: list[list[Cell]] = []
    column_totals = [0] * len(categories)
    subtotal_sum = grand = target_sum = 0
    for row_area in row_areas:
        key = row_area.parent_id if by_tier2 else row_area.pk
        new = counts[(key, Resource.Origin.NEW)]
        expanded = counts[(key, Resource.Origin.EXPANDED)]
        area_total = sum(new) + sum(expanded)
        area_target = target if row_area.tier == Area.Tier.CITY else ""
        rows.append(
            [
                _label(row_area.name, rowspan=2),
                _label(str(Resource.Origin.NEW.label)),
                *[_n(v) for v in new],
                _n(sum(new)),
                Cell(area_total, rowspan=2),
                Cell(area_target, rowspan=2),
            ]
        )
        rows.append(
            [
                _hidden(),
                _label(str(Resource.Origin.EXPANDED.label)),
                *[_n(v) for v in expanded],
                _n(sum(expanded)),
                _hidden(),
                _hidden(),
            ]
        )
        column_totals = [t + a + b for t, a, b in zip(column_totals, new, expanded, strict=True)]
        subtotal_sum += area_total
        grand += area_total
        target_sum += target if row_area.tier == Area.Tier.CITY else 0
    rows.append(
        [
            _label(TOTAL),
            _label(""),
            *[_n(v) for v in column_totals],
            _n(subtotal_sum),
            _n(grand),
            _n(target_sum) if target_sum else Cell(""),
        ]
    )
    prevention = sum(1 for c in categories if c.group == Category.Group.PREVENTION)
    groups = [
        ("", 2),
        (str(Category.Group.PREVENTION.label), prevention),
        (str(Category.Group.LIFE_SUPPORT.label), len(categories) - prevention),
        ("", 3),
    ]
    table = Table(
        key="creation",
        caption=_("地域資源の創出数"),
        columns=[_area_column(), "区分", *[c.name for c in categories], SUBTOTAL, TOTAL, "目標"],
        rows=rows,
        label_columns=2,
        column_groups=groups,
        notes=[
            _(
                "%(date)s末現在。開始日が年度内の「新規立ち上げ」「既存資源の拡充」の地域資源を数えています。"
            )
            % {"date": format_year_month(end)},
            _(
                "1つの資源は1つのカテゴリ（表の左から見て最初に当てはまるもの）で数えます。カテゴリのない資源は「その他」です。"
            ),
            (
                _("目標は1区・1年度あたり%(n)s か所です。")
                if city().has_wards
                else _("目標は1年度あたり%(n)s か所です。")
            )
            % {"n": target},
        ],
        wide=True,
    )
    return Report("creation", _("地域資源の創出数"), fiscal_year, area, [table])


# 月別の実績 (seed 002) ---------------------------------------------------------------

MONTHLY_ROWS = [
    ("tier1", "協議体（第1層）（回）"),
    ("tier2", "協議体（第2層）（回）"),
    (Kind.MEETING, "生活支援コーディネーター会議（回）"),
    (Kind.VISIT, "訪問延件数（件）"),
    (Kind.CONSULTATION, "相談延件数（件）"),
    (Kind.WORKSHOP, "ワークショップ等（回）"),
    (Kind.SYMPOSIUM, "シンポジウム（回）"),
]


def monthly(*, fiscal_year: int, area: Area | None = None, reader: ReportReader) -> Report:
    values: dict[str, list[int]] = {key: [0] * 12 for key, _label in MONTHLY_ROWS}
    meetings = (
        reader.meetings()
        .held()
        .in_fiscal_year(fiscal_year)
        .filter(_area_q("council__area", area))
        .annotate(month=ExtractMonth("date"))
        .values("council__tier", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in meetings:
        key = "tier1" if row["council__tier"] == Area.Tier.CITY else "tier2"
        values[key][fiscal_month_index(row["month"])] += row["n"]
    kinds = [str(key) for key, _label in MONTHLY_ROWS if key not in ("tier1", "tier2")]
    activities = (
        reader.activities()
        .in_fiscal_year(fiscal_year)
        .in_area(area)
        .filter(kind__in=kinds)
        .annotate(month=ExtractMonth("date"))
        .values("kind", "month")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in activities:
        values[row["kind"]][fiscal_month_index(row["month"])] += row["n"] or 0
    rows: list[list[Cell]] = []
    month_totals = [0] * 12
    for key, label in MONTHLY_ROWS:
        numbers = values[str(key)]
        month_totals = [a + b for a, b in zip(month_totals, numbers, strict=True)]
        rows.append([_label(label), *[_n(v) for v in numbers], _n(sum(numbers))])
    rows.append([_label(TOTAL), *[_n(v) for v in month_totals], _n(sum(month_totals))])
    table = Table(
        key="monthly",
        caption=_("会議、訪問・相談件数等"),
        columns=["項目", *[f"{m}月" for m in FISCAL_MONTHS], TOTAL],
        rows=rows,
        notes=[
            _("協議体の回数は開催日が過ぎた会議の数、そのほかは活動記録の延件数の合計です。"),
            _(
                "生活支援コーディネーター会議は種別「会議」、ワークショップ等は「ワークショップ・勉強会」の記録です。"
            ),
            _("最後の「合計」の行は各行（回・件）を足したものです。"),
        ],
        wide=True,
    )
    return Report("monthly", _("会議、訪問・相談件数等（月別）"), fiscal_year, area, [table])


# 活動内容ごとの実施件数 (seed 004) ------------------------------------------------------


def functions(*, fiscal_year: int, area: Area | None = None, reader: ReportReader) -> Report:
    """延件数 per function and 所属. An activity with two functions counts in both
    columns, so the 合計 column adds function counts, not activities."""
    start, end = fiscal_year_bounds(fiscal_year)
    rows_qs = (
        reader.activity_functions()
        .filter(activity__date__gte=start, activity__date__lte=end)
        .filter(_area_q("activity__area", area))
        .values("activity__affiliation", "function")
        .annotate(n=Sum("activity__count"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows_qs:
        counts[row["activity__affiliation"]][row["function"]] += row["n"] or 0
    # 所属 of coordinators serving the area during the year appear even with no record.
    serving = (
        reader.coordinators()
        .filter(active_from__lte=end)
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=start))
    )
    if area is not None:
        serving = serving.filter(user__areas__in=Area.objects.within(area))
    affiliation_ids = set(counts) | set(serving.values_list("affiliation", flat=True))
    affiliations = list(
        Affiliation.objects.filter(pk__in=affiliation_ids).order_by("sort_order", "name")
    )
    codes = list(Function.values)
    rows: list[list[Cell]] = []
    totals = [0] * len(codes)
    for affiliation in affiliations:
        numbers = [counts[affiliation.pk][code] for code in codes]
        totals = [a + b for a, b in zip(totals, numbers, strict=True)]
        rows.append([_label(affiliation.name), *[_n(v) for v in numbers], _n(sum(numbers))])
    rows.append([_label(TOTAL), *[_n(v) for v in totals], _n(sum(totals))])
    labels = dict(Function.choices)
    function_table = Table(
        key="functions",
        caption=_("生活支援コーディネーターの活動内容ごとの実施件数"),
        columns=["所属", *[str(labels[code]) for code in codes], TOTAL],
        rows=rows,
        notes=[
            _(
                "活動記録の延件数を機能ごとに足しています。2つの機能を選んだ記録は両方の列に数えるため、「合計」の列は機能ごとの件数の合計です。"
            ),
            _("2層支援は第1層のコーディネーターだけの機能です。"),
        ],
        wide=True,
    )
    meeting_counts = dict(
        reader.meetings()
        .held()
        .in_fiscal_year(fiscal_year)
        .filter(_area_q("council__area", area))
        .values_list("council__tier")
        .annotate(n=Count("pk"))
        .values_list("council__tier", "n")
    )
    n1, n2 = meeting_counts.get(Area.Tier.CITY, 0), meeting_counts.get(Area.Tier.DISTRICT, 0)
    meeting_table = Table(
        key="council_meetings",
        caption=_("協議体の実績（開催回数）"),
        columns=["協議体", "開催回数（回）"],
        rows=[
            [_label("第1層の協議体"), _n(n1)],
            [_label("第2層の協議体"), _n(n2)],
            [_label(TOTAL), _n(n1 + n2)],
        ],
    )
    return Report(
        "functions",
        _("活動内容ごとの実施件数と協議体の実績"),
        fiscal_year,
        area,
        [function_table, meeting_table],
    )


# 主な事例 (seed 002) ------------------------------------------------------------------


def case_examples(*, fiscal_year: int, area: Area | None = None, reader: ReportReader) -> Report:
    """Activities marked as case examples whose text the reader may read, by kind."""
    activities = list(
        reader.case_activities()
        .in_fiscal_year(fiscal_year)
        .in_area(area)
        .filter(is_case_example=True)
        .select_related("area__parent")
        .order_by("date", "id")
    )
    order = {value: index for index, value in enumerate(Kind.values)}
    activities.sort(key=lambda a: (order.get(a.kind, 99), a.date, a.pk))
    rows: list[list[Cell]] = []
    for index, activity in enumerate(activities):
        first_of_kind = index == 0 or activities[index - 1].kind != activity.kind
        if first_of_kind:
            span = sum(1 for a in activities[index:] if a.kind == activity.kind)
            kind_cell = _label(activity.get_kind_display(), rowspan=span)
        else:
            kind_cell = _hidden()
        heard = reader.text(activity.heard.strip(), activity.area_id)
        quoted = f"「{heard}」" if heard and not heard.startswith("「") else heard
        source = reader.text(activity.source_text, activity.area_id)
        rows.append(
            [
                kind_cell,
                Cell(" ".join(p for p in (quoted, source) if p)),
                Cell(reader.text(activity.response.strip(), activity.area_id)),
                Cell(f"{activity.date:%Y-%m-%d}"),
                Cell(activity.area.label),
            ]
        )
    table = Table(
        key="cases",
        caption=_("主な事例"),
        columns=["種別", "聴き取った内容と発言元", "対応", "日付", "区域"],
        rows=rows,
        has_total_row=False,
        notes=[
            _(
                "活動記録で「主な事例として報告する」を選んだものです。個人が特定される内容がないか確かめてから配布してください。"
            ),
            *reader.text_notes(),
        ],
    )
    return Report("cases", _("主な事例"), fiscal_year, area, [table])


REPORTS = {
    "councils": council_status,
    "creation": creation,
    "monthly": monthly,
    "functions": functions,
    "cases": case_examples,
}
REPORT_TITLES = {
    "councils": gettext_lazy("協議体の設置状況"),
    "creation": gettext_lazy("地域資源の創出数"),
    "monthly": gettext_lazy("会議、訪問・相談件数等（月別）"),
    "functions": gettext_lazy("活動内容ごとの実施件数（所属別）と協議体の実績"),
    "cases": gettext_lazy("主な事例"),
}


def build_report(name: str, *, fiscal_year: int, area: Area | None, fetched_by) -> Report:
    """The report ``name`` as ``fetched_by`` may read it (reports.policy)."""
    reader = report_reader(fetched_by)
    return REPORTS[name](fiscal_year=fiscal_year, area=area, reader=reader)


# Files ---------------------------------------------------------------------------------


def report_csv(report: Report) -> bytes:
    """The report's first table as CSV, UTF-8 with a BOM so that Excel reads it."""
    return csv_bytes(None, report.tables[0].csv_rows())


def report_xlsx(report: Report, *, city_name: str = "") -> bytes:
    """Every table of the report on its own sheet, with merged cells as on the page."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    total_fill = PatternFill("solid", fgColor="F3F6FA")
    for index, table in enumerate(report.tables):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = str(table.caption)[:31]
        title = xlsx_value(f"{city_name} {report.heading}".strip())
        sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
        row_number = 3
        if table.column_groups:
            column = 1
            for label, span in table.column_groups:
                cell = sheet.cell(row=row_number, column=column, value=xlsx_value(label or None))
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center")
                if span > 1:
                    sheet.merge_cells(
                        start_row=row_number,
                        start_column=column,
                        end_row=row_number,
                        end_column=column + span - 1,
                    )
                column += span
            row_number += 1
        header_row = row_number
        for column, label in enumerate(table.columns, start=1):
            cell = sheet.cell(row=row_number, column=column, value=xlsx_value(label))
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.border = border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row_index, row in enumerate(table.rows):
            row_number += 1
            is_total = table.has_total_row and row_index == len(table.rows) - 1
            for column, item in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column)
                cell.border = border
                if item.hidden:
                    continue
                cell.value = item.value if item.is_number else xlsx_value(item.text or None)
                cell.alignment = Alignment(vertical="center", wrap_text=not item.is_number)
                if item.label or is_total:
                    cell.font = Font(bold=True)
                if is_total:
                    cell.fill = total_fill
                if item.rowspan > 1:
                    sheet.merge_cells(
                        start_row=row_number,
                        start_column=column,
                        end_row=row_number + item.rowspan - 1,
                        end_column=column,
                    )
        for column, label in enumerate(table.columns, start=1):
            width = 8 if column > table.label_columns else 16
            if table.key == "cases" and column in (2, 3):
                width = 60
            if table.key == "councils" and column in (5, 6):
                width = 30
            sheet.column_dimensions[get_column_letter(column)].width = max(
                width, len(label) * 2 + 2
            )
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=table.label_columns + 1)
        for note_index, note in enumerate(table.notes):
            sheet.cell(row=row_number + 2 + note_index, column=1, value=xlsx_value(f"※ {note}"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
