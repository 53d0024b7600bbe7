"""Import of past activity logs (issue 6, item 6): manage.py import_activities,
the shared spreadsheet conventions (cp932, XLSX title rows, 和暦), all or
nothing, idempotent re-import, and the staff import page."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from coordinators.importing import activities_import
from coordinators.models import Activity, Affiliation, Function, Kind, Source

HEADER = [
    "日付",
    "コーディネーター",
    "所属",
    "圏域",
    "種別",
    "機能",
    "延件数",
    "発言元",
    "内容",
    "対応",
]
ROWS = [
    [
        "令和4年3月5日",
        "kita1_coord",
        "",
        "27127-1",
        "訪問",
        "実態把握、立上支援",
        "3",
        "サロン参加者",
        "買い物できる店を知りたい",
        "地域情報マップを案内",
    ],
    ["R4.6.1", "", "北区社会福祉協議会", "北区", "相談", "個別支援", "", "ケアマネ", "", ""],
    [
        "2022/7/10",
        "",
        "北区東部ブランチ",
        "北区 第2圏域",
        "ワークショップ",
        "啓発,担い手の養成",
        "２",
        "",
        "",
        "",
    ],
]


def csv_bytes(rows, header=HEADER, encoding="cp932") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER, title="令和4年度 生活支援コーディネーター活動記録") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def sheet_file(tmp_path, profiles):
    path = tmp_path / "activities.csv"
    path.write_bytes(csv_bytes(ROWS))
    return path


def test_dry_run_writes_nothing(sheet_file, capsys):
    call_command("import_activities", str(sheet_file), "--dry-run")
    out = capsys.readouterr().out
    assert "確認のみ" in out and "新規 3件" in out
    assert Activity.objects.count() == 0
    assert not Affiliation.objects.filter(name="北区東部ブランチ").exists()


def test_cp932_import_records_each_row(sheet_file, profiles, capsys):
    call_command("import_activities", str(sheet_file))
    assert "取り込みました: 新規 3件、更新 0件、変更なし 0件" in capsys.readouterr().out
    visit = Activity.objects.get(kind=Kind.VISIT)
    assert visit.date == date(2022, 3, 5)
    assert visit.coordinator == profiles["kita1"]
    assert visit.affiliation == profiles["kita1"].affiliation
    assert visit.count == 3
    assert visit.source == Source.SALON
    assert visit.heard == "買い物できる店を知りたい"
    assert visit.response == "地域情報マップを案内"
    assert set(visit.function_codes) == {Function.ASSESSMENT, Function.LAUNCH}
    consultation = Activity.objects.get(kind=Kind.CONSULTATION)
    assert consultation.coordinator is None
    assert consultation.affiliation.name == "北区社会福祉協議会"
    assert consultation.area.code == "27127"
    assert consultation.count == 1
    assert consultation.source == Source.CARE_MANAGER
    workshop = Activity.objects.get(kind=Kind.WORKSHOP)
    assert workshop.count == 2
    assert workshop.affiliation.name == "北区東部ブランチ"  # created, being unknown
    assert set(workshop.function_codes) == {Function.AWARENESS, Function.CARERS}


def test_unknown_affiliation_is_named_in_the_preview(profiles):
    result = activities_import(csv_bytes(ROWS), filename="a.csv", dry_run=True)
    assert result.ok
    assert result.new_affiliations == ["北区東部ブランチ"]
    assert any("北区東部ブランチ" in p.message for p in result.warnings)


def test_reimport_is_idempotent(sheet_file, capsys):
    call_command("import_activities", str(sheet_file))
    capsys.readouterr()
    call_command("import_activities", str(sheet_file))
    assert "新規 0件、更新 0件、変更なし 3件" in capsys.readouterr().out
    assert Activity.objects.count() == 3


def test_xlsx_with_a_title_row_and_excel_dates(profiles):
    rows = [
        [date(2022, 5, 2), "kita1_coord", "", "北区 第1圏域", "訪問", "実態把握", 1, "住民", "", ""]
    ]
    result = activities_import(xlsx_bytes(rows), filename="a.xlsx", dry_run=False)
    assert result.ok, result.errors
    assert result.header_row == 3
    assert Activity.objects.get().date == date(2022, 5, 2)


def test_identical_rows_are_kept_apart_and_stay_idempotent(profiles):
    data = csv_bytes([ROWS[1], ROWS[1]])
    first = activities_import(data, filename="a.csv", dry_run=False)
    assert first.new == 2
    again = activities_import(data, filename="a.csv", dry_run=False)
    assert (again.new, again.unchanged) == (0, 2)


def test_a_number_column_updates_the_changed_row(profiles):
    header = [*HEADER, "番号"]
    row = [*ROWS[1], "R4-001"]
    activities_import(csv_bytes([row], header), filename="a.csv", dry_run=False)
    row[6] = "5"
    result = activities_import(csv_bytes([row], header), filename="a.csv", dry_run=False)
    assert (result.new, result.updated) == (0, 1)
    assert Activity.objects.get().count == 5


@pytest.mark.parametrize(
    ("index", "value", "column", "words"),
    [
        (0, "平成32年4月1日", "日付", "平成は31年まで"),
        (3, "南区 第9圏域", "圏域", "ありません"),
        (6, "0", "延件数", "1〜999"),
        (4, "散歩", "種別", "ありません"),
        (5, "お茶会", "機能", "ありません"),
        (1, "nobody", "コーディネーター", "ありません"),
    ],
)
def test_a_bad_row_writes_nothing_and_names_row_and_column(
    tmp_path, profiles, capsys, index, value, column, words
):
    bad = list(ROWS[1])
    bad[index] = value
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([ROWS[0], bad, ROWS[2]]))
    with pytest.raises(CommandError, match="何も書き込みませんでした"):
        call_command("import_activities", str(path))
    err = capsys.readouterr().err
    assert f"3行目 「{column}」" in err and words in err
    assert Activity.objects.count() == 0
    assert not Affiliation.objects.filter(name="北区東部ブランチ").exists()


def test_a_future_date_is_refused(profiles):
    row = list(ROWS[1])
    row[0] = "2099/4/1"
    result = activities_import(csv_bytes([row]), filename="a.csv", dry_run=False)
    assert [(p.row, p.column) for p in result.errors] == [(2, "日付")]
    assert Activity.objects.count() == 0


def test_a_file_without_the_header_is_refused(profiles):
    result = activities_import(b"a,b\n1,2\n", filename="a.csv", dry_run=False)
    assert not result.ok
    assert "見出しの行が見つかりません" in result.errors[0].message


# The staff page -------------------------------------------------------------------


def upload(client, data: bytes, name: str = "activities.csv"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("coordinators:records_import", args=["activities"]), {"file": file})


def test_staff_page_previews_then_confirms(client, city_staff, profiles):
    client.force_login(city_staff)
    assert (
        client.get(reverse("coordinators:records_import", args=["activities"])).status_code == 200
    )
    response = upload(client, csv_bytes(ROWS))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "新規 3件" in page and "北区東部ブランチ" in page
    assert Activity.objects.count() == 0
    done = client.post(response["Location"], {"action": "confirm"})
    assert done.status_code == 302
    assert Activity.objects.count() == 3
    assert "新規 3件" in client.get(done["Location"]).content.decode()


def test_staff_page_shows_errors_and_writes_nothing(client, city_staff, profiles):
    client.force_login(city_staff)
    bad = list(ROWS[0])
    bad[0] = "平成32年1月1日"
    response = upload(client, csv_bytes([bad]))
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert "2" in page and "日付" in page and "平成は31年まで" in page
    client.post(preview_url, {"action": "confirm"})
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("who", ["kita_coordinator", "kita1_coordinator", "care_manager"])
def test_staff_page_is_404_for_others(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    for name in ("records_import", "records_import_preview", "records_import_done"):
        assert client.get(reverse(f"coordinators:{name}", args=["activities"])).status_code == 404
    assert client.get(reverse("coordinators:records_import", args=["councils"])).status_code == 404


def test_staff_page_is_404_for_unknown_kinds(client, city_staff):
    client.force_login(city_staff)
    assert client.get(reverse("coordinators:records_import", args=["resources"])).status_code == 404


def test_wareki_dates_of_a_sheet_counted_per_affiliation(profiles):
    row = [
        "平成30年3月5日",
        "",
        "北区社会福祉協議会",
        "27127",
        "会議",
        "ネットワーク構築",
        "1",
        "",
        "",
        "",
    ]
    result = activities_import(csv_bytes([row]), filename="a.csv", dry_run=False)
    assert result.ok, result.errors
    activity = Activity.objects.get()
    assert activity.date == date(2018, 3, 5)
    assert activity.coordinator is None and activity.kind == Kind.MEETING
