"""portal.sheets.columns: a kind's column registry, and where its columns are in a
file — under title rows, by any synonym, or as the preview assigns them."""

from __future__ import annotations

import pytest

from portal.sheets import Columns, SheetColumn, SheetFileError, Table, lay_out

COLUMNS = Columns(
    [
        SheetColumn("name", "名称", ("団体名", "事業所名称")),
        SheetColumn("day", "日付", ("開催日", "活動日")),
        SheetColumn("note", "備考", ("メモ",)),
        SheetColumn("updated", "更新日時", read_only=True),
    ],
    anchor="name",
    ignored=("No.",),
)


def table(*rows: list) -> Table:
    return Table(rows=[(n, list(cells)) for n, cells in enumerate(rows, start=1)], kind="csv")


def test_headers_are_found_by_any_synonym_in_any_width_and_kana():
    assert COLUMNS.lookup("ｼﾞｷﾞｮｳｼｮ") is None
    assert COLUMNS.lookup("事業所　名称") == ("name", 2)
    assert COLUMNS.lookup("開催日") == ("day", 1)
    assert COLUMNS.lookup("ＮＯ．") == ("", 0)  # known, deliberately not imported


def test_the_anchor_must_be_a_column():
    with pytest.raises(ValueError):
        Columns([SheetColumn("day", "日付")], anchor="name")


def test_title_rows_above_the_header_are_skipped():
    sheet = lay_out(
        table(["令和5年度 サロン一覧"], [], ["No.", "団体名", "開催日"], [1, "あおぞら", "毎週"]),
        COLUMNS,
    )

    assert sheet.header_row == 3
    assert sheet.index == {"name": 1, "day": 2}
    assert sheet.header("name") == "団体名" and sheet.header("note") == "備考"
    assert [m.status for m in sheet.mappings] == ["ignored", "used", "used"]
    assert sheet.rows == [(4, [1, "あおぞら", "毎週"])]


def test_the_export_header_wins_over_a_synonym_and_the_left_column_over_an_equal_one():
    sheet = lay_out(
        table(["開催日", "名称", "日付", "団体名", "活動日"], ["a", "b", "c", "d", "e"]), COLUMNS
    )

    assert sheet.index == {"name": 1, "day": 2}
    assert [m.status for m in sheet.mappings] == [
        "duplicate",
        "used",
        "used",
        "duplicate",
        "duplicate",
    ]
    assert all("同じ項目の列がほかにある" in w.message for w in sheet.warnings)


def test_unknown_read_only_and_extra_cells_are_named_and_not_read():
    sheet = lay_out(
        table(["名称", "ひらく日", "更新日時"], ["あおぞら", "月", "x", "はみ出し"]), COLUMNS
    )

    assert [m.status for m in sheet.mappings] == ["used", "unknown", "read_only"]
    assert [str(w) for w in sheet.warnings] == [
        "「ひらく日」: この見出しは取り込みません（列の割り当てで選べます）。",
        "2行目: 見出しのない列の値（はみ出し など）は取り込みません。",
    ]


def test_the_assignment_overrides_by_index_or_by_header():
    sheet = lay_out(
        table(["名前", "ひらく日", "団体名"], ["あおぞら", "月", "x"]),
        COLUMNS,
        {0: "name", "ひらく日": "day", 2: ""},
    )

    assert sheet.index == {"name": 0, "day": 1}
    assert [m.status for m in sheet.mappings] == ["chosen", "chosen", "ignored"]
    assert [m.label for m in sheet.mappings] == ["名称", "日付", ""]


def test_records_are_the_non_blank_rows_by_key():
    sheet = lay_out(
        table(["名称", "日付", "メモ"], ["あおぞら", 3, "'=1+1"], ["", " ", None], ["いこい"]),
        COLUMNS,
    )

    records, blank = sheet.records()

    assert blank == 1
    assert [(r.number, r.values) for r in records] == [
        (2, {"name": "あおぞら", "day": 3, "note": "=1+1"}),
        (4, {"name": "いこい", "day": "", "note": ""}),
    ]
    assert records[0].text("day") == "3" and not records[1].has("other")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([[""], []], "ファイルに行がありません（空のファイルです）。"),
        (
            [["a", "b"], ["1", "2"]],
            "見出しの行が見つかりません。上から30行のうちに、「名称」などの見出しを書いた行を置くか、"
            "列の割り当てで「名称」を選んでください。",
        ),
        (
            [["日付", "備考"], ["月", "x"]],
            "1行目: 名称の列がありません。見出しを「名称」にするか、列の割り当てで「名称」を選んでください。",
        ),
        (
            [["名称", "日付"], ["", ""]],
            "1行目: 見出しの行しかありません。見出しの下に取り込む行を入れてください。",
        ),
    ],
)
def test_a_file_without_a_header_or_rows_is_refused_in_japanese(rows, message):
    with pytest.raises(SheetFileError) as caught:
        lay_out(table(*rows), COLUMNS)

    assert str(caught.value.problem) == message
