"""Importing council records from spreadsheets (issue 6, item 6).

``manage.py import_councils`` and the staff import page (the sheet engine's
shared pages, kind ``councils``) call ``councils_import``. The columns follow the city table of seed 000
(協議体の設置状況): 区名 (or 圏域), 層, 協議体名, 事業開始時期, 協議体設置時期,
新設・既設, 既存の会議体, 協議体開催時期. That table typed into Excel, with its
title rows, imports as it is.

- A row is one council, found again by its 協議体コード when the sheet has one,
  else by its area and name, else created with the code ``IMP-`` + a hash of
  area, tier and name: a re-import finds the same council.
- No 協議体名 (the table of 000 has none): 「<区域名> 第<層>層協議体」.
- No 層: the tier of the area (a ward is 第1層).
- 事業開始時期 「平成28年度(先行区)」 → 2016 and the note 先行区.
- 協議体開催時期 names months (「平成29年11月、 平成30年1月～3月」, 「平成29年9月、11月
  平成30年3月」); a month without its year takes the year written before it.
  Each month named gives one meeting on its first day, recorded through
  ``meeting_record`` with ``external_ref`` <code>:<YYYY-MM>; a month that already
  has a meeting of the council is left alone. Text naming no month (「月1回」)
  records no meeting and is named in the warnings.
- All or nothing, dry run, row-level Japanese problems: the sheet engine's
  (``portal.sheets``), as for every import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from councils.models import Council, Meeting
from councils.services import council_save, meeting_record
from portal import parsers
from portal.models import Area
from portal.parsers import ParseError, blank_dash
from portal.sheets import (
    Columns,
    DoneLink,
    Problem,
    RowErrors,
    RowOutcome,
    Sheet,
    SheetColumn,
    SheetKind,
    SheetResult,
    SheetRow,
    SheetRun,
    area_lookup,
    sheet_import,
    sheet_import_path,
    short_hash,
    validation_problems,
)
from portal.wareki import WarekiError, fiscal_year_of, parse_date, parse_fiscal_year

COUNCIL_COLUMNS = (
    SheetColumn(
        "area",
        "区名",
        ("圏域", "区域", "区", "区域名", "圏域名", "区域コード", "地域"),
        "区域コードか名称",
    ),
    SheetColumn("tier", "層", ("階層", "第何層"), "1 か 2。空欄は区域の層"),
    SheetColumn("name", "協議体名", ("協議体の名称", "名称"), "空欄は「○○区 第1層協議体」"),
    SheetColumn(
        "start", "事業開始時期", ("事業開始年度", "事業開始"), "平成29年度、平成28年度(先行区)"
    ),
    SheetColumn(
        "established", "協議体設置時期", ("設置時期", "協議体設置日", "設置日"), "平成29年11月"
    ),
    SheetColumn("origin", "新設・既設", ("新設既設", "設置区分"), "新設 か 既設"),
    SheetColumn("existing", "既存の会議体", ("既存会議体", "既存の会議体名"), "既設のとき"),
    SheetColumn(
        "meetings",
        "協議体開催時期",
        ("開催時期", "開催月", "協議体開催月"),
        "平成29年11月、平成30年1月～3月: 名前の出た月ごとに会議を1回記録します",
    ),
    SheetColumn("code", "協議体コード", ("コード",), "あれば、同じ協議体を見分けるのに使います"),
)
COUNCIL_REGISTRY = Columns(COUNCIL_COLUMNS, anchor="area")
COUNCIL_HEADERS = {c.key: c.header for c in COUNCIL_COLUMNS}
_FIELD_HEADERS = {
    "area": "区名",
    "tier": "層",
    "name": "協議体名",
    "business_start_fy": "事業開始時期",
    "business_start_note": "事業開始時期",
    "established_on": "協議体設置時期",
    "origin": "新設・既設",
    "existing_body": "既存の会議体",
    "code": "協議体コード",
    "date": "協議体開催時期",
}

_YEAR = r"(?:(?P<{p}era>令和|平成|昭和|[RHS])\.?\s*(?P<{p}year>元|\d{{1,2}})\s*[年.]|(?P<{p}west>\d{{4}})\s*年)"
_MONTHS = re.compile(
    _YEAR.format(p="a")
    + r"?\s*(?P<amonth>\d{1,2})\s*(?:(?P<amark>月)|(?![\d.]))"
    + r"(?:\s*[~〜～\-−]\s*"
    + _YEAR.format(p="b")
    + r"?\s*(?P<bmonth>\d{1,2})\s*(?:月|(?![\d.])))?"
)
_LEFTOVER = re.compile(r"[\s、,，。・/／]+")


@dataclass
class CouncilImportResult(SheetResult):
    meetings_new: int = 0
    meetings_unchanged: int = 0

    def details(self) -> str:
        return f"会議 新規 {self.meetings_new}件、登録済み {self.meetings_unchanged}件"

    def summary(self) -> str:
        return f"協議体 {super().summary()}"


def _year(match: re.Match, prefix: str, original: str) -> int | None:
    if match[f"{prefix}west"]:
        return int(match[f"{prefix}west"])
    if match[f"{prefix}era"]:
        return parse_date(f"{match[f'{prefix}era']}{match[f'{prefix}year']}年").year
    return None


def meeting_months(value: object) -> tuple[list[date], str]:
    """The months a 協議体開催時期 cell names, as their first days, and any text
    left unread. Raises ParseError for an impossible year or month."""
    if isinstance(value, (date, datetime)):
        day = value.date() if isinstance(value, datetime) else value
        return [day.replace(day=1)], ""
    original = parsers.text(value, multiline=True)
    cleaned = unicodedata.normalize("NFKC", blank_dash(original))
    months: list[date] = []
    year: int | None = None
    last: date | None = None
    position = 0
    leftover = []
    try:
        for match in _MONTHS.finditer(cleaned):
            if not (match["amark"] or match["ayear"] or match["awest"]):
                continue  # a bare number (月1回) is not a month
            leftover.append(cleaned[position : match.start()])
            position = match.end()
            start_year = _year(match, "a", original)
            month = int(match["amonth"])
            if start_year is None:
                if year is None:
                    raise ParseError(
                        f"「{original}」: {month}月の年がわかりません（例: 平成29年11月）。"
                    )
                start_year = year
                if last and (start_year, month) < (last.year, last.month):
                    start_year += 1
            first = _month(start_year, month, original)
            span = [first]
            if match["bmonth"]:
                end_year = _year(match, "b", original) or start_year
                end = _month(end_year, int(match["bmonth"]), original)
                if end < first:
                    end = _month(end_year + 1, end.month, original)
                    if match["byear"] or match["bwest"]:
                        raise ParseError(f"「{original}」: 期間の終わりが始めより前です。")
                while span[-1] < end:
                    previous = span[-1]
                    span.append(
                        date(previous.year + previous.month // 12, previous.month % 12 + 1, 1)
                    )
            months.extend(span)
            last = span[-1]
            year = last.year
    except WarekiError as exc:
        raise ParseError(str(exc), code="date") from None
    leftover.append(cleaned[position:])
    rest = _LEFTOVER.sub(" ", "".join(leftover)).strip()
    return sorted(set(months)), rest


def _month(year: int, month: int, original: str) -> date:
    if not 1 <= month <= 12:
        raise ParseError(f"「{original}」: {month}月はありません。")
    return date(year, month, 1)


def business_start(value: object) -> tuple[int | None, str]:
    """事業開始時期: 平成28年度(先行区) → (2016, 先行区)."""
    if isinstance(value, (date, datetime)):
        day = value.date() if isinstance(value, datetime) else value
        return fiscal_year_of(day), ""
    text = blank_dash(parsers.nfkc(value))
    if not text:
        return None, ""
    note = ""
    match = re.search(r"[(（]([^)）]*)[)）]\s*$", text)
    if match:
        note, text = match[1].strip(), text[: match.start()].strip()
    try:
        if text.endswith("年度"):
            return parse_fiscal_year(text), note[:50]
        return fiscal_year_of(parse_date(text)), note[:50]
    except WarekiError as exc:
        raise ParseError(str(exc), code="date") from None


def _tier(value: object) -> int | None:
    text = parsers.nfkc(value).replace("第", "").replace("層", "").strip()
    if not text:
        return None
    if text in ("1", "2"):
        return int(text)
    raise ParseError(f"「{parsers.text(value)}」: 層は 1 か 2 で書いてください。")


_ORIGINS = parsers.choice_lookup(
    "新設・既設",
    Council.Origin.choices,
    {Council.Origin.NEW: ("新規",), Council.Origin.EXISTING: ("既存",)},
)


def derived_code(area: Area, tier: int, name: str) -> str:
    return f"IMP-{short_hash(area.code, tier, parsers.name_key(name))[:16]}"


class _CouncilRows:
    def __init__(self, result: CouncilImportResult, user) -> None:
        self.result = result
        self.user = user
        self.areas = area_lookup()
        self.seen: dict[str, int] = {}

    def handle(self, row: SheetRow) -> None:
        problems: list[Problem] = []

        def attempt(key: str, parse, *args, **kwargs):
            try:
                return parse(*args, **kwargs)
            except ParseError as exc:
                problems.append(Problem(row.number, COUNCIL_HEADERS[key], exc.message))
                return None

        area = None
        area_text = blank_dash(row.text("area"))
        if area_text:
            area = attempt("area", self.areas.resolve, area_text)
        else:
            problems.append(Problem(row.number, "区名", "区名（区域）が空です。"))
        tier = attempt("tier", _tier, row.raw("tier"))
        if area is not None and tier is not None and tier != area.tier:
            problems.append(
                Problem(
                    row.number,
                    "層",
                    f"「{area.name}」は第{area.tier}層の区域です（層は{tier}と書かれています）。",
                )
            )
        start = attempt("start", business_start, row.raw("start"))
        established_raw = row.raw("established")
        if isinstance(established_raw, str):
            established_raw = blank_dash(established_raw)
        established = attempt("established", parsers.a_date, established_raw)
        origin = None
        origin_text = blank_dash(row.text("origin"))
        if origin_text:
            origin = attempt("origin", _ORIGINS.resolve, origin_text)
        existing_body = blank_dash(row.text("existing"))[:200]
        months, rest = [], ""
        if row.has("meetings"):
            parsed = attempt("meetings", meeting_months, row.raw("meetings"))
            if parsed:
                months, rest = parsed
        if problems:
            self.result.errors.extend(problems)
            raise RowErrors
        tier = area.tier
        name = blank_dash(row.text("name"))[:200] or f"{area.name} 第{tier}層協議体"
        code = blank_dash(row.text("code"))[:32]
        key = code or f"{area.code}\x1f{parsers.name_key(name)}"
        if key in self.seen:
            self.result.errors.append(
                Problem(row.number, "協議体名", f"同じ協議体が{self.seen[key]}行目にもあります。")
            )
            raise RowErrors
        self.seen[key] = row.number
        council = None
        if code:
            council = Council.objects.filter(code=code).first()
        if council is None:
            council = Council.objects.filter(code=derived_code(area, tier, name)).first()
        if council is None and not code:
            council = Council.objects.filter(area=area, name=name).order_by("pk").first()
        action = "unchanged"
        changes: list[str] = []
        if council is None:
            council = Council(code=code or derived_code(area, tier, name))
            action = "new"
        wanted = {"area": area, "tier": tier, "name": name}
        if row.has("start"):
            wanted["business_start_fy"], wanted["business_start_note"] = start
        if row.has("established"):
            wanted["established_on"] = established
        if origin is not None or (existing_body and row.has("existing")):
            wanted["origin"] = origin or Council.Origin.EXISTING
        elif row.has("origin"):
            wanted["origin"] = Council.Origin.NEW
        if row.has("existing"):
            wanted["existing_body"] = existing_body
        for field_name, value in wanted.items():
            if field_name == "area":
                same = council.area_id == area.pk
            else:
                same = council.pk is not None and getattr(council, field_name) == value
            if not same:
                setattr(council, field_name, value)
                changes.append(_FIELD_HEADERS[field_name])
        try:
            if council.pk is None or changes:
                council_save(council=council)
                if action == "unchanged":
                    action = "updated"
            meetings_new = 0
            for first in months:
                ref = f"{council.code}:{first:%Y-%m}"
                month_end = date(first.year + first.month // 12, first.month % 12 + 1, 1)
                if (
                    Meeting.objects.filter(council=council)
                    .filter(date__gte=first, date__lt=month_end)
                    .exists()
                    or Meeting.objects.filter(council=council, external_ref=ref).exists()
                ):
                    self.result.meetings_unchanged += 1
                    continue
                meeting_record(council=council, recorded_by=self.user, date=first, external_ref=ref)
                meetings_new += 1
        except ValidationError as error:
            self.result.errors.extend(validation_problems(row.number, error, _FIELD_HEADERS))
            raise RowErrors from None
        self.result.meetings_new += meetings_new
        if meetings_new:
            changes.append(f"会議{meetings_new}件")
            if action == "unchanged":
                action = "updated"
        if rest:
            self.result.warnings.append(
                Problem(
                    row.number,
                    "協議体開催時期",
                    f"「{rest}」は開催月として読めないため、会議は記録しません。",
                )
            )
        label = f"{council.name}（{area.name}）"
        self.result.outcomes.append(
            RowOutcome(row.number, council.code, label, action, changes if action != "new" else [])
        )


def councils_import(
    data: bytes,
    *,
    filename: str = "",
    user=None,
    dry_run: bool = True,
    force: bool = False,
    skip_invalid: bool = False,
    mapping: dict | None = None,
) -> CouncilImportResult:
    """Read, check and (unless ``dry_run``) record the councils of a spreadsheet,
    with a meeting in each month its 協議体開催時期 names. Never raises for a bad
    file: problems are in ``result.errors``, in Japanese, with row and column."""
    result = CouncilImportResult(filename=filename)

    def process(sheet: Sheet, run: SheetRun) -> None:
        rows, result.blank_rows = sheet.records()
        result.rows_total = len(rows)
        run.each(rows, _CouncilRows(result, user).handle)

    return sheet_import(
        data,
        columns=COUNCIL_REGISTRY,
        process=process,
        result=result,
        dry_run=dry_run,
        force=force,
        skip_invalid=skip_invalid,
        mapping=mapping,
    )


def councils_import_path(path: str | Path, **kwargs) -> CouncilImportResult | SheetResult:
    return sheet_import_path(councils_import, path, **kwargs)


COUNCIL_SHEET = SheetKind(
    slug="councils",
    title=_("協議体の取込"),
    what=_(
        "協議体の設置状況の表（区名・事業開始時期・協議体設置時期・新設・既設・既存の会議体・協議体開催時期）"
    ),
    columns=COUNCIL_REGISTRY,
    run=councils_import,
    # The records' import pages are routed by coordinators.urls (/staff/imports/<kind>/).
    pages="coordinators:records_import",
    columns_note=_("和暦（平成30年3月、R4.4.1）でも西暦でも読めます。"),
    done_links=(DoneLink(_("協議体の一覧を見る"), "councils:council_list"),),
    help_examples=4,
)
