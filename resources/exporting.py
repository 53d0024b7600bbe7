"""Exports: search results as CSV or XLSX, the open-data CSV, the whole registry.

Every export reads resources through ``resources.policy`` (``resource_search``
or ``resources_visible_to``) and every row through the field presenter
(``resources.presenter``): a cell is made from the reader's view of the
resource, so a column the reader may not read has nothing to be made from.
``columns_for`` offers a reader only the columns whose field their tier reads.

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
Every value comes from a ``Reader.PUBLIC`` view, whoever asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from portal import parsers, spreadsheets
from portal.municipality import city
from portal.roles import Reader
from resources.importing import COLUMNS, Column
from resources.models import WEEKDAY_CODES, Resource, schedule_summary, weekday_bit
from resources.policy import resources_visible_to
from resources.presenter import ResourceView, readable_keys, resource_fields, tier_of

EXPORT_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.export)


def _names(items) -> str:
    return "、".join(item.name for item in items)


def _username(user) -> str:
    return user.username if user else ""


def _local(moment: datetime | None) -> datetime | None:
    if not moment:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _key(key: str) -> tuple[str, Callable[[ResourceView], object]]:
    return key, lambda view: view[key]


# Each export column: the presenter's key whose tier it has, and how its cell is
# made from the reader's view (a cell that reads a field the reader may not read
# cannot be made: KeyError, and the cell is left out).
EXPORT_CELLS: dict[str, tuple[str, Callable[[ResourceView], object]]] = {
    **{
        key: _key(key)
        for key in (
            "code",
            "name",
            "kana",
            "description",
            "organiser",
            "venue",
            "postal_code",
            "address",
            "access",
            "lat",
            "lng",
            "area_code",
            "fee_note",
            "capacity",
            "how_to_join",
            "contact_name",
            "contact_phone",
            "contact_email",
            "url",
            "origin_date",
            "verified_on",
            "contact_person",
            "private_phone",
            "internal_notes",
        )
    },
    "resource_type": ("type_label", lambda v: v["type_label"]),
    "categories": ("categories", lambda v: _names(v["categories"])),
    "organiser_kind": ("organiser_kind_label", lambda v: v["organiser_kind_label"]),
    "location_source": ("location_source_label", lambda v: v["location_source_label"]),
    "ward": ("ward_name", lambda v: v["ward_name"]),
    "area": ("area_label", lambda v: v["area_label"]),
    "area_locked": ("area_locked", lambda v: "はい" if v["area_locked"] else ""),
    "fee": ("fee_free", lambda v: parsers.fee_text(v["fee_free"], v["fee_amount"])),
    "targets": ("targets", lambda v: _names(v["targets"])),
    "features": ("features", lambda v: _names(v["features"])),
    "schedule": ("schedule_text", lambda v: v["schedule_text"]),
    "status": ("status_label", lambda v: v["status_label"]),
    "visibility": ("visibility_label", lambda v: v["visibility_label"]),
    "origin": ("origin_label", lambda v: v["origin_label"]),
    "holiday_rule": ("holiday_rule_label", lambda v: v["holiday_rule_label"]),
    "supporting_coordinator": (
        "supporting_coordinator",
        lambda v: _username(v["supporting_coordinator"]),
    ),
    "verified_by": ("verified_by", lambda v: _username(v["verified_by"])),
    "updated_at": ("updated_at", lambda v: _local(v["updated_at"])),
}


def columns_for(reader) -> list[Column]:
    """The export columns ``reader`` (a user or a ``Reader``) may receive."""
    keys = readable_keys(tier_of(reader))
    return [c for c in EXPORT_COLUMNS if c.key in EXPORT_CELLS and EXPORT_CELLS[c.key][0] in keys]


def chosen_columns(keys: Iterable[str], user) -> list[Column]:
    """The columns named in ``keys`` that ``user`` may receive, in export order."""
    wanted = set(keys)
    return [c for c in columns_for(user) if c.key in wanted]


def export_queryset(resources: QuerySet[Resource], reader=Reader.IN_CHARGE) -> QuerySet[Resource]:
    """``resources`` with everything the columns need, in a fixed number of queries."""
    related = ["area", "area__parent", "area_tier1"]
    if tier_of(reader) >= Reader.IN_CHARGE:
        related += ["supporting_coordinator", "verified_by"]
    return resources.select_related(*related).prefetch_related(
        "categories", "targets", "features", "schedules"
    )


def export_values(view: ResourceView) -> dict:
    """Every export column the view's reader may read, keyed by column key, in Python types."""
    values = {}
    for key, (_source, cell) in EXPORT_CELLS.items():
        try:
            values[key] = cell(view)
        except KeyError:
            continue
    return values


