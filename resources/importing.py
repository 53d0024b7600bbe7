"""Importing resources from the spreadsheets cities keep today.

One library, three front ends: the staff import page (upload → preview →
confirm, ``resources.io_views``), ``manage.py import_resources`` and the
django-import-export buttons of the admin (``ResourceImportExportResource``
below hands their file to this module). All of them call ``resources_import``.

What a file may look like (DESIGN.md, ../shared/data/legacy):

- CSV in UTF-8, UTF-8 with BOM or cp932 (``portal.files.decode_bytes``), comma or
  tab separated; XLSX (ODS too) with title rows above the header and blank rows;
- Japanese headers with synonyms (``COLUMNS``); the header row is the first of
  the top 30 rows with at least two known headers, one of them the name;
- values read by ``portal.parsers``: 和暦, full-width digits, half-width kana,
  曜日 text, fees, names of categories, types and areas with synonyms and codes.

Guarantees:

- All or nothing: every row is parsed and validated (``full_clean``) before
  anything is written, inside one transaction; one invalid row writes nothing
  (``skip_invalid`` writes the valid rows and reports the rest).
- Idempotent by the resource code: a row whose values equal the stored ones is
  "unchanged" and writes nothing, not even a history entry; a changed row is
  updated and recorded in django-simple-history with the importing user.
  Columns missing from the file leave the stored values alone; an empty cell in
  a present column clears the value.
- A row without a code gets ``IMP-`` + a hash of its name and address, so the
  same file imported twice still finds its rows.
- Duplicate codes and identical rows inside a file are errors; a file that
  would change more than half of the registry asks for confirmation
  (``force``).
- Formulas are never evaluated: cells are read raw and ``=SUM(A1)`` is text.
  The apostrophe the export puts before =, +, - and @ is taken off again.
- Nothing is ever deleted: a resource missing from the file is left alone, so
  no file can empty the registry (ending resources en masse is a mass change).
- Fast: categories, areas, users and the existing rows are loaded once; areas
  are assigned in memory with ``portal.geo.locator()`` (``_Placer``, the rules
  of ``resource_prepare``, tested equal); rows and their history entries are
  written in bulk — executemany on SQLite, COPY on PostgreSQL, the history as
  ``bulk_create_with_history`` would write it (with the categories' m2m
  history). ``bulk_create`` itself was most of the time of a 10,000-row import.
  ``import_bench_figures`` measures it.

Decisions where the issue left room:

- Rows of the WAM NET file (共同生活援助 = 障害福祉サービスのグループホーム)
  become type その他: they are not 介護保険事業所. Their code is WAM NET's
  ``NO`` (unique); 事業所番号 repeats for the several homes of one 事業所.
- No type column, or an empty cell: the type is guessed from the name
  (サロン, 体操, 認知症カフェ …), else その他.
- 備考 goes to 内部メモ（関係者限定）: free notes in office lists often hold
  personal data, so they are never published by default.
- A point outside every area is still given the nearest area (as
  ``resource_prepare`` does) with a warning naming the row.
- The area column wins over the address: when it differs from the area the
  address or point gives, the resource's area is set by hand (area_locked).
- A broken web address or e-mail (WAM NET has 21: ``http://three.ai,jp``) is
  dropped with a warning naming the row, instead of holding up the file.
- A legacy ``No.`` column is a row number, not an identifier: it is skipped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone
from import_export import fields as ie_fields
from import_export import resources as ie_resources
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.results import Error, Result, RowResult

from portal import parsers
from portal.cache import data_changed
from portal.files import UndecodableFile, decode_bytes
from portal.geo import address_key, haversine_km, locator
from portal.models import Area, User
from portal.parsers import ParseError
from portal.roles import can_see_staff_only, is_city_staff
from portal.text import normalize, normalize_address
from resources.models import (
    Category,
    Feature,
    Resource,
    ScheduleRule,
    Target,
    schedule_summary,
)
from resources.policy import resources_visible_to
from resources.search import bigram_vector

MB = 1024 * 1024
HEADER_SCAN_ROWS = 30
MAX_CELL_CHARS = 20_000
CHUNK = 900  # ids per IN (…) query: under SQLite's old 999-variable limit


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 10 * MB)


def _setting(name: str, default):
    return getattr(settings, name, default)


# Columns ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the import and export: key, export header, accepted synonyms."""

    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    export: bool = True  # written by the export (and read back by the import)
    staff_only: bool = False  # a field of portal.access.STAFF_ONLY_FIELDS
    read_only: bool = False  # exported for reading; ignored by the import
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "資源コード",
        (
            "コード",
            "資源番号",
            "管理番号",
            "ID",
            "NO（※システム内の固有の番号、連番）",
            "事業所番号",
            "施設番号",
        ),
        help="取込で同じ資源を見分けるコード。空欄なら名称と住所から作ります。",
    ),
    Column(
        "name",
        "名称",
        (
            "資源名",
            "団体名",
            "名前",
            "会の名称",
            "活動名",
            "サロン名",
            "教室名",
            "グループ名",
            "事業所名",
            "事業所名称",
            "事業所の名称",
            "施設名",
            "施設名称",
        ),
        help="必須",
    ),
    Column(
        "kana",
        "よみがな",
        (
            "ふりがな",
            "フリガナ",
            "よみ",
            "読み",
            "かな",
            "カナ",
            "名称_カナ",
            "名称カナ",
            "名称（カナ）",
            "事業所の名称_かな",
            "事業所名称_カナ",
            "施設名_カナ",
        ),
    ),
    Column(
        "resource_type",
        "種別",
        ("種類", "資源の種類", "資源種別", "サービス種別", "サービスの種類", "介護サービスの種類"),
        help="通いの場・サロン、体操教室、認知症カフェ … 空欄なら名称から推定します。",
    ),
    Column(
        "categories",
        "カテゴリ",
        ("カテゴリー", "活動分類", "活動の分類", "活動内容の分類", "ジャンル", "分類"),
        help="「、」か「,」で区切って複数",
    ),
    Column(
        "description",
        "内容",
        ("活動内容", "説明", "概要", "紹介", "PR", "内容・特色", "サービス内容", "事業内容"),
    ),
    Column(
        "organiser",
        "運営団体",
        (
            "運営主体",
            "主催",
            "主催者",
            "運営者",
            "実施主体",
            "実施団体",
            "設置主体",
            "法人名",
            "法人名称",
            "法人の名称",
        ),
    ),
    Column("organiser_kind", "運営主体の種類", ("運営形態", "主体の種類", "法人種別")),
    Column("venue", "会場", ("開催場所", "会場名", "活動場所", "実施場所", "場所", "方書")),
    Column("postal_code", "郵便番号", ("〒", "郵便")),
    Column(
        "address",
        "住所",
        (
            "所在地",
            "会場住所",
            "会場の住所",
            "開催場所住所",
            "事業所住所",
            "事業所所在地",
            "施設住所",
            "所在地_連結表記",
        ),
    ),
    Column(
        "address_city",
        "住所（市区町村）",
        ("事業所住所（市区町村）", "所在地（市区町村）"),
        export=False,
    ),
    Column(
        "address_rest",
        "住所（番地以降）",
        ("事業所住所（番地以降）", "所在地（番地以降）"),
        export=False,
    ),
    Column(
        "access",
        "交通アクセス",
        ("アクセス", "アクセス方法", "交通", "最寄り駅", "最寄駅", "交通手段"),
    ),
    Column("lat", "緯度", ("事業所緯度", "latitude", "lat", "Y座標")),
    Column("lng", "経度", ("事業所経度", "longitude", "lng", "lon", "long", "X座標")),
    Column(
        "location_source",
        "位置の出どころ",
        help="入力した位置 / 町丁の代表点（住所から求めた位置）/ 位置なし",
    ),
    Column(
        "ward",
        "第1層の区域",
        ("区", "区名", "行政区", "第1層", "第1層の区"),
        help="区域の名前が区の中だけで通じるとき（第1圏域など）に使います。",
    ),
    Column(
        "area",
        "区域",
        (
            "圏域",
            "地区",
            "日常生活圏域",
            "第2層",
            "第2層圏域",
            "第2層の区域",
            "生活圏域",
            "担当圏域",
            "中学校区",
            "区域名",
            "圏域名",
        ),
        help="区域の名前。区域コードの列があればそちらを使います。",
    ),
    Column("area_code", "区域コード", ("圏域コード", "地区コード", "区コード")),
    Column("area_locked", "区域を手で指定", help="「はい」なら住所から区域を決め直しません。"),
    Column(
        "fee",
        "参加費",
        ("費用", "料金", "利用料", "利用料金", "会費", "参加費用", "参加料"),
        help="無料 / 100円 / 実費 など",
    ),
    Column(
        "fee_note",
        "費用の補足",
        ("料金の補足", "料金(詳細)", "費用の詳細", "参加費の補足", "料金備考"),
    ),
    Column("fee_required", "料金の要否", ("料金_要否", "有料", "費用の有無"), export=False),
    Column(
        "targets",
        "対象者",
        ("対象", "参加対象", "利用対象", "利用対象者", "参加対象者"),
        help="「、」か「,」で区切って複数",
    ),
    Column("features", "特徴", ("条件", "特色"), help="「、」か「,」で区切って複数"),
    Column("capacity", "定員", ("利用定員", "募集人数", "定員数")),
    Column("how_to_join", "参加方法", ("申込方法", "申し込み方法", "申込み", "利用方法")),
    Column(
        "schedule",
        "開催日時",
        (
            "曜日",
            "開催日",
            "開催曜日",
            "活動日",
            "活動曜日",
            "日時",
            "開催日程",
            "開催頻度",
            "利用可能曜日",
            "実施日",
        ),
        help="毎週火曜 10:00～11:30 / 第1・3水曜 13:30～15:00 / 毎月15日 / 不定期",
    ),
    Column(
        "times",
        "時間",
        ("開催時間", "活動時間", "時間帯", "実施時間", "利用時間"),
        export=False,
    ),
    Column("contact_name", "問い合わせ先", ("問合せ先", "問い合わせ", "お問い合わせ", "連絡先")),
    Column(
        "contact_phone",
        "電話番号",
        ("電話", "TEL", "連絡先電話番号", "事業所電話番号", "問い合わせ電話番号"),
    ),
    Column("contact_email", "メール", ("メールアドレス", "E-mail", "email", "Eメール")),
    Column("url", "ウェブサイト", ("URL", "ホームページ", "HP", "事業所URL", "ウェブページ")),
    Column("status", "状態", ("活動状況", "状況", "ステータス", "活動状態")),
    Column("visibility", "公開範囲", ("公開", "公開・非公開", "公開区分", "公開可否")),
    Column(
        "origin",
        "区分",
        ("新規・拡充", "立ち上げ区分", "新規・既存"),
        help="新規立ち上げ / 既存資源の拡充 / 既存",
    ),
    Column(
        "origin_date",
        "開始日",
        (
            "立ち上げ日",
            "立上げ日",
            "開設日",
            "活動開始日",
            "開始年月",
            "開始時期",
            "設立日",
            "設立年月日",
            "指定日",
            "指定年月日",
            "開始年度",
        ),
        help="和暦も可（令和4年4月1日、R4.4、令和4年度 = 4月1日）",
    ),
    Column("verified_on", "確認日", ("最終確認日", "情報確認日", "確認年月日")),
    Column(
        "contact_person",
        "担当者（関係者限定）",
        ("担当者", "代表者", "世話人", "代表者名", "担当者名"),
        staff_only=True,
    ),
    Column(
        "private_phone",
        "担当者の連絡先（関係者限定）",
        ("担当者の連絡先", "担当者電話番号", "代表者連絡先", "代表者電話番号", "携帯電話"),
        staff_only=True,
    ),
    Column(
        "internal_notes",
        "内部メモ（関係者限定）",
        ("内部メモ", "メモ", "備考", "備考（内部）", "関係者向けメモ"),
        staff_only=True,
    ),
    Column(
        "supporting_coordinator",
        "支援コーディネーター（関係者限定）",
        ("支援コーディネーター", "担当コーディネーター"),
        staff_only=True,
        help="利用者名（ログイン名）か表示名",
    ),
    Column("verified_by", "確認者（関係者限定）", ("確認者",), staff_only=True),
    Column("updated_at", "更新日時", ("最終更新日時",), read_only=True),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
