"""Import of council records (issue 6, item 6): the city table of seed 000
(協議体の設置状況) typed into Excel imports as councils with a meeting in each
month its 協議体開催時期 names; cp932 CSV, all or nothing, idempotent, and the
staff import page."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from councils.importing import councils_import, meeting_months
from councils.models import Council, Meeting
from portal.models import Area
from portal.parsers import ParseError

# The layout of 000's 協議体の設置状況 (three of its rows, 東成区 added as an area).
TABLE_HEADER = [
    "区名",
    "事業開始時期",
    "協議体設置時期",
    "新設・既設",
    "既存の会議体",
    "協議体開催時期",
]
TABLE_ROWS = [
    [
        "北区",
        "平成29年度",
        "平成29年11月",
        "既設",
        "生活困窮者を地域でいかに支えるか 支援ネットワーク会議",
        "平成29年11月、 平成30年1月～3月",
    ],
    ["港区", "平成27年度(モデル区)", "平成28年2月", "新設", "-", "月1回"],
    [
        "東成区",
        "平成28年度(先行区)",
        "平成28年11月",
        "既設",
        "地域生活支援システム実務者会議",
        "平成29年9月、11月 平成30年3月",
    ],
]


@pytest.fixture
def higashinari(db):
    return Area.objects.create(tier=1, code="27121", name="東成区")


@pytest.fixture
def wards(areas, higashinari):
    return areas


def table_xlsx(rows=TABLE_ROWS, header=TABLE_HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["生活支援体制整備事業における協議体の設置状況について"])
    sheet.append([])
    sheet.append(["平成30年3月末現在"])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_csv(rows, header=TABLE_HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([["協議体の設置状況"], header, *rows])
    return out.getvalue().encode("cp932")


def months_of(council: Council) -> list[str]:
    return [f"{d:%Y-%m}" for d in council.meetings.order_by("date").values_list("date", flat=True)]


def test_the_000_table_imports_as_councils_with_their_meetings(wards, tmp_path, capsys):
    path = tmp_path / "協議体の設置状況.xlsx"
    path.write_bytes(table_xlsx())
    call_command("import_councils", str(path))
    out = capsys.readouterr()
    assert "見出しは5行目" in out.out
    assert "協議体 新規 3件" in out.out and "会議 新規 7件" in out.out
    assert "月1回" in out.err  # named as not read, no meeting recorded
    kita = Council.objects.get(area=wards["kita"])
    assert kita.tier == 1
    assert kita.name == "北区 第1層協議体"
    assert kita.business_start_fy == 2017
    assert kita.established_on == date(2017, 11, 1)
    assert kita.origin == Council.Origin.EXISTING
    assert kita.existing_body == "生活困窮者を地域でいかに支えるか 支援ネットワーク会議"
    assert months_of(kita) == ["2017-11", "2018-01", "2018-02", "2018-03"]
    minato = Council.objects.get(area=wards["minato"])
    assert (minato.business_start_fy, minato.business_start_note) == (2015, "モデル区")
    assert minato.origin == Council.Origin.NEW and minato.existing_body == ""
    assert months_of(minato) == []
    higashinari = Council.objects.get(area__code="27121")
    assert higashinari.business_start_note == "先行区"
    assert months_of(higashinari) == ["2017-09", "2017-11", "2018-03"]


def test_dry_run_writes_nothing(wards, tmp_path, capsys):
    path = tmp_path / "councils.xlsx"
    path.write_bytes(table_xlsx())
    call_command("import_councils", str(path), "--dry-run")
    assert "確認のみ" in capsys.readouterr().out
    assert Council.objects.count() == 0 and Meeting.objects.count() == 0


def test_reimport_is_idempotent(wards):
    first = councils_import(table_xlsx(), filename="c.xlsx", dry_run=False)
    assert first.ok and first.written
    codes = sorted(Council.objects.values_list("code", flat=True))
    again = councils_import(table_xlsx(), filename="c.xlsx", dry_run=False)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    assert (again.meetings_new, again.meetings_unchanged) == (0, 7)
    assert sorted(Council.objects.values_list("code", flat=True)) == codes
    assert Meeting.objects.count() == 7


def test_a_later_table_adds_the_new_months_and_updates(wards):
    councils_import(table_xlsx(), filename="c.xlsx", dry_run=False)
    rows = [list(row) for row in TABLE_ROWS]
    rows[0][5] = "平成29年11月、 平成30年1月～3月、 平成30年5月"
    result = councils_import(table_xlsx(rows), filename="c.xlsx", dry_run=False)
    assert (result.updated, result.unchanged, result.meetings_new) == (1, 2, 1)
    assert Meeting.objects.count() == 8


def test_tier2_councils_with_name_and_tier_from_cp932_csv(wards):
    header = ["圏域", "層", "協議体名", "協議体設置時期", "協議体開催時期"]
    rows = [["27127-1", "2", "第1圏域支え合い会議", "R1.10", "令和2年1月～令和2年2月"]]
    result = councils_import(table_csv(rows, header), filename="c.csv", dry_run=False)
    assert result.ok, result.errors
    council = Council.objects.get()
    assert (council.tier, council.area, council.name) == (2, wards["kita1"], "第1圏域支え合い会議")
    assert council.established_on == date(2019, 10, 1)
    assert months_of(council) == ["2020-01", "2020-02"]


def test_an_existing_council_is_found_by_area_and_name(wards):
    existing = Council.objects.create(tier=1, area=wards["kita"], name="北区推進会議")
    rows = [["北区", "北区推進会議", "平成30年3月"]]
    result = councils_import(
        table_csv(rows, ["区名", "協議体名", "協議体開催時期"]), filename="c.csv", dry_run=False
    )
    assert result.ok and (result.new, result.updated) == (0, 1)
    assert Council.objects.get() == existing
    assert months_of(existing) == ["2018-03"]


@pytest.mark.parametrize(
    ("index", "value", "column", "words"),
    [
        (2, "平成32年4月", "協議体設置時期", "平成は31年まで"),
        (0, "南区", "区名", "ありません"),
        (5, "平成32年1月", "協議体開催時期", "平成は31年まで"),
        (5, "平成29年13月", "協議体開催時期", "13月はありません"),
        (3, "休止", "新設・既設", "ありません"),
        (1, "平成二十九年度", "事業開始時期", "年度として読み取れません"),
    ],
)
def test_a_bad_row_writes_nothing_and_names_row_and_column(
    wards, tmp_path, capsys, index, value, column, words
):
    rows = [list(row) for row in TABLE_ROWS]
    rows[1][index] = value
    path = tmp_path / "bad.xlsx"
    path.write_bytes(table_xlsx(rows))
    with pytest.raises(CommandError, match="何も書き込みませんでした"):
        call_command("import_councils", str(path))
    err = capsys.readouterr().err
    assert f"7行目 「{column}」" in err and words in err
    assert Council.objects.count() == 0 and Meeting.objects.count() == 0


def test_existing_without_the_body_is_refused(wards):
    rows = [["北区", "平成29年度", "平成29年11月", "既設", "-", ""]]
    result = councils_import(table_csv(rows), filename="c.csv", dry_run=False)
    assert [(p.row, p.column) for p in result.errors] == [(3, "既存の会議体")]
    assert Council.objects.count() == 0


def test_a_tier_that_is_not_the_areas_is_refused(wards):
    rows = [["北区", "2", "北区の会議"]]
    result = councils_import(table_csv(rows, ["区名", "層", "協議体名"]), filename="c.csv")
    assert [(p.row, p.column) for p in result.errors] == [(3, "層")]


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("平成29年11月、 平成30年1月～3月", ["2017-11", "2018-01", "2018-02", "2018-03"]),
        (
            "平成29年5月、7月、9月、 11月、 平成30年3月",
            ["2017-05", "2017-07", "2017-09", "2017-11", "2018-03"],
        ),
        ("平成29年11月～2月", ["2017-11", "2017-12", "2018-01", "2018-02"]),
        ("2022年12月、1月", ["2022-12", "2023-01"]),
        ("R4.5、R4.6～R4.7", ["2022-05", "2022-06", "2022-07"]),
        ("H29.11-H30.1", ["2017-11", "2017-12", "2018-01"]),
        ("-", []),
        ("", []),
    ],
)
def test_meeting_months(text, months):
    found, rest = meeting_months(text)
    assert [f"{d:%Y-%m}" for d in found] == months
    assert rest == ""


def test_meeting_months_without_a_year_is_refused():
    with pytest.raises(ParseError, match="年がわかりません"):
        meeting_months("11月")


# The staff page -------------------------------------------------------------------


def test_staff_page_previews_then_confirms(client, city_staff, wards):
    client.force_login(city_staff)
    file = io.BytesIO(table_xlsx())
    file.name = "協議体.xlsx"
    response = client.post(
        reverse("coordinators:records_import", args=["councils"]), {"file": file}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "協議体 新規 3件" in page and "会議 新規 7件" in page and "月1回" in page
    assert Council.objects.count() == 0
    done = client.post(response["Location"], {"action": "confirm"})
    assert done.status_code == 302
    assert Council.objects.count() == 3 and Meeting.objects.count() == 7


def test_staff_page_is_404_for_a_coordinator(client, kita_coordinator):
    client.force_login(kita_coordinator)
    for name in ("records_import", "records_import_preview", "records_import_done"):
        assert client.get(reverse(f"coordinators:{name}", args=["councils"])).status_code == 404
