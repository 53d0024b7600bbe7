"""Importing past coordinator activity from spreadsheets (issue 6, item 6).

``manage.py import_activities`` and the staff import page call
``activities_import``. The file is read by the resource importer
(``resources.importing.read_table``: CSV in UTF-8 or cp932, XLSX, size and
zip-bomb checks, formulas never evaluated); this module finds the header row
among title rows, reads each row with ``portal.parsers`` (和暦, full-width
digits) and records it through ``coordinators.services.activity_log`` with
``check_area=False``.

Guarantees, as for ``import_resources``:

- All or nothing: every row is checked inside one transaction; a dry run, or
  any row with a problem, rolls everything back. Problems name the row and the
  column in Japanese.
- Idempotent: each row gets an ``external_ref``: ``A:`` + the 番号 column when
  the sheet has one (the row is then updated when it changed), else ``AH:`` + a
  hash of the row's content (the same row imported again is "unchanged"; rows
  identical inside one file are told apart by their order).
- An unknown 所属 is created, and named in the warnings of the preview.

The small sheet helpers here (columns with synonyms, header detection) are
shared with ``councils.importing``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from coordinators.models import (
    COUNT_MAX,
    COUNT_MIN,
    Activity,
    ActivityFunction,
    Affiliation,
    Coordinator,
    Function,
    Kind,
    Source,
)
from coordinators.services import activity_log
from portal import parsers
from portal.models import Area
from portal.parsers import ParseError
from resources.importing import (
    HEADER_SCAN_ROWS,
    MB,
    ImportFileError,
    ImportResult,
    Problem,
    RowOutcome,
    cell_text,
    is_blank_row,
    max_upload_bytes,
    read_table,
)

# Sheet helpers (shared with councils.importing) ---------------------------------


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    help: str = ""


@dataclass
class SheetRow:
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


_DASHES = {"-", "－", "ー", "―", "‐", "—"}


def blank_dash(value: str) -> str:
    """「-」 in a cell means nothing was written there."""
    return "" if value.strip() in _DASHES else value


def header_key(value: object) -> str:
    return re.sub(r"[\s・/／]+", "", parsers.nfkc(value)).lower()


def read_sheet(
    data: bytes,
    filename: str,
    columns: Iterable[SheetColumn],
    *,
    anchor: str,
    result: ImportResult,
) -> list[SheetRow]:
    """The rows under the header row, as {column key: cell}; raises ImportFileError.

    The header row is the first of the top rows with two or more known headers,
    one of them the ``anchor`` column's; the rows above it are title rows.
    """
    columns = list(columns)
    table = read_table(data, filename)
    result.kind, result.encoding, result.sheet = table.kind, table.encoding, table.sheet
    result.warnings.extend(table.notes)
    by_header: dict[str, SheetColumn] = {}
    for column in columns:
        for name in (column.header, *column.synonyms):
            by_header.setdefault(header_key(name), column)
    header_at = None
    for position, (_number, cells) in enumerate(table.rows[:HEADER_SCAN_ROWS]):
        keys = [
            by_header[header_key(c)].key
            for c in cells
            if isinstance(c, str) and header_key(c) in by_header
        ]
        if len(set(keys)) >= 2 and anchor in keys:
            header_at = position
            break
    if header_at is None:
        anchor_header = next(c.header for c in columns if c.key == anchor)
        raise ImportFileError(
            f"見出しの行が見つかりません。上から{HEADER_SCAN_ROWS}行のうちに、"
            f"「{anchor_header}」などの見出しを書いた行を置いてください。"
        )
    header_number, header_cells = table.rows[header_at]
    result.header_row = header_number
    index: dict[int, str] = {}
    for position, cell in enumerate(header_cells):
        name = cell_text(cell).strip()
        if not name:
            continue
        column = by_header.get(header_key(name))
        if column is None:
            result.warnings.append(Problem(header_number, name, "知らない見出しの列は読みません。"))
        elif column.key in index.values():
            result.warnings.append(
                Problem(
                    header_number, name, f"「{column.header}」の列が2つあります。左の列を読みます。"
                )
            )
        else:
            index[position] = column.key
    rows = []
    for number, cells in table.rows[header_at + 1 :]:
        if is_blank_row(cells):
            result.blank_rows += 1
            continue
        values = {}
        for position, key in index.items():
            cell = cells[position] if position < len(cells) else None
            values[key] = (
                cell if isinstance(cell, (date, datetime, int, float)) else cell_text(cell)
            )
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            result.blank_rows += 1
            continue
        rows.append(SheetRow(number, values))
    result.rows_total = len(rows)
    return rows


class RowErrors(Exception):
    """The problems of one row (already added to the result)."""


class _Rollback(Exception):
    pass


def run_rows(
    result: ImportResult,
    rows: list[SheetRow],
    handle: Callable[[SheetRow], None],
    *,
    dry_run: bool,
) -> None:
    """Each row in a savepoint of one transaction, rolled back on a dry run or any problem."""
    result.dry_run = dry_run
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    with transaction.atomic():
                        handle(row)
                except RowErrors:
                    continue
            if dry_run or result.errors:
                raise _Rollback
            result.written = True
    except _Rollback:
        pass


def validation_problems(row: int, error: ValidationError, headers: dict[str, str]) -> list[Problem]:
    if hasattr(error, "error_dict"):
        return [
            Problem(row, headers.get(name, ""), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [Problem(row, "", message) for message in error.messages]


def import_path(function, path: str | Path, **kwargs) -> ImportResult:
    """``function`` (an ``*_import``) of a file on disk, its size checked before reading."""
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
    return function(path.read_bytes(), filename=path.name, **kwargs)


def short_hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:20]


# Activities ----------------------------------------------------------------------

ACTIVITY_COLUMNS = (
    SheetColumn(
        "date", "日付", ("活動日", "実施日", "年月日", "日時"), "令和4年4月1日、R4.4.1、2022/4/1"
    ),
    SheetColumn(
        "coordinator",
        "コーディネーター",
        ("コーディネーター名", "生活支援コーディネーター", "担当者", "担当", "記録者", "SC"),
        "ログイン名か氏名。所属ごとに数える表では空欄でかまいません",
    ),
    SheetColumn(
        "affiliation", "所属", ("所属機関", "所属先", "所属名"), "知らない所属は新しく登録します"
    ),
    SheetColumn(
        "area",
        "圏域",
        ("区域", "区域名", "圏域名", "区域コード", "地域", "担当圏域"),
        "区域コードか名称",
    ),
    SheetColumn(
        "kind", "種別", ("活動種別", "種類", "活動の種別"), "訪問、相談、会議、ワークショップ …"
    ),
    SheetColumn(
        "functions", "機能", ("活動機能", "機能区分"), "いくつでも。「、」か「,」で区切ります"
    ),
    SheetColumn(
        "count", "延件数", ("延べ件数", "件数", "回数"), f"{COUNT_MIN}〜{COUNT_MAX}。空欄は1"
    ),
    SheetColumn(
        "source", "発言元", ("発言者", "相談者", "情報元"), "住民、サロン参加者、ケアマネジャー …"
    ),
    SheetColumn(
        "heard",
        "内容",
        ("聴き取った内容", "聞き取った内容", "聞き取り内容", "相談内容", "活動内容"),
    ),
    SheetColumn("response", "対応", ("対応内容", "対応・結果")),
    SheetColumn("follow_up_on", "次の対応日", ("フォロー日", "次回対応日")),
    SheetColumn("case", "主な事例", ("事例",), "事例として報告するものに「○」"),
    SheetColumn(
        "ref", "番号", ("記録番号", "管理番号", "ID"), "あれば、同じ記録を見分けるのに使います"
    ),
)
ACTIVITY_HEADERS = {c.key: c.header for c in ACTIVITY_COLUMNS}
_FIELD_HEADERS = {
    "date": "日付",
    "coordinator": "コーディネーター",
    "affiliation": "所属",
    "area": "圏域",
    "kind": "種別",
    "functions": "機能",
    "count": "延件数",
    "source": "発言元",
    "source_note": "発言元",
    "heard": "内容",
    "response": "対応",
    "follow_up_on": "次の対応日",
    "is_case_example": "主な事例",
    "external_ref": "番号",
}

KIND_SYNONYMS = {
    Kind.VISIT: ("訪問活動", "個別訪問", "訪問・実態把握"),
    Kind.CONSULTATION: ("相談対応", "電話相談", "来所相談"),
    Kind.MEETING: ("会議出席", "会議参加", "打合せ", "打ち合わせ"),
    Kind.WORKSHOP: ("ワークショップ", "勉強会", "ワークショップ等", "学習会"),
    Kind.TRAINING: ("研修会", "研修参加"),
    Kind.SYMPOSIUM: ("フォーラム", "講演会"),
    Kind.EVENT: ("行事",),
    Kind.OTHER: (),
}
FUNCTION_SYNONYMS = {
    Function.CARERS: ("担い手養成", "担い手の育成", "担い手育成"),
    Function.ASSESSMENT: ("ニーズ把握", "資源把握"),
    Function.LAUNCH: ("立ち上げ支援", "立上げ支援", "立上"),
    Function.RUNNING: ("運営の支援",),
    Function.AWARENESS: ("普及啓発",),
    Function.INDIVIDUAL: ("個別相談",),
    Function.TIER2: ("第2層支援", "2層への支援"),
    Function.NETWORK: ("ネットワークづくり", "関係者のネットワーク構築"),
    Function.MATCHING: ("ニーズとサービスのマッチング",),
}
SOURCE_SYNONYMS = {
    Source.RESIDENT: ("地域住民", "本人", "家族"),
    Source.SALON: ("サロン",),
    Source.CARE_MANAGER: ("ケアマネ", "ケアマネージャー", "介護支援専門員"),
    Source.NEIGHBOURHOOD: ("町会", "自治会", "町内会"),
    Source.COMMISSIONER: ("民生委員・児童委員", "民生委員児童委員"),
    Source.PROVIDER: ("介護事業所", "事業者"),
    Source.MANAGEMENT: ("マンション管理会社", "管理人"),
    Source.GOVERNMENT: ("区役所", "市役所", "行政機関"),
}


@dataclass
class ActivityImportResult(ImportResult):
    new_affiliations: list[str] = field(default_factory=list)


def area_lookup() -> parsers.Lookup:
    lookup = parsers.Lookup("区域")
    areas = list(Area.objects.select_related("parent").order_by("tier", "sort_order", "code"))
    lookup.examples = [area.name for area in areas[:6]]
    for area in areas:
        lookup.add(area, area.code, area.name)
    return lookup


class _ActivityRows:
    def __init__(self, result: ActivityImportResult, user) -> None:
        self.result = result
        self.user = user
        self.areas = area_lookup()
        self.kinds = parsers.choice_lookup("種別", Kind.choices, KIND_SYNONYMS)
        self.functions = parsers.choice_lookup("機能", Function.choices, FUNCTION_SYNONYMS)
        self.sources = parsers.choice_lookup("発言元", Source.choices, SOURCE_SYNONYMS)
        self.coordinators = parsers.Lookup("コーディネーター")
        for coordinator in Coordinator.objects.select_related("user", "affiliation"):
            user = coordinator.user
            self.coordinators.add(
                coordinator,
                user.username,
                user.get_full_name(),
                getattr(user, "display_name", ""),
                f"{user.last_name}{user.first_name}",
                f"{user.last_name} {user.first_name}",
            )
        self.affiliations = {parsers.name_key(a.name): a for a in Affiliation.objects.all()}
        self.seen: Counter[str] = Counter()
        self.refs: dict[str, int] = {}

    def affiliation(self, name: str) -> Affiliation:
        key = parsers.name_key(name)
        found = self.affiliations.get(key)
        if found is None:
            found = Affiliation.objects.create(name=name[:100])
            self.affiliations[key] = found
            self.result.new_affiliations.append(found.name)
        return found

    def handle(self, row: SheetRow) -> None:
        problems: list[Problem] = []

        def attempt(key: str, parse, *args, **kwargs):
            try:
                return parse(*args, **kwargs)
            except ParseError as exc:
                problems.append(Problem(row.number, ACTIVITY_HEADERS[key], exc.message))
                return None

        day = attempt("date", parsers.a_date, row.raw("date"))
        if day is None and not any(p.column == "日付" for p in problems):
            problems.append(Problem(row.number, "日付", "日付が空です。"))
        coordinator = None
        if row.text("coordinator"):
            coordinator = attempt("coordinator", self.coordinators.resolve, row.text("coordinator"))
        area = None
        area_text = blank_dash(row.text("area"))
        if area_text:
            area = attempt("area", self.areas.resolve, area_text)
        elif coordinator is not None and coordinator.user.areas.count() == 1:
            area = coordinator.user.areas.get()
        else:
            problems.append(
                Problem(
                    row.number, "圏域", "区域（圏域）が空です。区域コードか名称を書いてください。"
                )
            )
        kind = None
        if row.text("kind"):
            kind = attempt("kind", self.kinds.resolve, row.text("kind"))
        else:
            problems.append(Problem(row.number, "種別", "種別が空です（例: 訪問、相談、会議）。"))
        functions = []
        for name in parsers.split_names(row.raw("functions")):
            code = attempt("functions", self.functions.resolve, name)
            if code:
                functions.append(code)
        if not parsers.split_names(row.raw("functions")):
            problems.append(
                Problem(
                    row.number, "機能", "機能を1つ以上書いてください（例: 実態把握、立上支援）。"
                )
            )
        count = attempt(
            "count", parsers.integer, row.raw("count"), minimum=COUNT_MIN, maximum=COUNT_MAX
        )
        source, source_note = "", ""
        source_text = blank_dash(row.text("source"))
        if source_text:
            source = self.sources.get(source_text) or Source.OTHER
            if source == Source.OTHER and parsers.name_key(source_text) != parsers.name_key(
                "その他"
            ):
                source_note = source_text[:100]
        follow_up_on = attempt("follow_up_on", parsers.a_date, row.raw("follow_up_on"))
        is_case = bool(attempt("case", parsers.boolean, row.raw("case")))
        affiliation_name = blank_dash(row.text("affiliation"))
        if not affiliation_name and coordinator is None:
            problems.append(
                Problem(
                    row.number, "所属", "所属が空です。コーディネーターか所属を書いてください。"
                )
            )
        if problems:
            self.result.errors.extend(problems)
            raise RowErrors
        affiliation = self.affiliation(affiliation_name) if affiliation_name else None
        heard = row.text("heard", multiline=True)
        response = row.text("response", multiline=True)
        fields = dict(
            date=day,
            kind=kind,
            count=count or 1,
            area=area,
            source=source,
            source_note=source_note,
            heard=heard,
            response=response,
            follow_up_on=follow_up_on,
            is_case_example=is_case,
        )
        code = row.text("ref")
        if code:
            ref = f"A:{code}"[:64]
        else:
            content = short_hash(
                day,
                coordinator.pk if coordinator else "",
                affiliation.name if affiliation else "",
                area.code,
                kind,
                ",".join(sorted(functions)),
                fields["count"],
                source,
                source_note,
                heard,
                response,
            )
            self.seen[content] += 1
            ref = f"AH:{content}" + (f"-{self.seen[content]}" if self.seen[content] > 1 else "")
        if ref in self.refs:
            self.result.errors.append(
                Problem(row.number, "番号", f"番号「{code}」は{self.refs[ref]}行目にもあります。")
            )
            raise RowErrors
        self.refs[ref] = row.number
        label = f"{day:%Y-%m-%d} {Kind(kind).label}（{area.name}）"
        existing = Activity.objects.filter(external_ref=ref).first()
        try:
            if existing is None:
                activity_log(
                    created_by=self.user,
                    coordinator=coordinator,
                    functions=functions,
                    affiliation=affiliation,
                    external_ref=ref,
                    check_area=False,
                    **fields,
                )
                self.result.outcomes.append(RowOutcome(row.number, ref, label, "new"))
                return
            changes = self._update(existing, fields, functions, coordinator, affiliation)
        except ValidationError as error:
            self.result.errors.extend(validation_problems(row.number, error, _FIELD_HEADERS))
            raise RowErrors from None
        action = "updated" if changes else "unchanged"
        self.result.outcomes.append(RowOutcome(row.number, ref, label, action, changes))

    def _update(self, activity, fields, functions, coordinator, affiliation) -> list[str]:
        changes = []
        affiliation = affiliation or (coordinator.affiliation if coordinator else None)
        wanted = {**fields, "coordinator": coordinator, "affiliation": affiliation}
        for name, value in wanted.items():
            if getattr(activity, name) != value:
                setattr(activity, name, value)
                changes.append(_FIELD_HEADERS.get(name, name))
        have = set(activity.function_rows.values_list("function", flat=True))
        if have != set(functions):
            changes.append("機能")
        if not changes:
            return []
        activity.updated_by = self.user
        activity.full_clean()
        activity.save()
        activity.function_rows.exclude(function__in=functions).delete()
        ActivityFunction.objects.bulk_create(
            [ActivityFunction(activity=activity, function=c) for c in set(functions) - have]
        )
        return list(dict.fromkeys(changes))


def activities_import(
    data: bytes, *, filename: str = "", user=None, dry_run: bool = True
) -> ActivityImportResult:
    """Read, check and (unless ``dry_run``) record the activities of a spreadsheet.

    Never raises for a bad file: problems are in ``result.errors``, in Japanese,
    with their row and column; unknown 所属 are listed in ``new_affiliations``.
    """
    result = ActivityImportResult(filename=filename, dry_run=dry_run)
    try:
        rows = read_sheet(data, filename, ACTIVITY_COLUMNS, anchor="date", result=result)
    except ImportFileError as exc:
        result.errors.append(exc.problem)
        return result
    handler = _ActivityRows(result, user)
    run_rows(result, rows, handler.handle, dry_run=dry_run)
    for name in result.new_affiliations:
        result.warnings.append(
            Problem(None, "所属", f"所属「{name}」は未登録のため、新しく登録します。")
        )
    return result


def activities_import_path(path: str | Path, **kwargs) -> ActivityImportResult:
    return import_path(activities_import, path, **kwargs)