IMPORTABLE_KEYS = tuple(c.key for c in COLUMNS if not c.read_only)

# Headers of real files that are known and deliberately not imported.
IGNORED_HEADERS = (
    "法人の名称_かな",
    "法人番号",
    "法人住所（市区町村）",
    "法人住所（番地以降）",
    "法人電話番号",
    "法人FAX番号",
    "法人URL",
    "事業所FAX番号",
    "FAX",
    "FAX番号",
    "指定機関名",
    "都道府県コード又は市区町村コード",
    "全国地方公共団体コード",
    "地方公共団体名",
    "都道府県名",
    "都道府県",
    "市区町村名",
    "市区町村",
    "POIコード",
    "利用可能な時間帯（平日）",
    "利用可能な時間帯（土曜）",
    "利用可能な時間帯（日曜）",
    "利用可能な時間帯（祝日）",
    "定休日",
    "利用可能曜日特記事項（留意事項）",
    "利用可能日時特記事項",
    "駐車場_有無",
    "駐車場情報",
    "名称_英字",
    "名称_英語",
    "No.",
    "No",
    "番号",
    "連番",
    "通し番号",
    "登録日時",
)


def _header_index() -> dict[str, tuple[str, int]]:
    """Normalised header → (column key, rank); rank 0 is the export header."""
    index: dict[str, tuple[str, int]] = {}
    for column in COLUMNS:
        for rank, name in enumerate((column.header, *column.synonyms)):
            index.setdefault(parsers.name_key(name), (column.key, rank))
    for name in IGNORED_HEADERS:
        index.setdefault(parsers.name_key(name), ("", 0))
    return index


HEADER_INDEX = _header_index()


def column_for_header(header: object) -> tuple[str, int] | None:
    """(key, rank) of a header; key "" for a known header that is not imported."""
    return HEADER_INDEX.get(parsers.name_key(header))


# Problems and results -----------------------------------------------------


