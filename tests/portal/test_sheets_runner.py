"""portal.sheets.runner: every kind's rows run all or nothing — a dry run or one bad
row writes nothing; the counts are what a second run would find."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from portal.models import Area
from portal.sheets import (
    Columns,
    Problem,
    RowErrors,
    RowOutcome,
    SheetColumn,
    SheetResult,
    all_or_nothing,
    sheet_import,
    validation_problems,
)

# A toy kind: each row an area (code, name), "x" as a name is a problem.
COLUMNS = Columns(
    [SheetColumn("code", "区域コード"), SheetColumn("name", "名称", ("区域名",))], anchor="name"
)


def area_import(data: bytes, **options) -> SheetResult:
    result = SheetResult(filename="areas.csv")

    def handle(row) -> None:
        if row.text("name") == "x":
            result.errors.append(Problem(row.number, "名称", "x は名前ではありません。"))
            raise RowErrors
        area, created = Area.objects.get_or_create(
            code=row.text("code"), defaults={"name": row.text("name"), "tier": 1}
        )
        changed = not created and area.name != row.text("name")
        if changed:
            area.name = row.text("name")
            area.save()
        action = "new" if created else "updated" if changed else "unchanged"
        result.outcomes.append(RowOutcome(row.number, area.code, area.name, action))

    def process(sheet, run) -> None:
        rows, result.blank_rows = sheet.records()
        result.rows_total = len(rows)
        run.each(rows, handle)

    return sheet_import(data, columns=COLUMNS, process=process, result=result, **options)


FILE = "一覧\r\n区域コード,名称\r\nA,北区\r\n\r\nB,港区\r\n".encode("cp932")


def test_a_dry_run_counts_the_rows_and_writes_nothing(db):
    result = area_import(FILE, dry_run=True)

    assert (result.ok, result.written, result.dry_run) == (True, False, True)
    assert (result.header_row, result.rows_total, result.blank_rows) == (2, 2, 1)
    assert (result.kind, result.encoding) == ("csv", "cp932")
    assert result.summary() == "新規 2件、更新 0件、変更なし 0件"
    assert result.seconds > 0 and result.cpu_seconds > 0
    assert not Area.objects.exists()


def test_a_real_run_writes_and_a_second_one_finds_everything_unchanged(db):
    assert area_import(FILE, dry_run=False).written
    again = area_import(FILE, dry_run=False)

    assert again.summary() == "新規 0件、更新 0件、変更なし 2件"
    assert sorted(Area.objects.values_list("name", flat=True)) == ["北区", "港区"]


def test_one_bad_row_writes_nothing_and_names_its_row(db):
    result = area_import(FILE + b"C,x\r\n", dry_run=False)

    assert not result.written
    assert [str(p) for p in result.errors] == ["6行目 「名称」: x は名前ではありません。"]
    assert result.new == 2  # what the good rows would have done
    assert not Area.objects.exists()


def test_skip_invalid_keeps_the_good_rows(db):
    result = area_import(FILE + b"C,x\r\n", dry_run=False, skip_invalid=True)

    assert result.written and len(result.errors) == 1
    assert Area.objects.count() == 2


def test_a_file_level_problem_is_one_error_and_never_raises(db):
    result = area_import(b"", dry_run=False)

    assert [p.message for p in result.errors] == ["ファイルが空です。"]
    assert not result.written


def test_a_column_assignment_reads_an_unknown_header(db):
    data = "コード,呼び名\r\nA,北区\r\n".encode()

    assert not area_import(data, dry_run=True).ok
    result = area_import(data, dry_run=False, mapping={"コード": "code", 1: "name"})

    assert result.written and Area.objects.get().name == "北区"


def test_a_change_waiting_for_confirmation_is_kept_only_with_force(db):
    def run(force: bool) -> SheetResult:
        result = SheetResult()
        with all_or_nothing(result, dry_run=False, force=force) as sheet_run:
            Area.objects.create(code="A", name="北区", tier=1)
            result.confirmation = "半数を超える行が変わります。"
            assert sheet_run.may_write() is force
        return result

    assert not run(force=False).written and not Area.objects.exists()
    assert run(force=True).written and Area.objects.count() == 1


def test_validation_errors_name_the_columns_of_their_fields():
    error = ValidationError({"name": ["長すぎます。"], "tier": ["1 か 2 です。"]})

    problems = validation_problems(7, error, {"name": "名称"})

    assert [str(p) for p in problems] == ["7行目 「名称」: 長すぎます。", "7行目: 1 か 2 です。"]
    assert [str(p) for p in validation_problems(7, ValidationError("だめです。"), {})] == [
        "7行目: だめです。"
    ]


@pytest.mark.parametrize("dry_run", [True, False])
def test_problems_of_rows_after_a_good_one_undo_the_good_one_too(db, dry_run):
    result = area_import("名称,区域コード\r\n北区,A\r\nx,B\r\n".encode(), dry_run=dry_run)

    assert result.new == 1 and not result.written
    assert not Area.objects.exists()