def resource_values(resource: Resource, reader=Reader.IN_CHARGE) -> dict:
    """The export columns of one resource as ``reader`` reads them (all, by default)."""
    return export_values(resource_fields(resource, reader))


def export_rows(resources: QuerySet[Resource], columns: list[Column], *, user) -> Iterator[list]:
    """One list of values per resource, each made from ``user``'s view of it."""
    tier = tier_of(user)
    for resource in export_queryset(resources, tier).iterator(chunk_size=1000):
        values = export_values(resource_fields(resource, tier))
        yield [values.get(column.key, "") for column in columns]


# Writers -------------------------------------------------------------------


# The cells go through the one spreadsheet writer (portal.spreadsheets).
safe_text = spreadsheets.safe_text
csv_cell = spreadsheets.csv_cell
write_csv = spreadsheets.write_csv
csv_bytes = spreadsheets.csv_bytes


def xlsx_bytes(headers: list[str], rows: Iterable[list], *, title: str = "地域資源") -> bytes:
    return spreadsheets.xlsx_bytes(headers, rows, title=title)


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


def opendata_values(view: ResourceView) -> dict:
    """One open-data row, by header, from a view of the resource (``Reader.PUBLIC``)."""
    rules = view["schedules"]
    first = rules[0] if rules else None
    weekdays, _times = schedule_summary(rules)
    days = "".join(
        "月火水木金土日"[index]
        for index, code in enumerate(WEEKDAY_CODES)
        if weekdays & weekday_bit(code)
    )
    area = view["area"]
    current = city()
    updated = timezone.localtime(view["updated_at"]).date() if view["updated_at"] else None
    return {
        "全国地方公共団体コード": current.code,
        "ID": view["code"],
        "地方公共団体名": current.name,
        "名称": view["name"],
        "名称_カナ": _katakana(view["kana"]),
        "種別": view["type_label"],
        "カテゴリ": _names(view["categories"]),
        "住所": view["address"],
        "方書": view["venue"],
        "緯度": view["lat"],
        "経度": view["lng"],
        "電話番号": view["contact_phone"],
        "団体名": view["organiser"],
        "利用可能曜日": days,
        "開始時間": first.opens_at.strftime("%H:%M") if first and first.opens_at else "",
        "終了時間": first.closes_at.strftime("%H:%M") if first and first.closes_at else "",
        "利用可能日時特記事項": view["schedule_text"],
        "説明": view["description"],
        "料金": view["fee_text"],
        "対象者": _names(view["targets"]),
        "定員": view["capacity"],
        "URL": view["url"],
        "区": view["ward_name"],
        "圏域": view["area_label"] if area and area.tier == 2 else "",
        "状態": view["status_label"],
        "更新日": updated,
    }


def opendata_resources() -> QuerySet[Resource]:
    """Public resources an anonymous visitor may see, without ended ones."""
    return (
        resources_visible_to(AnonymousUser()).exclude(status=Resource.Status.ENDED).order_by("code")
    )


def opendata_csv() -> bytes:
    headers = [c.header for c in OPENDATA_COLUMNS]

    def rows():
        resources = export_queryset(opendata_resources(), Reader.PUBLIC)
        for resource in resources.iterator(chunk_size=1000):
            values = opendata_values(resource_fields(resource, Reader.PUBLIC))
            yield [values[h] for h in headers]

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