class ImportFileError(Exception):
    """The file cannot be read at all (size, format, encoding, no header)."""

    def __init__(self, message: str, *, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.problem = Problem(row, column, message)


@dataclass
class Problem:
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


@dataclass
class ColumnMapping:
    index: int
    header: str
    key: str  # "" = not imported
    status: str  # used / unknown / ignored / duplicate / read_only / chosen

    @property
    def label(self) -> str:
        column = COLUMN_BY_KEY.get(self.key)
        return column.header if column else ""


@dataclass
class RowOutcome:
    row: int
    code: str
    name: str
    action: str  # new / updated / unchanged
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
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

    def summary(self) -> str:
        return f"新規 {self.new}件、更新 {self.updated}件、変更なし {self.unchanged}件"

    def rows_per_second(self) -> float:
        return self.rows_total / self.seconds if self.seconds else 0.0


# Reading files -------------------------------------------------------------


@dataclass
class Table:
    rows: list[tuple[int, list]]  # (row number in the file, cells)
    kind: str
    encoding: str = ""
    sheet: str = ""
    notes: list[Problem] = field(default_factory=list)


_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_table(data: bytes, filename: str = "") -> Table:
    """The cells of a CSV, XLSX or ODS file; raises ImportFileError in Japanese."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise ImportFileError(
            f"ファイルが大きすぎます（{len(data) / MB:.1f} MB）。{limit / MB:.0f} MB までにしてください。"
        )
    if not data.strip():
        raise ImportFileError("ファイルが空です。")
    suffix = Path(filename or "").suffix.lower()
    if data.startswith(_OLE_MAGIC):
        raise ImportFileError(
            "古い Excel 形式（.xls）は読めません。Excel で「.xlsx」か「CSV」で保存し直してください。"
        )
    if data.startswith(_ZIP_MAGIC):
        return _read_zip(data)
    if suffix in (".xlsx", ".xlsm", ".ods"):
        raise ImportFileError(
            f"「{filename}」は {suffix} ですが、中身が Excel・表計算のファイルではありません"
            "（ZIP 形式になっていません）。Excel で開いて保存し直してください。"
        )
    return _read_csv(data)


def _read_csv(data: bytes) -> Table:
    try:
        text, encoding = decode_bytes(data)
    except UndecodableFile as exc:
        raise ImportFileError(str(exc), row=exc.line) from None
    if "\x00" in text:
        raise ImportFileError("CSV ではありません（文字でないデータが含まれています）。")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    max_columns = _setting("IMPORT_MAX_COLUMNS", 100)
    max_rows = _setting("IMPORT_MAX_ROWS", 100_000)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            _check_row(number, cells, max_columns)
            rows.append((number, cells))
            if number > max_rows + HEADER_SCAN_ROWS:
                raise ImportFileError(f"行が多すぎます。1回の取込は {max_rows:,} 行までです。")
    except csv.Error as exc:
        raise ImportFileError(
            f'CSV として読み取れません（{exc}）。引用符（"）の閉じ忘れがないか確かめてください。',
            row=number + 1,
        ) from None
    return Table(rows=rows, kind="csv", encoding=encoding)


def _check_row(number: int, cells: list, max_columns: int) -> None:
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    if len(cells) > max_columns:
        raise ImportFileError(
            f"列が {len(cells)} 列あります。1行は {max_columns} 列までにしてください"
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
            raise ImportFileError(
                f"{index + 1}列目の文字が長すぎます（{len(cell):,} 文字、{MAX_CELL_CHARS:,} 文字まで）。",
                row=number,
            )


def _read_zip(data: bytes) -> Table:
    """XLSX or ODS, after checking the archive cannot blow up when unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(
            "ファイルが壊れているため読めません（ZIP 形式として開けません）。Excel で開いて保存し直してください。"
        ) from None
    max_unzipped = _setting("IMPORT_MAX_UNZIPPED_BYTES", 100 * MB)
    total = sum(info.file_size for info in infos)
    worst_ratio = max(
        (info.file_size / max(info.compress_size, 1) for info in infos if info.file_size > MB),
        default=0,
    )
    if len(infos) > 10_000 or total > max_unzipped or worst_ratio > 200:
        raise ImportFileError(
            "ファイルを展開すると大きくなりすぎるため読めません（ZIP 爆弾の疑い）。"
            f"展開後 {max_unzipped / MB:.0f} MB までの Excel ファイルにしてください。"
        )
    names = {info.filename for info in infos}
    if "xl/workbook.xml" in names:
        return _read_xlsx(data)
    if "content.xml" in names and b"opendocument.spreadsheet" in archive.read("mimetype")[:100]:
        return _read_ods(data)
    raise ImportFileError(
        "ZIP ファイルですが Excel（.xlsx）や表計算（.ods）のファイルではありません。"
    )


def _read_xlsx(data: bytes) -> Table:
    import openpyxl

    try:
        # read_only streams the rows; data_only=False gives a formula's text
        # (=SUM(A1)) instead of a cached result, so nothing computed is trusted.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise ImportFileError(
            f"Excel ファイルとして読めません（{type(exc).__name__}）。Excel で開いて保存し直してください。"
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
            if chosen is None and _find_header(table.rows) is not None:
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
    max_columns = _setting("IMPORT_MAX_COLUMNS", 100)
    max_rows = _setting("IMPORT_MAX_ROWS", 100_000)
    rows: list[tuple[int, list]] = []
    notes: list[Problem] = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = list(values)
        _check_row(number, cells, max_columns)
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
        if len(rows) > max_rows + HEADER_SCAN_ROWS:
            raise ImportFileError(f"行が多すぎます。1回の取込は {max_rows:,} 行までです。")
    return Table(rows=rows, kind="xlsx", encoding="xlsx", sheet=ws.title, notes=notes)


def _read_ods(data: bytes) -> Table:
    import tablib

    try:
        dataset = tablib.Dataset().load(io.BytesIO(data), format="ods", headers=False)
    except Exception as exc:
        raise ImportFileError(
            f"表計算（.ods）ファイルとして読めません（{type(exc).__name__}）。"
        ) from None
    max_columns = _setting("IMPORT_MAX_COLUMNS", 100)
    rows = []
    for number, values in enumerate(dataset, start=1):
        cells = list(values)
        _check_row(number, cells, max_columns)
        if cells:
            rows.append((number, cells))
    return Table(rows=rows, kind="ods", encoding="ods")


def _cell_text(cell: object) -> str:
    """A cell as text, without the apostrophe the export adds before = + - @."""
    if isinstance(cell, str) and len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return "" if cell is None else cell if isinstance(cell, str) else parsers.text(cell)


def _is_blank(cells: list) -> bool:
    return all(
        cell is None or (isinstance(cell, str) and not cell.strip(" \u3000\t\r\n"))
        for cell in cells
    )


def _find_header(rows: list[tuple[int, list]]) -> int | None:
    """Index (in ``rows``) of the header row: the first of the top rows with two
    or more known headers, one of them the name; else the one with the most."""
    best, best_score = None, 1
    for position, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = [column_for_header(c) for c in cells if isinstance(c, str) and c.strip()]
        known = [k[0] for k in keys if k and k[0]]
        if len(known) >= 2 and "name" in known:
            return position
        if len(known) > best_score:
            best, best_score = position, len(known)
    return best


# Reference data loaded once per import --------------------------------------


class _References:
    """Categories, targets, features, areas and users, looked up by name in memory."""

    def __init__(self) -> None:
        self.categories = parsers.Lookup("カテゴリ")
        for category in Category.objects.all():
            self.categories.add(
                category.pk,
                category.code,
                category.name,
                *parsers.CATEGORY_SYNONYMS.get(category.code, ()),
            )
            self.categories.examples.append(category.name)
        self.targets = self._named(Target, "対象者")
        self.features = self._named(Feature, "特徴")
        self.types = parsers.choice_lookup("種別", Resource.Type.choices, parsers.TYPE_SYNONYMS)
        self.statuses = parsers.choice_lookup(
            "状態", Resource.Status.choices, parsers.STATUS_SYNONYMS
        )
        self.visibilities = parsers.choice_lookup(
            "公開範囲", Resource.Visibility.choices, parsers.VISIBILITY_SYNONYMS
        )
        self.origins = parsers.choice_lookup(
            "区分", Resource.Origin.choices, parsers.ORIGIN_SYNONYMS
        )
        self.organiser_kinds = parsers.choice_lookup(
            "運営主体の種類", Resource.OrganiserKind.choices, parsers.ORGANISER_KIND_SYNONYMS
        )
        self.location_sources = parsers.choice_lookup(
            "位置の出どころ",
            [c for c in Resource.LocationSource.choices if c[0]],
            {"address_point": ("住所から求めた位置", "町丁の代表点（住所から）")},
        )
        self.location_sources.add("", "位置なし")
        self._load_areas()
        self._load_users()

    @staticmethod
    def _named(model, label: str) -> parsers.Lookup:
        lookup = parsers.Lookup(label)
        for row in model.objects.all():
            lookup.add(row.pk, row.code, row.name)
            lookup.examples.append(row.name)
        return lookup

    def _load_areas(self) -> None:
        city = getattr(settings, "CITY_NAME", "")
        rows = list(Area.objects.values_list("id", "tier", "parent_id", "code", "name"))
        self.area_info = {pk: (tier, parent_id) for pk, tier, parent_id, _c, _n in rows}
        names = {pk: name for pk, _t, _p, _c, name in rows}
        self.area_codes = {pk: code for pk, _t, _p, code, _n in rows}
        self.area_names = names
        self.areas = parsers.Lookup("区域")
        self.area_by_code = parsers.Lookup("区域コード", key=parsers.code_key)
        for pk, tier, parent_id, code, name in rows:
            parent = names.get(parent_id, "")
            label = name if not parent or name.startswith(parent) else f"{parent} {name}"
            self.area_by_code.add(pk, code)
            if re.fullmatch(r"\d{5}", code):  # 全国地方公共団体コード with its check digit
                self.area_by_code.add(pk, code + _check_digit(code))
            self.areas.add(pk, code, name, label, f"{city}{label}")
            if parent and name.startswith(parent) and name[len(parent) :].strip():
                # 第1圏域 of 北区 第1圏域: unambiguous in one ward, ambiguous (an
                # error asking for the ward) in a city where every ward has one.
                self.areas.add(pk, name[len(parent) :].strip())
            if city and name.startswith(city):
                self.areas.add(pk, name[len(city) :])
            if tier == Area.Tier.CITY:
                self.areas.examples.append(name)
        self.ward_names = {
            pk: names[pk] for pk, (tier, _p) in self.area_info.items() if tier == Area.Tier.CITY
        }

    def _load_users(self) -> None:
        self.users = parsers.Lookup("利用者")
        for pk, username, display, first, last in User.objects.values_list(
            "id", "username", "display_name", "first_name", "last_name"
        ):
            self.users.add(pk, username)
            if display:
                self.users.add(pk, display)
            full = f"{last} {first}".strip()
            if full:
                self.users.add(pk, full)
        self.usernames = dict(User.objects.values_list("id", "username"))

    def tier1_of(self, area_id: int | None) -> int | None:
        if area_id is None:
            return None
        tier, parent_id = self.area_info.get(area_id, (None, None))
        return parent_id if tier == Area.Tier.DISTRICT else area_id

    def resolve_area(self, name: str, ward: str) -> int:
        try:
            return self.areas.resolve(name)
        except ParseError:
            if ward:
                found = self.areas.get(f"{ward}{name}") or self.areas.get(f"{ward} {name}")
                if found:
                    return found
            raise


def _check_digit(code: str) -> str:
    total = sum(int(d) * w for d, w in zip(code, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


# Area assignment in memory ---------------------------------------------------


# Plain strings: the enum members' descriptor costs show at 10,000 rows.
_EXACT = str(Resource.LocationSource.EXACT.value)
_ADDRESS_POINT = str(Resource.LocationSource.ADDRESS_POINT.value)
_NO_POINT = str(Resource.LocationSource.NONE.value)


def _resource_defaults() -> dict:
    from django.db.models import NOT_PROVIDED

    defaults = {}
    for f in Resource._meta.concrete_fields:
        if f.default is not NOT_PROVIDED and callable(f.default):
            return {}  # a callable default: build resources the ordinary way
        defaults[f.attname] = f.get_default()
    return defaults


_DEFAULTS = _resource_defaults()


def _new_resource(code: str, values: dict) -> Resource:
    """``Resource(code=code, **values)``, a third of the time: Model.__init__ walks
    every field for each of 10,000 rows, here the defaults are copied at once."""
    if not _DEFAULTS:
        return Resource(code=code, **values)
    from django.db.models.base import ModelState

    resource = Resource.__new__(Resource)
    resource._state = ModelState()
    resource.__dict__.update(_DEFAULTS)
    resource.__dict__.update(values)
    resource.code = code
    return resource


class _Placer:
    """``resource_prepare``'s location rules for thousands of rows at once.

    The same order (address → point in polygon → nearest area) on the same
    ``locator()`` data, with two shortcuts that give identical answers: 町丁
    names are found by substring look-up instead of a scan of every name, and
    the nearest area by one vectorised distance computation.
    """

    def __init__(self, refs: _References) -> None:
        import numpy

        self.refs = refs
        self.locator = locator()
        self._numpy = numpy
        # 町丁 names found in only one ward, by their first two characters.
        self.unique_names: dict[str, list[tuple[int, str, object]]] = defaultdict(list)
        for order, (name, entries) in enumerate(self.locator.names.items()):
            if len(entries) == 1 and len(name) >= 3:
                self.unique_names[name[:2]].append((order, name, entries[0]))
        centroids = self.locator.centroids
        best_tier = 2 if any(t == 2 for _, _, t in centroids.values()) else 1
        ids = [aid for aid, (_, _, t) in centroids.items() if t == best_tier]
        self.centroid_ids = ids
        self.centroid_lat = numpy.radians([centroids[a][0] for a in ids])
        self.centroid_lng = numpy.radians([centroids[a][1] for a in ids])
        self._address_cache: dict[str, object] = {}
        city = getattr(settings, "CITY_NAME", "")
        self.ward_keys = [
            (normalize_address(f"{city}{name}"), pk) for pk, name in refs.ward_names.items()
        ]

    def match_address(self, address: str):
        if address in self._address_cache:
            return self._address_cache[address]
        found = self._match_address(address)
        self._address_cache[address] = found
        return found

    def _match_address(self, address: str):
        key = address_key(address)
        if not key:
            return None
        for ward_key, entries in self.locator.wards.items():
            if ward_key and ward_key in key:
                rest = key[key.index(ward_key) + len(ward_key) :]
                best = max(
                    (e for e in entries if rest.startswith(e.key)),
                    key=lambda e: len(e.key),
                    default=None,
                )
                if best:
                    return best
        best = None  # (length, -order, entry): the longest name, the first of equals
        for start in range(len(key) - 2):
            for order, name, entry in self.unique_names.get(key[start : start + 2], ()):
                if key.startswith(name, start):
                    candidate = (len(name), -order, entry)
                    if best is None or candidate[:2] > best[:2]:
                        best = candidate
        return best[2] if best else None

    def _areas_containing(self, lats: list[float], lngs: list[float]) -> list[int | None]:
        """``Locator.area_containing`` for many points: tier 2 first, then tier 1;
        of several hits the first area in the tree's order."""
        import shapely

        found: list[int | None] = [None] * len(lats)
        if not lats:
            return found
        points = shapely.points(lngs, lats)
        for tier in (2, 1):
            tree_ids = self.locator._tree(tier)
            pending = [i for i, area in enumerate(found) if area is None]
            if not tree_ids or not pending:
                continue
            tree, ids = tree_ids
            inputs, hits = tree.query(points[pending], predicate="intersects")
            best: dict[int, int] = {}
            for position, hit in zip(inputs.tolist(), hits.tolist(), strict=True):
                if position not in best or hit < best[position]:
                    best[position] = hit
            for position, hit in best.items():
                found[pending[position]] = ids[hit]
        return found

    def _nearest(self, lats: list[float], lngs: list[float]) -> list[tuple[int | None, float]]:
        """``Locator.nearest_area`` for many points (the first of equally near)."""
        if not self.centroid_ids:
            return [(None, math.inf)] * len(lats)
        np = self._numpy
        p1 = np.radians(np.asarray(lats))[:, None]
        l1 = np.radians(np.asarray(lngs))[:, None]
        a = (
            np.sin((self.centroid_lat[None, :] - p1) / 2) ** 2
            + np.cos(p1)
            * np.cos(self.centroid_lat)[None, :]
            * np.sin((self.centroid_lng[None, :] - l1) / 2) ** 2
        )
        indexes = np.argmin(a, axis=1).tolist()
        result = []
        for lat, lng, index in zip(lats, lngs, indexes, strict=True):
            area_id = self.centroid_ids[index]
            lat2, lng2, _tier = self.locator.centroids[area_id]
            result.append((area_id, haversine_km(lat, lng, lat2, lng2)))
        return result

    def _ward_in(self, address: str) -> int | None:
        key = address_key(address)
        for ward_key, pk in self.ward_keys:
            if ward_key and ward_key in key:
                return pk
        return None

    def place_many(self, resources: list[Resource]) -> list[tuple[str, float]]:
        """Set location_source, lat/lng and area of each resource as
        ``resource_prepare`` would; returns (method, km) per resource, the
        method being address / polygon / nearest / ward or "" for none."""
        exact, address_point, none = _EXACT, _ADDRESS_POINT, _NO_POINT
        outcome: list[tuple[str, float]] = [("", 0.0)] * len(resources)
        located: dict[int, tuple] = {}  # index → (area id, lat, lng, method, km)
        by_point: list[int] = []
        work: list[tuple[int, bool, bool, bool]] = []
        for index, resource in enumerate(resources):
            has_point = resource.lat is not None and resource.lng is not None
            if has_point and resource.location_source != address_point:
                resource.location_source = exact
            needs_area = not resource.area_locked
            needs_point = not has_point or resource.location_source == address_point
            work.append((index, has_point, needs_area, needs_point))
            if not (needs_area or needs_point):
                continue
            entry = self.match_address(resource.address) if resource.address else None
            if entry and entry.area_id:
                located[index] = (entry.area_id, entry.lat, entry.lng, "address", 0.0)
            elif has_point:
                by_point.append(index)
            elif resource.address:
                # Not in resource_prepare: an address naming only the ward
                # (大阪市都島区（以下略）) still gives the ward.
                ward = self._ward_in(resource.address)
                if ward:
                    located[index] = (ward, None, None, "ward", 0.0)
        lats = [resources[i].lat for i in by_point]
        lngs = [resources[i].lng for i in by_point]
        containing = self._areas_containing(lats, lngs)
        outside = [n for n, area in enumerate(containing) if area is None]
        nearest = self._nearest([lats[n] for n in outside], [lngs[n] for n in outside])
        for n, area in enumerate(containing):
            if area is not None:
                located[by_point[n]] = (area, None, None, "polygon", 0.0)
        for n, (area, km) in zip(outside, nearest, strict=True):
            located[by_point[n]] = (area, None, None, "nearest", km)
        for index, has_point, needs_area, needs_point in work:
            resource = resources[index]
            if needs_area or needs_point:
                area_id, plat, plng, method, km = located.get(index, (None, None, None, "", 0.0))
                if needs_area and area_id:
                    resource.area_id = area_id
                if needs_point and plat is not None:
                    resource.lat, resource.lng = plat, plng
                    resource.location_source = address_point
                elif not has_point:
                    resource.location_source = none
                outcome[index] = (method, km)
            resource.area_tier1_id = self.refs.tier1_of(resource.area_id)
        return outcome

    def place(self, resource: Resource) -> tuple[str, float]:
        return self.place_many([resource])[0]


# Parsing rows ----------------------------------------------------------------

_TEXT_FIELDS = {
    "name": 200,
    "kana": 300,
    "organiser": 200,
    "venue": 200,
    "access": 300,
    "how_to_join": 300,
    "contact_name": 200,
    "contact_person": 100,
    "private_phone": 30,
}
_MULTILINE_FIELDS = ("description", "internal_notes")
_ALWAYS_CHECKED = {
    "resource_type",
    "lat",
    "lng",
    "location_source",
    "area_locked",
    "fee_free",
    "fee_amount",
}
# Checked as strictly by the parsers already (lengths, ranges, URL and e-mail syntax).
_PARSER_CHECKED = {*_TEXT_FIELDS, "lat", "lng", "url", "contact_email", "capacity", "address"}
_NOT_CHECKED = {"area_id", "area_tier1_id", "supporting_coordinator_id", "verified_by_id", "code"}
# What placing a resource may set (resource_prepare's outputs).
_PLACED_FIELDS = {"lat", "lng", "location_source", "area_id", "area_locked"}
_SEARCH_INPUTS = {"name", "kana", "description", "organiser", "venue", "address"}
_LOCATION_INPUTS = {"address", "lat", "lng", "location_source", "area_id", "area_locked"}
_RESOURCE_FIELDS = (
    "code",
    "name",
    "kana",
    "resource_type",
    "description",
    "organiser",
    "organiser_kind",
    "venue",
    "postal_code",
    "address",
    "access",
    "lat",
    "lng",
    "location_source",
    "area_id",
    "area_locked",
    "fee_free",
    "fee_amount",
    "fee_note",
    "capacity",
    "how_to_join",
    "contact_name",
    "contact_phone",
    "contact_email",
    "url",
    "contact_person",
    "private_phone",
    "internal_notes",
    "supporting_coordinator_id",
    "status",
    "visibility",
    "origin",
    "origin_date",
    "verified_on",
    "verified_by_id",
)
# Model field → the column whose cell it came from (for messages).
_FIELD_COLUMN = {
    "fee_free": "fee",
    "fee_amount": "fee",
    "area_id": "area",
    "area": "area",
    "area_locked": "area_locked",
    "supporting_coordinator_id": "supporting_coordinator",
    "verified_by_id": "verified_by",
    "weekdays": "schedule",
    "weeks_of_month": "schedule",
    "day_of_month": "schedule",
    "opens_at": "schedule",
    "closes_at": "schedule",
    "note": "schedule",
}
_TYPE_GUESSES = (
    ("認知症カフェ", Resource.Type.DEMENTIA_CAFE),
    ("オレンジカフェ", Resource.Type.DEMENTIA_CAFE),
    ("百歳体操", Resource.Type.EXERCISE),
    ("体操", Resource.Type.EXERCISE),
    ("サロン", Resource.Type.SALON),
    ("通いの場", Resource.Type.SALON),
    ("配食", Resource.Type.MEALS),
    ("見守り", Resource.Type.WATCH),
    ("包括支援センター", Resource.Type.CONSULTATION),
    ("相談", Resource.Type.CONSULTATION),
    ("デイサービス", Resource.Type.CARE_OFFICE),
    ("訪問介護", Resource.Type.CARE_OFFICE),
)


def guess_type(name: str) -> str:
    for word, rtype in _TYPE_GUESSES:
        if word in name:
            return rtype
    return Resource.Type.OTHER


def derived_code(name: str, address: str) -> str:
    """A stable code for a row without one: IMP- + hash of name and address."""
    digest = hashlib.sha1(f"{normalize(name)}|{normalize_address(address)}".encode()).hexdigest()
    return f"IMP-{digest[:12].upper()}"


@dataclass
class _Row:
    number: int
    values: dict = field(default_factory=dict)  # model attname → value
    m2m: dict = field(default_factory=dict)  # categories/targets/features → set of ids
    rules: list | None = None  # list[parsers.Rule] when the file has a schedule column
    area_given: int | None = None
    code: str = ""
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


class _RowParser:
    """Reads the cells of one row into model values, collecting problems."""

    def __init__(self, importer: _Importer, row: _Row, cells: list) -> None:
        self.importer = importer
        self.refs = importer.refs
        self.row = row
        self.present = importer.columns
        self.values = row.values
        width = len(cells)
        self.raws = {
            key: (_cell_text(cells[index]) if type(cells[index]) is str else cells[index])
            if index < width
            else None
            for key, index in self.present.items()
        }

    def raw(self, key: str) -> object:
        return self.raws.get(key)

    def text(self, key: str, *, multiline: bool = False) -> str:
        return parsers.text(self.raws.get(key), multiline=multiline)

    def error(self, key: str, message: str) -> None:
        self.row.errors.append(Problem(self.row.number, self.importer.header(key), message))

    def warn(self, key: str, message: str) -> None:
        self.row.warnings.append(Problem(self.row.number, self.importer.header(key), message))

    def attempt(self, key: str, parse, *args, **kwargs):
        try:
            return parse(*args, **kwargs)
        except ParseError as exc:
            self.error(key, exc.message)
            return _FAILED

    def put(self, key: str, attname: str, parse, *args, **kwargs) -> None:
        value = self.attempt(key, parse, *args, **kwargs)
        if value is not _FAILED:
            self.values[attname] = value

    def texts(self) -> None:
        for key, limit in _TEXT_FIELDS.items():
            if key in self.present:
                value = self.text(key)
                if len(value) > limit:
                    self.error(key, f"長すぎます（{len(value)}文字、{limit}文字まで）。")
                self.values[key] = value
        for key in _MULTILINE_FIELDS:
            if key in self.present:
                self.values[key] = self.text(key, multiline=True)
        for key, parse in (("url", parsers.url), ("contact_email", parsers.email)):
            # A broken link is dropped with a warning rather than holding up the
            # whole file: the rest of the row is still right (WAM NET has 21).
            if key in self.present:
                try:
                    self.values[key] = parse(self.raw(key))
                except ParseError as exc:
                    self.warn(key, exc.message + "この値は取り込みません。")
                    self.values[key] = ""
        for key in ("contact_phone", "private_phone"):
            if key in self.present:
                self.values[key] = parsers.phone(self.text(key))
        if "postal_code" in self.present:
            self.put("postal_code", "postal_code", parsers.postal_code, self.raw("postal_code"))
        address_keys = [k for k in ("address", "address_city", "address_rest") if k in self.present]
        if address_keys:
            whole = self.text("address") if "address" in self.present else ""
            parts = "".join(
                self.text(k) for k in ("address_city", "address_rest") if k in self.present
            )
            address = _NOT_WRITTEN.sub("", whole or parts).strip()
            if len(address) > 300:
                self.error(address_keys[0], f"長すぎます（{len(address)}文字、300文字まで）。")
            self.values["address"] = address
        if "code" in self.present:
            code = parsers.nfkc(self.raw("code")).replace(" ", "")
            if len(code) > 32:
                self.error("code", f"資源コード「{code[:40]}」が長すぎます（32文字まで）。")
            self.row.code = code

    def choices(self) -> None:
        refs = self.refs
        if "resource_type" in self.present and self.text("resource_type"):
            self.put(
                "resource_type", "resource_type", refs.types.resolve, self.text("resource_type")
            )
        for key, lookup in (
            ("status", refs.statuses),
            ("visibility", refs.visibilities),
            ("origin", refs.origins),
            ("organiser_kind", refs.organiser_kinds),
        ):
            if key not in self.present:
                continue
            raw = self.text(key)
            if raw:
                self.put(key, key, lookup.resolve, raw)
            else:
                self.values[key] = Resource._meta.get_field(key).get_default()

    def names(self) -> None:
        refs = self.refs
        for key, lookup in (
            ("categories", refs.categories),
            ("targets", refs.targets),
            ("features", refs.features),
        ):
            if key in self.present:
                ids = {
                    self.attempt(key, lookup.resolve, name)
                    for name in parsers.split_names(self.raw(key))
                }
                self.row.m2m[key] = ids - {_FAILED}

    def location(self) -> None:
        present = self.present
        if "lat" in present or "lng" in present:
            key = "lat" if "lat" in present else "lng"
            point = self.attempt(key, parsers.coordinates, self.raw("lat"), self.raw("lng"))
            if point is not _FAILED:
                self.values["lat"], self.values["lng"] = point or (None, None)
                if point and parsers.outside_japan(*point):
                    self.warn(key, f"緯度 {point[0]:g}・経度 {point[1]:g} は日本の外です。")
        if "location_source" in present:
            raw = self.text("location_source")
            if raw:
                self.put(
                    "location_source", "location_source", self.refs.location_sources.resolve, raw
                )
            else:
                self.values["location_source"] = ""
        if "area_locked" in present:
            self.put("area_locked", "area_locked", parsers.boolean, self.raw("area_locked"))
        ward = self.text("ward") if "ward" in present else ""
        found = _FAILED
        if "area_code" in present and self.text("area_code"):
            found = self.attempt(
                "area_code", self.refs.area_by_code.resolve, parsers.nfkc(self.raw("area_code"))
            )
        elif "area" in present and self.text("area"):
            found = self.attempt("area", self.refs.resolve_area, self.text("area"), ward)
        elif ward:
            found = self.attempt("ward", self.refs.areas.resolve, ward)
        if found is not _FAILED:
            self.row.area_given = found

    def fees(self) -> None:
        present = self.present
        if not {"fee", "fee_note", "fee_required"} & set(present):
            return
        key = next(k for k in ("fee", "fee_required", "fee_note") if k in present)
        parsed = (
            self.attempt("fee", parsers.fee, self.raw("fee")) if "fee" in present else parsers.Fee()
        )
        if parsed is _FAILED:
            return
        note = parsed.note
        if "fee_note" in present:
            extra = self.text("fee_note", multiline=True).replace("\n", " ")
            note = " ".join(p for p in (note, extra) if p)
        if "fee" in present or "fee_required" in present:
            free = parsed.free
            if "fee_required" in present and self.text("fee_required"):
                required = self.attempt("fee_required", parsers.boolean, self.raw("fee_required"))
                if required is False and parsed.amount is None:
                    free = True
            self.values["fee_free"], self.values["fee_amount"] = free, parsed.amount
        if len(note) > 200:
            self.error(
                key if "fee_note" not in present else "fee_note",
                f"費用の説明が長すぎます（{len(note)}文字、200文字まで）。",
            )
        self.values["fee_note"] = note

    def numbers_and_dates(self) -> None:
        if "capacity" in self.present:
            self.put("capacity", "capacity", parsers.integer, self.raw("capacity"), maximum=100_000)
        for key in ("origin_date", "verified_on"):
            if key in self.present:
                self.put(key, key, parsers.a_date, self.raw(key))

    def people(self) -> None:
        for key in ("supporting_coordinator", "verified_by"):
            if key in self.present:
                raw = self.text(key)
                self.values[f"{key}_id"] = None
                if raw:
                    self.put(key, f"{key}_id", self.refs.users.resolve, raw)

    def schedule(self) -> None:
        present = self.present
        if "schedule" not in present and "times" not in present:
            return
        key = "schedule" if "schedule" in present else "times"
        parsed = self.attempt(
            key,
            parsers.schedule,
            self.raw("schedule") if "schedule" in present else "",
            times=self.raw("times") if "times" in present else None,
        )
        if parsed is _FAILED:
            return
        self.row.rules = parsed.rules
        for warning in parsed.warnings:
            self.warn(key, warning)


_FAILED = object()
_NOT_WRITTEN = re.compile(r"[（(]?(以下略|以下省略|以下、略)[)）]?")


class _Importer:
    def __init__(self, table: Table, *, mapping: dict[int, str] | None, result: ImportResult):
        self.table = table
        self.result = result
        self.mapping_override = mapping or {}
        self.refs = _References()
        self.placer = _Placer(self.refs)

    # Columns ----------------------------------------------------------

    def map_columns(self) -> list[tuple[int, list]]:
        rows = [(n, cells) for n, cells in self.table.rows]
        position = _find_header(rows)
        if position is None:
            first = next((i for i, (_n, c) in enumerate(rows) if not _is_blank(c)), None)
            if first is None:
                raise ImportFileError("ファイルに行がありません（空のファイルです）。")
            position = first
        header_number, header_cells = rows[position]
        self.result.header_row = header_number
        chosen: dict[str, tuple[int, int]] = {}  # key → (rank, index)
        mappings: list[ColumnMapping] = []
        for index, cell in enumerate(header_cells):
            header = _cell_text(cell).strip() if cell is not None else ""
            if index in self.mapping_override or (header and header in self.mapping_override):
                key = self.mapping_override.get(index, self.mapping_override.get(header, ""))
                mappings.append(ColumnMapping(index, header, key, "chosen" if key else "ignored"))
                continue
            found = column_for_header(header) if header else None
            if found is None:
                mappings.append(
                    ColumnMapping(index, header, "", "unknown" if header else "ignored")
                )
                continue
            key, rank = found
            column = COLUMN_BY_KEY.get(key)
            if not key:
                mappings.append(ColumnMapping(index, header, "", "ignored"))
            elif column and column.read_only:
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
        self.result.columns = mappings
        self.columns = {m.key: m.index for m in mappings if m.key}
        self.headers = {m.key: (m.header or m.label) for m in mappings if m.key}
        for m in mappings:
            if m.status == "unknown":
                self.result.warnings.append(
                    Problem(
                        None, m.header, "この見出しは取り込みません（列の割り当てで選べます）。"
                    )
                )
            elif m.status == "duplicate":
                self.result.warnings.append(
                    Problem(
                        None, m.header, "同じ項目の列がほかにあるため、この列は取り込みません。"
                    )
                )
        if "name" not in self.columns:
            raise ImportFileError(
                "名称の列がありません。見出しを「名称」にするか、列の割り当てで「名称」を選んでください。",
                row=header_number,
            )
        data_rows = rows[position + 1 :]
        if not any(not _is_blank(cells) for _n, cells in data_rows):
            raise ImportFileError(
                "見出しの行しかありません。見出しの下に地域資源の行を入れてください。",
                row=header_number,
            )
        width = len(header_cells)
        for number, cells in data_rows:
            extra = [c for c in cells[width:] if c not in (None, "")]
            if extra:
                self.result.warnings.append(
                    Problem(
                        number,
                        "",
                        f"見出しのない列の値（{_cell_text(extra[0])[:20]} など）は取り込みません。",
                    )
                )
        return data_rows

    def header(self, key: str) -> str:
        return self.headers.get(key) or COLUMN_BY_KEY[key].header

    # One row ----------------------------------------------------------

    def cell(self, cells: list, key: str) -> object:
        index = self.columns.get(key)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def parse_row(self, number: int, cells: list) -> _Row:
        row = _Row(number=number)
        parse = _RowParser(self, row, cells)
        parse.texts()
        parse.choices()
        parse.names()
        parse.location()
        parse.fees()
        parse.numbers_and_dates()
        parse.people()
        parse.schedule()
        if not row.values.get("name"):
            row.errors.append(Problem(number, self.header("name"), "名称が空です。"))
        if not row.code:
            row.code = derived_code(row.values.get("name", ""), row.values.get("address", ""))
        return row

    # The whole file -----------------------------------------------------

    def run(self, *, dry_run: bool, force: bool, skip_invalid: bool, user, reason: str) -> None:
        result = self.result
        data_rows = self.map_columns()
        result.warnings[:0] = self.table.notes
        parsed: list[_Row] = []
        seen_codes: dict[str, int] = {}
        seen_cells: dict[tuple, int] = {}
        for number, cells in data_rows:
            if _is_blank(cells):
                result.blank_rows += 1
                continue
            row = self.parse_row(number, cells)
            content = tuple(cells)
            if content in seen_cells:
                row.errors.append(
                    Problem(
                        number,
                        "",
                        f"{seen_cells[content]}行目と同じ内容の行です（重複しています）。",
                    )
                )
            elif row.code in seen_codes:
                column = self.header("code") if "code" in self.columns else self.header("name")
                what = (
                    f"資源コード「{row.code}」"
                    if "code" in self.columns and row.code.split("-")[0] != "IMP"
                    else "名称と住所"
                )
                row.errors.append(
                    Problem(
                        number,
                        column,
                        f"{what}が {seen_codes[row.code]}行目と同じです（重複しています）。",
                    )
                )
            seen_cells.setdefault(content, number)
            seen_codes.setdefault(row.code, number)
            parsed.append(row)
        result.rows_total = len(parsed)
        if not parsed:
            raise ImportFileError("取り込む行がありません（空の行だけです）。")

        existing = self.load_existing([r.code for r in parsed])
        plans = self.plan_all([(row, existing.get(row.code)) for row in parsed])
        for row in parsed:
            result.errors.extend(row.errors)
            result.warnings.extend(row.warnings)

        invalid_rows = {p.row for p in result.errors if p.row}
        if skip_invalid:
            plans = [p for p in plans if p.row.number not in invalid_rows]
        for plan in plans:
            result.outcomes.append(
                RowOutcome(
                    plan.row.number,
                    plan.resource.code,
                    plan.resource.name,
                    plan.action,
                    plan.changes,
                )
            )
        updated = sum(1 for p in plans if p.action == "updated")
        total = self.existing_total
        ratio = _setting("IMPORT_MASS_CHANGE_RATIO", 0.5)
        minimum = _setting("IMPORT_MASS_CHANGE_MIN", 10)
        if updated >= minimum and updated > ratio * total:
            result.confirmation = (
                f"登録済みの地域資源 {total:,}件のうち {updated:,}件（{updated / total:.0%}）が変わります。"
                "ファイルが正しいか確かめてから、確認のうえ取り込んでください。"
            )
        if dry_run or (result.errors and not skip_invalid):
            return
        if result.confirmation and not force:
            return
        try:
            with transaction.atomic():  # a savepoint: an error leaves the rest untouched
                self.write(plans, user=user, reason=reason)
        except IntegrityError as exc:
            result.errors.append(
                Problem(
                    None,
                    "",
                    f"書き込めませんでした。同時に別の更新があった可能性があります（{exc}）。",
                )
            )
            return
        result.written = True

    def load_existing(self, codes: list[str]) -> dict[str, Resource]:
        stored = set(Resource.objects.values_list("code", flat=True))
        self.existing_total = len(stored)
        found: dict[str, Resource] = {}
        unique = [code for code in dict.fromkeys(codes) if code in stored]
        for start in range(0, len(unique), CHUNK):
            for resource in Resource.objects.filter(code__in=unique[start : start + CHUNK]):
                found[resource.code] = resource
        if not found:
            self.existing_m2m, self.existing_rules = {}, {}
            return found
        ids = [r.pk for r in found.values()]
        m2m: dict[str, dict[int, set[int]]] = {
            "categories": defaultdict(set),
            "targets": defaultdict(set),
            "features": defaultdict(set),
        }
        rules: dict[int, list[ScheduleRule]] = defaultdict(list)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            for name, other in (
                ("categories", "category_id"),
                ("targets", "target_id"),
                ("features", "feature_id"),
            ):
                through = getattr(Resource, name).through
                for resource_id, other_id in through.objects.filter(
                    resource_id__in=chunk
                ).values_list("resource_id", other):
                    m2m[name][resource_id].add(other_id)
            for rule in ScheduleRule.objects.filter(resource_id__in=chunk).order_by(
                "resource_id", "sort_order", "id"
            ):
                rules[rule.resource_id].append(rule)
        self.existing_m2m, self.existing_rules = m2m, rules
        return found

    def plan_all(self, pairs: list[tuple[_Row, Resource | None]]) -> list[_Plan]:
        """What each row does to the registry: stage the values, place the rows
        whose location may have changed (in one batch), then finish each row."""
        staged = [self.stage(row, existing) for row, existing in pairs]
        to_place = [s for s in staged if s.place]
        for item in to_place:
            self.before_placing(item)
        outcomes = self.placer.place_many([item.resource for item in to_place])
        for item, (method, km) in zip(to_place, outcomes, strict=True):
            self.after_placing(item, method, km)
        return [self.finish(item) for item in staged]

    def stage(self, row: _Row, existing: Resource | None) -> _Staged:
        values = row.values
        if existing is None:
            resource = _new_resource(row.code, values)
            if not values.get("resource_type"):
                resource.resource_type = guess_type(resource.name)
            return _Staged(row, resource, None, None, place=True)
        before = {name: getattr(existing, name) for name in _RESOURCE_FIELDS}
        for name, value in values.items():
            if not _same_field(name, getattr(existing, name), value):
                setattr(existing, name, value)
        # Location and area are worked out again only when what they depend on changed.
        inputs = {n for n in _LOCATION_INPUTS if not _same(before[n], getattr(existing, n))}
        if row.area_given is not None and row.area_given != existing.area_id:
            inputs.add("area_id")
        if {"lat", "lng"} & inputs and "location_source" not in values:
            # A point typed in by hand is exact (as in the admin form).
            existing.location_source = Resource.LocationSource.EXACT
        if not inputs:
            existing.area_tier1_id = self.refs.tier1_of(existing.area_id)
        return _Staged(row, existing, existing, before, place=bool(inputs))

    def before_placing(self, item: _Staged) -> None:
        """The file's area wins over the address; see ``after_placing``."""
        given = item.row.area_given
        if given is None:
            return
        if item.row.values.get("area_locked"):
            item.resource.area_id = given
        else:
            item.resource.area_locked = False

    def after_placing(self, item: _Staged, method: str, km: float) -> None:
        """An area in the file that the address or point agree with (or the ward
        containing it) stays automatic; one they contradict is set by hand
        (``area_locked``), so that later edits of the address do not move it."""
        resource, row, refs = item.resource, item.row, self.refs
        given = row.area_given
        if given is not None and not row.values.get("area_locked"):
            auto = resource.area_id if method else None
            given_is_ward = refs.area_info.get(given, (0, None))[0] == Area.Tier.CITY
            agrees = auto is not None and (
                auto == given or (given_is_ward and refs.tier1_of(auto) == given)
            )
            if not agrees:
                resource.area_id = given
                resource.area_tier1_id = refs.tier1_of(given)
                resource.area_locked = auto is not None
                return
        if method == "nearest":
            row.warnings.append(
                Problem(
                    row.number,
                    self.header("lat") if "lat" in self.columns else "",
                    "位置がどの区域の境界の中にもありません。最寄りの区域"
                    f"「{refs.area_names.get(resource.area_id, '')}」（中心から約{km:.0f}km）にします。",
                )
            )

    def finish(self, item: _Staged) -> _Plan:
        row, resource, existing, before = item.row, item.resource, item.existing, item.before
        changed: set[str] = set()
        if before is not None:
            candidates = (set(row.values) | _PLACED_FIELDS) if item.place else set(row.values)
            changed = {n for n in candidates if not _same(before[n], getattr(resource, n))}
        m2m = dict(row.m2m)
        if existing is not None:
            m2m = {
                name: ids
                for name, ids in row.m2m.items()
                if ids != self.existing_m2m.get(name, {}).get(resource.pk, set())
            }
        rules_changed = row.rules is not None and (
            existing is None
            or [r.key() for r in row.rules]
            != [_rule_key(r) for r in self.existing_rules.get(resource.pk, [])]
        )
        if existing is not None and not changed and not m2m and not rules_changed:
            return _Plan(row, resource, "unchanged", [], {}, None)

        if existing is None or changed & _SEARCH_INPUTS:
            resource.search_text = resource.build_search_text()
            resource.name_text = normalize(f"{resource.name} {resource.kana}")
            resource.search_bigrams = bigram_vector(resource.search_text)
        rule_objects = None
        if rules_changed:
            rule_objects = [
                ScheduleRule(resource=resource, sort_order=order, **rule.model_fields())
                for order, rule in enumerate(row.rules)
            ]
            resource.schedule_days, resource.schedule_times = schedule_summary(rule_objects)
        self.validate(row, resource, rule_objects, changed)
        if existing is None:
            return _Plan(row, resource, "new", [], m2m, rule_objects, changed)
        labels = [self._label(name) for name in sorted(changed)]
        labels += [COLUMN_BY_KEY[name].header for name in m2m]
        if rules_changed:
            labels.append(COLUMN_BY_KEY["schedule"].header)
        return _Plan(
            row, resource, "updated", list(dict.fromkeys(labels)), m2m, rule_objects, changed
        )

    def _label(self, attname: str) -> str:
        key = _FIELD_COLUMN.get(attname, attname)
        if key in ("lat", "lng", "location_source"):
            return "位置"
        column = COLUMN_BY_KEY.get(key)
        return column.header if column else attname

    def validate(self, row: _Row, resource: Resource, rule_objects, changed: set[str]) -> None:
        """full_clean on the fields the file set (the others hold valid stored or
        default values), without the per-row queries of unique and FK checks."""
        checked = (set(row.values) | changed | _ALWAYS_CHECKED) - _NOT_CHECKED - _PARSER_CHECKED
        exclude = [f.name for f in Resource._meta.concrete_fields if f.attname not in checked]
        try:
            resource.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            reported = {(p.row, p.column) for p in row.errors}
            for name, messages in exc.message_dict.items():
                key = _FIELD_COLUMN.get(name, name)
                header = self.header(key) if key in self.columns else self._label(name)
                if (row.number, header) in reported:
                    continue  # already reported in the parser's words
                for message in messages:
                    row.errors.append(Problem(row.number, header, str(message)))
        for rule in rule_objects or []:
            try:
                rule.full_clean(
                    exclude=["resource"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                header = self.header("schedule") if "schedule" in self.columns else "開催日時"
                for messages in exc.message_dict.values():
                    for message in messages:
                        row.errors.append(Problem(row.number, header, str(message)))

    # Writing ------------------------------------------------------------

    def write(self, plans: list, *, user, reason: str) -> None:
        now = timezone.now()
        user_id = user.pk if getattr(user, "is_authenticated", False) else None
        new = [p.resource for p in plans if p.action == "new"]
        updated = [p.resource for p in plans if p.action == "updated"]
        if new:
            for resource in new:
                resource.created_at = resource.updated_at = now
            ids = _insert_many(Resource, [_row_values(Resource, r) for r in new])
            for resource, pk in zip(new, ids, strict=True):
                resource.pk = pk
            self._write_m2m([p for p in plans if p.action == "new"], replace=False)
            self._write_rules([p for p in plans if p.action == "new"], replace=False)
        if updated:
            fields = set(_DERIVED_FIELDS)
            for plan in plans:
                if plan.action == "updated":
                    fields |= plan.changed
                    plan.resource.updated_at = now
            _update_many(Resource, updated, sorted(fields))
            touched = [p for p in plans if p.action == "updated"]
            self._write_m2m(touched, replace=True)
            self._write_rules(touched, replace=True)
        # One history entry per created or changed resource, as
        # bulk_create_with_history / bulk_update_with_history would write.
        records = []
        new_ids = {r.pk for r in new}
        for resource in new + updated:
            values = {f.attname: getattr(resource, f.attname) for f in _HISTORY.tracked_fields}
            values.update(
                history_date=now,
                history_change_reason=reason,
                history_type="+" if resource.pk in new_ids else "~",
                history_user_id=user_id,
            )
            records.append(values)
        history_ids = _insert_many(_HISTORY, records)
        self._write_m2m_history(list(zip(history_ids, [r.pk for r in new + updated], strict=True)))
        # Written around the ORM's signals: the cached public pages go stale here.
        data_changed()

    def _write_m2m(self, plans: list, *, replace: bool) -> None:
        for name, other in (
            ("categories", "category_id"),
            ("targets", "target_id"),
            ("features", "feature_id"),
        ):
            through = getattr(Resource, name).through
            touched = [p for p in plans if name in p.m2m]
            if replace and touched:
                ids = [p.resource.pk for p in touched]
                for start in range(0, len(ids), CHUNK):
                    through.objects.filter(resource_id__in=ids[start : start + CHUNK]).delete()
            rows = [
                through(resource_id=p.resource.pk, **{other: pk})
                for p in touched
                for pk in sorted(p.m2m[name])
            ]
            through.objects.bulk_create(rows, batch_size=1000)

    def _write_m2m_history(self, records: list[tuple[int, int]]) -> None:
        """The categories of each new history entry, as simple_history records them
        (``HistoricalResource_categories``: the through row, the history entry)."""
        m2m_model = apps.get_model("resources", "HistoricalResource_categories")
        through = Resource.categories.through
        ids = [resource_id for _history_id, resource_id in records]
        by_resource = defaultdict(list)
        for start in range(0, len(ids), CHUNK):
            for through_id, resource_id, category_id in through.objects.filter(
                resource_id__in=ids[start : start + CHUNK]
            ).values_list("id", "resource_id", "category_id"):
                by_resource[resource_id].append((through_id, category_id))
        rows = [
            m2m_model(
                id=through_id,
                resource_id=resource_id,
                category_id=category_id,
                history_id=history_id,
            )
            for history_id, resource_id in records
            for through_id, category_id in by_resource.get(resource_id, [])
        ]
        m2m_model.objects.bulk_create(rows, batch_size=1000)

    def _write_rules(self, plans: list, *, replace: bool) -> None:
        touched = [p for p in plans if p.rules is not None]
        if replace and touched:
            ids = [p.resource.pk for p in touched]
            for start in range(0, len(ids), CHUNK):
                ScheduleRule.objects.filter(resource_id__in=ids[start : start + CHUNK]).delete()
        rules = []
        for plan in touched:
            for rule in plan.rules:
                rule.resource_id = plan.resource.pk
                rules.append(rule)
        ScheduleRule.objects.bulk_create(rules, batch_size=1000)


@dataclass
class _Staged:
    row: _Row
    resource: Resource
    existing: Resource | None
    before: dict | None
    place: bool


@dataclass
class _Plan:
    row: _Row
    resource: Resource
    action: str
    changes: list[str]
    m2m: dict
    rules: list | None
    changed: set = field(default_factory=set)


def _rule_key(rule: ScheduleRule) -> tuple:
    """A stored rule in the form of ``parsers.Rule.key`` (weeks 1,3 then 最終 = -1)."""
    try:
        weeks = [int(n) for n in rule.weeks_of_month.split(",") if n.strip()]
    except ValueError:
        weeks = []
    return parsers.Rule(
        kind=rule.kind,
        weekdays=rule.weekday_list,
        weeks=sorted(n for n in weeks if n > 0) + ([-1] if -1 in weeks else []),
        day=rule.day_of_month,
        opens_at=rule.opens_at,
        closes_at=rule.closes_at,
        note=rule.note,
    ).key()


# Values the parsers tidy (〒530-0001 ↔ 5300001): a stored value in the other
# spelling is the same value, not a change.
_TIDIED = {
    "postal_code": parsers.postal_code,
    "contact_phone": parsers.phone,
    "private_phone": parsers.phone,
    "url": parsers.url,
    "contact_email": parsers.email,
}


def _same_field(name: str, old: object, new: object) -> bool:
    if _same(old, new):
        return True
    tidy = _TIDIED.get(name)
    if tidy is None or not isinstance(old, str):
        return False
    try:
        return tidy(old) == new
    except ParseError:
        return False


def _same(old: object, new: object) -> bool:
    """Equal for the registry: 34.7 and 34.70000000001 are, ｻﾛﾝ and サロン are."""
    if isinstance(old, float) and isinstance(new, float):
        return math.isclose(old, new, rel_tol=0, abs_tol=1e-9)
    if isinstance(old, str) and isinstance(new, str) and old != new:
        return parsers.text(old, multiline=True) == parsers.text(new, multiline=True)
    return old == new


# Fast bulk writes --------------------------------------------------------------

_HISTORY = Resource.history.model
_DERIVED_FIELDS = (
    "search_text",
    "name_text",
    "search_bigrams",
    "schedule_days",
    "schedule_times",
    "area_tier1_id",
    "updated_at",
    "location_source",
    "lat",
    "lng",
    "area_id",
    "area_locked",
)
_CONVERTED_TYPES = {
    "DateField",
    "DateTimeField",
    "TimeField",
    "DecimalField",
    "JSONField",
    "UUIDField",
}


def _row_values(model, obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}


def _converters(fields) -> list:
    """Per field, None (the driver takes the Python value) or a function giving
    the database value; dates repeat (the import's timestamp), so each is converted once."""
    conn = connections[DEFAULT_DB_ALIAS]
    result = []
    for f in fields:
        if f.get_internal_type() not in _CONVERTED_TYPES:
            result.append(None)
            continue
        cache: dict = {}

        def convert(value, f=f, cache=cache):
            if value is None:
                return None
            if value not in cache:
                cache[value] = f.get_db_prep_save(value, conn)
            return cache[value]

        result.append(convert)
    return result


def _placeholder(field) -> str:
    """%s, or what the field asks for (a tsvector column on PostgreSQL: %s::tsvector)."""
    placeholder = getattr(field, "get_placeholder", None)
    return placeholder(None, None, connection) if placeholder else "%s"


def _allocate_ids(model, count: int) -> list[int]:
    """``count`` new primary keys, taken before inserting so that executemany can
    write the rows (it returns no ids). Inside the import's transaction: SQLite
    holds the write lock, PostgreSQL hands out sequence values once."""
    meta = model._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)}")
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table])
        found = cursor.fetchone()
        start = max(highest, found[0] if found else 0) + 1
        return list(range(start, start + count))


def _insert_many(model, rows: list[dict]) -> list[int]:
    """INSERT rows (attname → Python value) with executemany; returns their ids.

    Django's bulk_create passes every value through the SQL compiler (SQLite also
    caps it at 23 rows of this model per statement), which was most of the time of
    a 10,000-row import; executemany with the ids taken first is several times
    faster. Other databases than SQLite and PostgreSQL use bulk_create.
    """
    if not rows:
        return []
    meta = model._meta
    pk = meta.pk
    if connection.vendor not in ("sqlite", "postgresql"):
        objs = model._default_manager.bulk_create([model(**row) for row in rows], batch_size=500)
        return [obj.pk for obj in objs]
    fields = [f for f in meta.concrete_fields if f is not pk]
    converters = _converters(fields)
    ids = _allocate_ids(model, len(rows))
    params = []
    for new_id, row in zip(ids, rows, strict=True):
        values = [new_id]
        for f, convert in zip(fields, converters, strict=True):
            value = row.get(f.attname)
            values.append(convert(value) if convert else value)
        params.append(values)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in [pk.column, *(f.column for f in fields)])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: the rows stream in one command, adapted by psycopg in C; a
            # text value in COPY is read by the column type's own input (tsvector too).
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for values in params:
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s", *(_placeholder(f) for f in fields)])
            sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"
            for start in range(0, len(params), 2000):
                cursor.executemany(sql, params[start : start + 2000])
    return ids


