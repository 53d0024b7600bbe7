"""Exports: search results as CSV or XLSX, the open-data CSV, the whole registry.

Every export reads resources through ``portal.access`` (``resource_search`` or
``resources_visible_to``) and every row through ``strip_staff_only``, so an
export never holds more than its reader may see.

The columns are the import's (``resources.importing.COLUMNS``): whatever the
export writes, ``import_resources`` reads back unchanged (tested).

Spreadsheet safety: a text cell that begins with = + - @ (or a tab or a
carriage return) is written with a leading apostrophe, so Excel shows it as
text instead of running it as a formula (CSV injection). The import removes
that apostrophe again.

The open-data CSV (``OPENDATA_COLUMNS``) uses the column names of the
自治体標準オープンデータセット (公共施設一覧 and 介護サービス事業所一覧) where the
standard has the item, and plain Japanese names for what it has not (種別,
カテゴリ, 料金, 対象者, 区, 圏域, 状態); its data dictionary is served beside it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from portal import parsers
from resources.importing import COLUMNS, Column
from resources.models import WEEKDAY_CODES, Resource, weekday_bit
from resources.policy import resources_visible_to, strip_staff_only

EXPORT_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.export)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def columns_for(user) -> list[Column]:
    """The export columns ``user`` may receive (staff-only ones for 関係者 and up)."""
    allowed = strip_staff_only({c.key: None for c in EXPORT_COLUMNS}, user)
    return [c for c in EXPORT_COLUMNS if c.key in allowed]


def chosen_columns(keys: Iterable[str], user) -> list[Column]:
    """The columns named in ``keys`` that ``user`` may receive, in export order."""
    wanted = set(keys)
    return [c for c in columns_for(user) if c.key in wanted]


def export_queryset(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    """``resources`` with everything the columns need, in a fixed number of queries."""
    return resources.select_related(
        "area", "area__parent", "area_tier1", "supporting_coordinator", "verified_by"
    ).prefetch_related("categories", "targets", "features", "schedules")


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


def _names(items) -> str:
    return "、".join(item.name for item in items)


def resource_values(resource: Resource) -> dict:
    """Every export column of one resource, keyed by column key, in Python types."""
    area, ward = resource.area, resource.area_tier1
    updated = timezone.localtime(resource.updated_at) if resource.updated_at else None
    return {
        "code": resource.code,
        "name": resource.name,
        "kana": resource.kana,
        "resource_type": _label(Resource.Type.choices, resource.resource_type),
        "categories": _names(resource.categories.all()),
        "description": resource.description,
        "organiser": resource.organiser,
        "organiser_kind": _label(Resource.OrganiserKind.choices, resource.organiser_kind),
        "venue": resource.venue,
        "postal_code": resource.postal_code,
        "address": resource.address,
        "access": resource.access,
        "lat": resource.lat,
        "lng": resource.lng,
        "location_source": _label(Resource.LocationSource.choices, resource.location_source),
        "ward": ward.name if ward else "",
        "area": area.label if area else "",
        "area_code": area.code if area else "",
        "area_locked": "はい" if resource.area_locked else "",
        "fee": parsers.fee_text(resource.fee_free, resource.fee_amount),
        "fee_note": resource.fee_note,
        "targets": _names(resource.targets.all()),
        "features": _names(resource.features.all()),
        "capacity": resource.capacity,
        "how_to_join": resource.how_to_join,
        "schedule": " / ".join(rule.describe() for rule in resource.schedules.all()),
        "contact_name": resource.contact_name,
        "contact_phone": resource.contact_phone,
        "contact_email": resource.contact_email,
        "url": resource.url,
        "status": _label(Resource.Status.choices, resource.status),
        "visibility": _label(Resource.Visibility.choices, resource.visibility),
        "origin": _label(Resource.Origin.choices, resource.origin),
        "origin_date": resource.origin_date,
        "verified_on": resource.verified_on,
        "contact_person": resource.contact_person,
        "private_phone": resource.private_phone,
        "internal_notes": resource.internal_notes,
        "supporting_coordinator": (
            resource.supporting_coordinator.username if resource.supporting_coordinator else ""
        ),
        "verified_by": resource.verified_by.username if resource.verified_by else "",
        "updated_at": updated.replace(tzinfo=None, microsecond=0) if updated else None,
    }


def export_rows(resources: QuerySet[Resource], columns: list[Column], *, user) -> Iterator[list]:
    """One list of values per resource; every row passes through the access policy."""
    for resource in export_queryset(resources).iterator(chunk_size=1000):
        values = strip_staff_only(resource_values(resource), user)
        yield [values.get(column.key, "") for column in columns]


# Writers -------------------------------------------------------------------


def safe_text(value: str) -> str:
    """A text cell that no spreadsheet will run as a formula."""
    if value.startswith(_FORMULA_START) and not _NUMBER.match(value):
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


def write_csv(headers: list[str], rows: Iterable[list], out: io.TextIOBase) -> None:
    """CSV in UTF-8 with BOM and CRLF: Excel opens it without garbling Japanese."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])


