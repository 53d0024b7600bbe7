"""Importing past coordinator activity from spreadsheets (issue 6, item 6).

``manage.py import_activities`` and the staff import page (the sheet engine's
shared pages, kind ``activities``) call ``activities_import``. The file is read
and laid out by ``portal.sheets`` (CSV in UTF-8 or cp932, XLSX, size and
zip-bomb checks, formulas never evaluated, the header row found among title
rows); this module reads each row with ``portal.parsers`` (和暦, full-width
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
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
ACTIVITY_REGISTRY = Columns(ACTIVITY_COLUMNS, anchor="date")
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
class ActivityImportResult(SheetResult):
    new_affiliations: list[str] = field(default_factory=list)

    def preview_lists(self) -> list[tuple[str, str, list[str]]]:
        return [(str(_("新しく登録する所属")), "new-affiliations", self.new_affiliations)]


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
    data: bytes,
    *,
    filename: str = "",
    user=None,
    dry_run: bool = True,
    force: bool = False,
    skip_invalid: bool = False,
    mapping: dict | None = None,
) -> ActivityImportResult:
    """Read, check and (unless ``dry_run``) record the activities of a spreadsheet.

    Never raises for a bad file: problems are in ``result.errors``, in Japanese,
    with their row and column; unknown 所属 are listed in ``new_affiliations``.
    """
    result = ActivityImportResult(filename=filename)

    def process(sheet: Sheet, run: SheetRun) -> None:
        rows, result.blank_rows = sheet.records()
        result.rows_total = len(rows)
        run.each(rows, _ActivityRows(result, user).handle)
        for name in result.new_affiliations:
            result.warnings.append(
                Problem(None, "所属", f"所属「{name}」は未登録のため、新しく登録します。")
            )

    return sheet_import(
        data,
        columns=ACTIVITY_REGISTRY,
        process=process,
        result=result,
        dry_run=dry_run,
        force=force,
        skip_invalid=skip_invalid,
        mapping=mapping,
    )


def activities_import_path(path: str | Path, **kwargs) -> ActivityImportResult | SheetResult:
    return sheet_import_path(activities_import, path, **kwargs)


ACTIVITY_SHEET = SheetKind(
    slug="activities",
    title=_("活動記録の取込"),
    what=_("生活支援コーディネーターの過去の活動記録"),
    columns=ACTIVITY_REGISTRY,
    run=activities_import,
    pages="coordinators:records_import",
    columns_note=_("和暦（平成30年3月、R4.4.1）でも西暦でも読めます。"),
    done_links=(DoneLink(_("活動記録を見る"), "coordinators:activity_list"),),
    help_examples=4,
)