def _update_many(model, objs: list, attnames: list[str]) -> None:
    """UPDATE … SET the given fields WHERE id = … for each object, with executemany."""
    if not objs:
        return
    meta = model._meta
    fields = [
        meta.get_field(name.removesuffix("_id")) if name.endswith("_id") else meta.get_field(name)
        for name in attnames
    ]
    if connection.vendor not in ("sqlite", "postgresql"):
        model._default_manager.bulk_update(objs, [f.name for f in fields], batch_size=500)
        return
    converters = _converters(fields)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = {_placeholder(f)}" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    params = [
        [
            *(
                convert(getattr(obj, f.attname)) if convert else getattr(obj, f.attname)
                for f, convert in zip(fields, converters, strict=True)
            ),
            obj.pk,
        ]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start : start + 2000])


# Entry points -----------------------------------------------------------------


def resources_import(
    data: bytes,
    *,
    filename: str = "",
    user=None,
    dry_run: bool = True,
    force: bool = False,
    skip_invalid: bool = False,
    mapping: dict[int | str, str] | None = None,
) -> ImportResult:
    """Read, check and (unless ``dry_run``) write the resources of a spreadsheet.

    ``mapping`` assigns columns (by index from 0, or by header text) to column
    keys, or "" to skip a column, where the headers are not known. Never raises for a bad file: problems are
    in ``result.errors``, in Japanese, with their row and column.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    result = ImportResult(filename=filename, dry_run=dry_run)
    try:
        table = read_table(data, filename)
        result.kind, result.encoding, result.sheet = table.kind, table.encoding, table.sheet
        reason = f"表計算ファイルの取込（{filename}）" if filename else "表計算ファイルの取込"
        importer = _Importer(table, mapping=mapping, result=result)
        options = dict(
            dry_run=dry_run, force=force, skip_invalid=skip_invalid, user=user, reason=reason[:100]
        )
        if dry_run:
            importer.run(**options)
        else:
            # One transaction from reading the stored rows to the last write.
            with transaction.atomic():
                importer.run(**options)
    except ImportFileError as exc:
        result.errors.append(exc.problem)
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu_started
    return result


def resources_import_path(path: str | Path, **kwargs) -> ImportResult:
    """``resources_import`` of a file on disk (size checked before reading it)."""
    path = Path(path)
    limit = max_upload_bytes()
    size = path.stat().st_size
    if size > limit:
        result = ImportResult(filename=path.name, dry_run=kwargs.get("dry_run", True))
        result.errors.append(
            Problem(
                None,
                "",
                f"ファイルが大きすぎます（{size / MB:.1f} MB）。{limit / MB:.0f} MB までにしてください。",
            )
        )
        return result
    return resources_import(path.read_bytes(), filename=path.name, **kwargs)


def problems_text(problems: Iterable[Problem], *, limit: int = 0) -> str:
    lines = [str(p) for p in problems]
    if limit and len(lines) > limit:
        lines = [*lines[:limit], f"…ほか {len(lines) - limit}件"]
    return "\n".join(lines)


# django-import-export (the admin's 取込・書き出し buttons) ------------------------
#
# The admin hands the uploaded file to ``resources_import`` unchanged (one
# place parses spreadsheets), and shows its outcome in import-export's preview:
# rows by action, problems as invalid rows with their row number and column.


class SpreadsheetFormat(base_formats.Format):
    """Any file ``read_table`` reads (CSV in UTF-8 or cp932, XLSX, ODS), kept as bytes."""

    def __init__(self, encoding=None):
        self.encoding = encoding  # the bytes are decoded by portal.files, not here

    def get_title(self):
        return "CSV・Excel（.xlsx）・ODS"

    def create_dataset(self, in_stream):
        import tablib

        data = in_stream if isinstance(in_stream, bytes) else bytes(in_stream, "utf-8")
        dataset = tablib.Dataset(headers=["ファイル"])
        dataset.append([f"{len(data):,} バイト"])
        dataset.portal_bytes = data
        return dataset

    def get_extension(self):
        return "csv"

    def can_import(self):
        return True


class ResourceImportExportResource(ie_resources.ModelResource):
    """import-export's view of resources: parsing and columns are this module's."""

    class Meta:
        model = Resource
        fields = ()
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = kwargs.get("user")
        self.fields = {
            column.key: ie_fields.Field(attribute=None, column_name=column.header)
            for column in COLUMNS
            if column.export
        }

    def get_user_visible_fields(self):
        return [self.fields[key] for key in self.fields]

    def get_export_order(self):
        return tuple(self.fields)

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        data = getattr(dataset, "portal_bytes", None)
        if data is None:
            data = dataset.export("csv").encode("utf-8")
        user = kwargs.get("user") or self.user
        report = resources_import(
            data, filename=kwargs.get("file_name") or "", user=user, dry_run=dry_run
        )
        return _as_import_export_result(report)

    def export(self, queryset=None, **kwargs):
        import tablib

        from resources import exporting

        user = self.user
        queryset = Resource.objects.all() if queryset is None else queryset
        visible = queryset.filter(pk__in=resources_visible_to(user).values("pk"))
        wanted = kwargs.get("export_fields")
        columns = exporting.chosen_columns(wanted, user) if wanted else exporting.columns_for(user)
        dataset = tablib.Dataset(headers=[c.header for c in columns])
        for row in exporting.export_rows(visible, columns, user=user):
            dataset.append([exporting.csv_cell(value) for value in row])
        return dataset


def _as_import_export_result(report: ImportResult) -> Result:
    result = Result()
    result.diff_headers = ["行", "資源コード", "名称", "内容"]
    result.total_rows = report.rows_total
    by_row: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for problem in report.errors:
        if problem.row:
            by_row[problem.row][problem.column or NON_FIELD_ERRORS].append(problem.message)
        else:
            where = f"「{problem.column}」: " if problem.column else ""
            result.append_base_error(Error(ImportFileError(where + problem.message)))
    for number in sorted(by_row):
        result.append_invalid_row(number, {}, ValidationError(dict(by_row[number])))
    if report.needs_confirmation and not report.written:
        result.append_base_error(
            Error(
                ImportFileError(
                    report.confirmation
                    + " 管理画面からは取り込めません。スタッフの取込ページで確認するか、"
                    "import_resources --force を使ってください。"
                )
            )
        )
    types = {"new": RowResult.IMPORT_TYPE_NEW, "updated": RowResult.IMPORT_TYPE_UPDATE}
    for outcome in report.outcomes:
        row = RowResult()
        row.import_type = types.get(outcome.action, RowResult.IMPORT_TYPE_SKIP)
        row.object_repr = f"{outcome.code} {outcome.name}"
        label = {"new": "新規", "updated": "更新: " + "、".join(outcome.changes)}.get(
            outcome.action, "変更なし"
        )
        row.diff = [str(outcome.row), outcome.code, outcome.name, label]
        result.append_row_result(row)
        result.increment_row_result_total(row)
    return result


class ResourceImportExportAdminMixin(ImportExportMixin):
    """The admin's import and export buttons for resources.

    Import for admins and city staff (as the staff import page); export for
    everyone who may see staff-only data, of the resources the admin lists.
    """

    resource_classes = [ResourceImportExportResource]
    import_formats = [SpreadsheetFormat]
    export_formats = [base_formats.XLSX, base_formats.CSV]
    to_encoding = "utf-8-sig"
    import_error_display = ("message",)
    # Imports are recorded in each resource's history (simple_history), with the user.
    skip_admin_log = True

    def has_import_permission(self, request):
        return is_city_staff(request.user)

    def has_export_permission(self, request):
        return can_see_staff_only(request.user)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}


# Areas (GeoJSON boundaries) -------------------------------------------------------

AREA_CODE_PROPERTIES = ("code", "区域コード", "N03_007", "KEY_CODE", "id")
AREA_NAME_PROPERTIES = ("name", "名称", "区域名", "N03_004", "MOJI")
AREA_PARENT_PROPERTIES = ("parent", "parent_code", "親区域コード", "第1層")
AREA_TIER_PROPERTIES = ("tier", "層")
AREA_KANA_PROPERTIES = ("kana", "よみがな")


@dataclass
class AreaImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    written: bool = False

    def summary(self) -> str:
        return f"新規 {self.created}件、更新 {self.updated}件、変更なし {self.unchanged}件"


def _first(properties: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = properties.get(name)
        if value not in (None, ""):
            return parsers.nfkc(value)
    return ""


def areas_import(
    data: bytes,
    *,
    tier: int | None = None,
    parent: str = "",
    dry_run: bool = False,
    max_bytes: int = 100 * MB,
) -> AreaImportResult:
    """Create or update areas from a GeoJSON FeatureCollection, all or nothing.

    Each feature gives a code (``code`` / ``N03_007`` …), a name (``name`` /
    ``N03_004`` …), optionally ``tier`` and ``parent`` (the code of its tier-1
    area); ``tier`` and ``parent`` arguments apply to features without them.
    Features with the same code are one area (a ward drawn in several pieces).
    Idempotent by code: an area whose name, tier, parent and boundary are the
    same is left alone.
    """
    import json

    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    from portal.geo import boundary_error, reset_locator

    result = AreaImportResult()
    if len(data) > max_bytes:
        result.errors.append(
            Problem(None, "", f"ファイルが大きすぎます（{len(data) / MB:.1f} MB）。")
        )
        return result
    try:
        text, _encoding = decode_bytes(data)
        document = json.loads(text)
    except UndecodableFile as exc:
        result.errors.append(Problem(exc.line, "", str(exc)))
        return result
    except json.JSONDecodeError as exc:
        result.errors.append(
            Problem(exc.lineno, "", f"GeoJSON として読めません（{exc.colno}文字目: {exc.msg}）。")
        )
        return result
    if isinstance(document, dict) and document.get("type") == "Feature":
        features = [document]
    elif isinstance(document, dict) and isinstance(document.get("features"), list):
        features = document["features"]
    else:
        result.errors.append(Problem(None, "", "GeoJSON の FeatureCollection ではありません。"))
        return result
    if not features:
        result.errors.append(Problem(None, "", "地物（feature）が1つもありません。"))
        return result

    planned: dict[str, dict] = {}
    for number, feature in enumerate(features, start=1):
        where = f"{number}番目の地物"
        properties = (feature or {}).get("properties") or {}
        geometry = (feature or {}).get("geometry")
        code, name = (
            _first(properties, AREA_CODE_PROPERTIES),
            parsers.text(_first(properties, AREA_NAME_PROPERTIES)),
        )
        if not code or not name:
            result.errors.append(
                Problem(None, where, "区域コード（code）と名称（name）が必要です。")
            )
            continue
        problem = (
            boundary_error(geometry) if geometry is not None else "境界（geometry）がありません。"
        )
        if problem:
            result.errors.append(Problem(None, f"{where}（{code} {name}）", problem))
            continue
        raw_tier = _first(properties, AREA_TIER_PROPERTIES)
        parent_code = _first(properties, AREA_PARENT_PROPERTIES) or parent
        feature_tier = (
            int(raw_tier) if raw_tier in ("1", "2") else tier or (2 if parent_code else 1)
        )
        entry = planned.setdefault(
            code,
            {
                "name": name,
                "kana": parsers.text(_first(properties, AREA_KANA_PROPERTIES)),
                "tier": feature_tier,
                "parent": parent_code if feature_tier == 2 else "",
                "shapes": [],
            },
        )
        entry["shapes"].append(shape(geometry.get("geometry", geometry)))
    existing = {area.code: area for area in Area.objects.filter(code__in=list(planned))}
    parents = {a.code: a for a in Area.objects.filter(tier=Area.Tier.CITY)}
    for code, entry in planned.items():
        if (
            entry["tier"] == 2
            and entry["parent"] not in parents
            and not (entry["parent"] in planned and planned[entry["parent"]]["tier"] == 1)
        ):
            result.errors.append(
                Problem(
                    None,
                    f"{code} {entry['name']}",
                    f"第1層の区域「{entry['parent']}」がありません。",
                )
            )
        geom = entry["shapes"][0] if len(entry["shapes"]) == 1 else unary_union(entry["shapes"])
        entry["boundary"] = json.loads(json.dumps(mapping(geom)))
    if result.errors:
        return result

    def write() -> None:
        for wanted_tier in (1, 2):
            for code, entry in planned.items():
                if entry["tier"] != wanted_tier:
                    continue
                area = existing.get(code) or Area(code=code)
                parent_area = parents.get(entry["parent"]) if entry["parent"] else None
                before = (area.name, area.tier, area.parent_id, area.boundary, area.kana)
                area.name, area.tier, area.parent = entry["name"], entry["tier"], parent_area
                area.kana = entry["kana"] or area.kana
                if area.boundary != entry["boundary"]:
                    area.boundary = entry["boundary"]
                    area.centroid_lat = area.centroid_lng = None  # recomputed on save
                after = (area.name, area.tier, area.parent_id, area.boundary, area.kana)
                if area.pk and before == after:
                    result.unchanged += 1
                    continue
                try:
                    area.full_clean()
                except ValidationError as exc:
                    messages = "、".join(m for ms in exc.message_dict.values() for m in ms)
                    result.errors.append(Problem(None, f"{code} {entry['name']}", messages))
                    continue
                created = not area.pk
                area.save()  # a dry run rolls back below
                if wanted_tier == 1:
                    parents[code] = area
                if created:
                    result.created += 1
                else:
                    result.updated += 1
        if result.errors:
            raise _AreaRollback

    try:
        with transaction.atomic():
            write()
            if dry_run:
                raise _AreaRollback
    except _AreaRollback:
        return result
    result.written = True
    reset_locator()
    return result


class _AreaRollback(Exception):
    pass


# Public wrappers for the other importers (coordinators, councils) ---------------


def cell_text(cell: object) -> str:
    """A cell as text, as this importer reads it (the export's apostrophe taken off)."""
    return _cell_text(cell)


def is_blank_row(cells: list) -> bool:
    return _is_blank(cells)