def csv_bytes(headers: list[str], rows: Iterable[list]) -> bytes:
    buffer = io.StringIO(newline="")
    write_csv(headers, rows, buffer)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(headers: list[str], rows: Iterable[list], *, title: str = "地域資源") -> bytes:
    """An XLSX workbook: a header row, then one row per resource; numbers and
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
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value):
    if value is None or isinstance(value, (int, float, date)):
        return value
    text = _ILLEGAL_XML.sub("", str(value))
    return safe_text(text)


@dataclass
class ExportFile:
    content: bytes
    content_type: str
    extension: str


def export_file(
    resources: QuerySet[Resource], columns: list[Column], *, user, fmt: str
) -> ExportFile:
    headers = [c.header for c in columns]
    rows = export_rows(resources, columns, user=user)
    if fmt == "xlsx":
        return ExportFile(
            xlsx_bytes(headers, rows),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    return ExportFile(csv_bytes(headers, rows), "text/csv; charset=utf-8", "csv")


def registry_export(*, fmt: str, public_only: bool) -> ExportFile:
    """The whole registry (every status), for ``manage.py export_resources``.

    ``public_only`` exports what an anonymous visitor may see; otherwise all
    resources with every column (the command runs with the server's rights).
    """
    user = AnonymousUser() if public_only else CommandReader()
    resources = resources_visible_to(user).order_by("code")
    return export_file(resources, columns_for(user), user=user, fmt=fmt)


class CommandReader:
    """Who reads a management command's export: the server's operator, who sees
    what city staff see (the access policy treats a superuser so)."""

    is_authenticated = True
    is_superuser = True
    is_anonymous = False
    pk = None


# Open data -------------------------------------------------------------------


@dataclass(frozen=True)
class OpenDataColumn:
    header: str
    description: str
    standard: bool  # a column of the 自治体標準オープンデータセット


OPENDATA_COLUMNS: tuple[OpenDataColumn, ...] = (
    OpenDataColumn("全国地方公共団体コード", "データを公開する自治体のコード（6桁）", True),
    OpenDataColumn("ID", "地域資源のコード（この自治体の中で一意）", True),
    OpenDataColumn("地方公共団体名", "データを公開する自治体の名前", True),
    OpenDataColumn("名称", "地域資源の名前", True),
    OpenDataColumn("名称_カナ", "名前の読み（全角カタカナ）", True),
    OpenDataColumn("種別", "通いの場・サロン、体操教室、認知症カフェ など", False),
    OpenDataColumn("カテゴリ", "活動の分類（「、」区切り）", False),
    OpenDataColumn("住所", "所在地", True),
    OpenDataColumn("方書", "会場の名前（建物・部屋）", True),
    OpenDataColumn("緯度", "世界測地系（WGS84）の緯度", True),
    OpenDataColumn("経度", "世界測地系（WGS84）の経度", True),
    OpenDataColumn("電話番号", "問い合わせ先の電話番号", True),
    OpenDataColumn("団体名", "運営している団体", True),
    OpenDataColumn("利用可能曜日", "開催する曜日（例: 月水金）", True),
    OpenDataColumn("開始時間", "最初の開催日時の開始時刻（HH:MM）", True),
    OpenDataColumn("終了時間", "最初の開催日時の終了時刻（HH:MM）", True),
    OpenDataColumn("利用可能日時特記事項", "開催日時の説明（例: 第1・3水曜 13:30〜15:00）", True),
    OpenDataColumn("説明", "活動の内容", True),
    OpenDataColumn("料金", "参加費（無料、100円 など）と補足", False),
    OpenDataColumn("対象者", "参加できる人（「、」区切り）", False),
    OpenDataColumn("定員", "定員（人）", True),
    OpenDataColumn("URL", "ウェブサイト", True),
    OpenDataColumn("区", "第1層の区域", False),
    OpenDataColumn("圏域", "第2層の区域（日常生活圏域）", False),
    OpenDataColumn("状態", "活動中、休止中 など", False),
    OpenDataColumn("更新日", "情報を最後に更新した日", False),
)


def _katakana(text: str) -> str:
    return "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)


def opendata_values(resource: Resource) -> dict:
    rules = list(resource.schedules.all())
    first = rules[0] if rules else None
    days = "".join(
        "月火水木金土日"[index]
        for index, code in enumerate(WEEKDAY_CODES)
        if resource.schedule_days & weekday_bit(code)
    )
    area = resource.area
    updated = timezone.localtime(resource.updated_at).date() if resource.updated_at else None
    return {
        "全国地方公共団体コード": getattr(settings, "LOCAL_GOVERNMENT_CODE", ""),
        "ID": resource.code,
        "地方公共団体名": getattr(settings, "CITY_NAME", ""),
        "名称": resource.name,
        "名称_カナ": _katakana(resource.kana),
        "種別": _label(Resource.Type.choices, resource.resource_type),
        "カテゴリ": _names(resource.categories.all()),
        "住所": resource.address,
        "方書": resource.venue,
        "緯度": resource.lat,
        "経度": resource.lng,
        "電話番号": resource.contact_phone,
        "団体名": resource.organiser,
        "利用可能曜日": days,
        "開始時間": first.opens_at.strftime("%H:%M") if first and first.opens_at else "",
        "終了時間": first.closes_at.strftime("%H:%M") if first and first.closes_at else "",
        "利用可能日時特記事項": " / ".join(rule.describe() for rule in rules),
        "説明": resource.description,
        "料金": resource.fee_text(),
        "対象者": _names(resource.targets.all()),
        "定員": resource.capacity,
        "URL": resource.url,
        "区": resource.area_tier1.name if resource.area_tier1 else "",
        "圏域": area.label if area and area.tier == 2 else "",
        "状態": _label(Resource.Status.choices, resource.status),
        "更新日": updated,
    }


def opendata_resources() -> QuerySet[Resource]:
    """Public resources an anonymous visitor may see, without ended ones."""
    return (
        resources_visible_to(AnonymousUser()).exclude(status=Resource.Status.ENDED).order_by("code")
    )


def opendata_csv() -> bytes:
    anonymous = AnonymousUser()
    headers = [c.header for c in OPENDATA_COLUMNS]

    def rows():
        for resource in export_queryset(opendata_resources()).iterator(chunk_size=1000):
            values = strip_staff_only(opendata_values(resource), anonymous)
            yield [values.get(h, "") for h in headers]

    return csv_bytes(headers, rows())


def opendata_columns_csv() -> bytes:
    """The data dictionary of the open-data CSV (項目名, 説明, 標準項目)."""
    rows = [
        [
            c.header,
            c.description,
            "自治体標準オープンデータセットの項目" if c.standard else "独自項目",
        ]
        for c in OPENDATA_COLUMNS
    ]
    return csv_bytes(["項目名", "説明", "区分"], rows)
