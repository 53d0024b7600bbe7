"""Unknown values decided once, mapping files and the preview's decisions (issue 13)."""

from __future__ import annotations

import io
import json
import re
from datetime import time as clock
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from resources.importing import resources_import
from resources.importing.extras import capacity, schedule_text
from resources.importing.values import variants
from resources.models import ImportProfile, Resource, Target
from tests.resources.import_files import csv_bytes

UPLOAD_URL = "/staff/import/"
PREVIEW_URL = "/staff/import/preview/"

HEADER = ["名称", "種別", "対象者", "カテゴリ", "住所"]
ROWS = [
    [
        "梅田ふれあい会",
        "通所介護（デイサービス）",
        "概ね65歳以上の方",
        "交流",
        "大阪市北区梅田1丁目",
    ],
    [
        "天満いきいき会",
        "夜間対応型訪問介護",
        "概ね65歳以上の方",
        "医療・福祉/病院・診療所",
        "大阪市北区天満2丁目",
    ],
    ["中崎の会", "サロン", "地域の高齢者", "医療・福祉/病院・診療所", "大阪市北区中崎1丁目"],
]


def sheet(rows=ROWS, header=HEADER) -> bytes:
    return csv_bytes([header, *rows])


# Normalised matching ------------------------------------------------------------------------


def test_spellings_are_tried_part_by_part():
    assert "65歳以上" in variants("概ね65歳以上の方")
    assert {"通所介護", "デイサービス"} <= set(variants("通所介護（デイサービス）"))
    assert "医療" in variants("医療・福祉/病院・診療所")


def test_known_values_in_other_spellings_need_no_decision(areas):
    result = resources_import(sheet(ROWS[:2]), dry_run=False)

    # 「医療・福祉/病院・診療所」 names two categories, neither of them known.
    assert [(u["column"], u["value"], u["rows"]) for u in result.unresolved] == [
        ("カテゴリ", "医療・福祉", 1),
        ("カテゴリ", "病院・診療所", 1),
    ]
    assert result.errors[0].message == (
        "カテゴリ「医療・福祉」はありません — 1行。「値の割り当て」で選んでください。"
    )


def test_each_unknown_value_is_listed_once_with_its_rows(areas):
    result = resources_import(sheet(), dry_run=True)

    listed = {(u["column"], u["value"]): u["rows"] for u in result.unresolved}
    assert listed == {
        ("対象者", "地域の高齢者"): 1,
        ("カテゴリ", "医療・福祉"): 2,
        ("カテゴリ", "病院・診療所"): 2,
    }
    assert len(result.errors) == 3


def test_decisions_map_leave_out_and_create_values(areas):
    values = {
        "カテゴリ": {"医療・福祉": None, "病院・診療所": None},
        "対象者": {"地域の高齢者": "地域の高齢者"},  # created: targets are free text
    }
    result = resources_import(sheet(), dry_run=False, values=values)

    assert result.errors == [] and result.written
    cafe = Resource.objects.get(name="中崎の会")
    assert [t.name for t in cafe.targets.all()] == ["地域の高齢者"]
    assert not cafe.categories.exists()
    assert Target.objects.filter(name="地域の高齢者").exists()
    day = Resource.objects.get(name="梅田ふれあい会")
    assert day.resource_type == Resource.Type.CARE_OFFICE
    assert [t.name for t in day.targets.all()] == ["65歳以上"]
    night = Resource.objects.get(name="天満いきいき会")
    assert night.resource_type == Resource.Type.CARE_OFFICE
    assert "サービスの種類: 夜間対応型訪問介護" in night.description


def test_a_preview_creates_nothing(areas):
    resources_import(sheet(), dry_run=True, values={"対象者": {"地域の高齢者": "地域の高齢者"}})

    assert not Target.objects.filter(name="地域の高齢者").exists()


# Values as real files write them ------------------------------------------------------------


def test_times_remarks_and_numbered_sessions():
    assert schedule_text("毎週火曜 ①13:00 ②14:45") == ("毎週火曜 13:00/毎週火曜 14:45", "")
    assert schedule_text("毎週水曜 10:00～12:00 ただし8月は休み") == (
        "毎週水曜 10:00～12:00",
        "ただし8月は休み",
    )
    assert schedule_text(clock(9, 30)) == ("9:30", "")
    assert schedule_text("平日 09:00:00～17:00:00")[0] == "平日 09:00～17:00"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("先着20人", (20, "先着20人")), ("20名", (20, "")), ("無し", (None, "")), ("-", (None, ""))],
)
def test_capacity_text(cell, expected):
    assert capacity(cell)[:2] == expected


def test_a_row_keeps_what_its_cells_say(areas):
    header = ["名称", "開催日時", "定員", "電話番号", "参加費", "開始時間", "終了時間"]
    rows = [
        [
            "いきいき体操",
            "毎週火曜 ①13:00 ②14:45 ※祝日は休み",
            "先着20人",
            "06-1111-2222／06-3333-4444",
            "一般500円、高校生以下無料",
            "",
            "",
        ],
        ["ふれあい喫茶", "平日", "無し", "06-5555-6666", "無料", "09:00:00", "11:30:00"],
    ]
    result = resources_import(csv_bytes([header, *rows]), dry_run=False)

    assert result.errors == [] and result.written, result.errors
    exercise = Resource.objects.get(name="いきいき体操")
    rules = list(exercise.schedules.order_by("sort_order"))
    assert [(r.weekdays, r.opens_at) for r in rules] == [("TU", clock(13)), ("TU", clock(14, 45))]
    assert rules[0].note == "※祝日は休み"
    assert exercise.capacity == 20 and "定員: 先着20人" in exercise.description
    assert exercise.contact_phone == "06-1111-2222"
    assert "ほかの電話番号: 06-3333-4444" in exercise.description
    assert (exercise.fee_amount, exercise.fee_note) == (500, "一般500円、高校生以下無料")
    cafe = Resource.objects.get(name="ふれあい喫茶")
    rule = cafe.schedules.get()
    assert (rule.weekdays, rule.opens_at, rule.closes_at) == (
        "MO,TU,WE,TH,FR",
        clock(9),
        clock(11, 30),
    )
    assert cafe.capacity is None


def test_a_list_of_dated_events_is_refused_as_such(areas):
    rows = [[f"春の講演会{n}", f"2024年5月{n}日 13:00～15:00"] for n in range(1, 6)]
    result = resources_import(csv_bytes([["名称", "開催日時"], *rows]), dry_run=True)

    assert len(result.errors) == 1
    assert result.errors[0].message.startswith("これは行事の一覧のようです")


def test_mojibake_and_cut_addresses_are_warned_about(areas):
    rows = [["あおぞら\ufffdの会", "大阪市北区（以下略）"]]
    result = resources_import(csv_bytes([["名称", "住所"], *rows]), dry_run=True)

    messages = [w.message for w in result.warnings]
    assert any("読めない文字" in m for m in messages)
    assert any("以下略" in m for m in messages)


def test_a_file_without_a_name_column_is_read_by_a_header_that_names_something(areas):
    result = resources_import(
        csv_bytes([["介護事業所の名称", "所在地"], ["あおぞら", "大阪市北区"]])
    )

    assert result.rows_total == 1 and result.ok
    assert result.guessed == "介護事業所の名称"


# Publishing ----------------------------------------------------------------------------------


def test_new_rows_are_staff_only_unless_published(areas):
    resources_import(csv_bytes([["名称"], ["あおぞら"]]), dry_run=False)
    resources_import(csv_bytes([["名称"], ["ひまわり"]]), dry_run=False, publish=True)
    resources_import(csv_bytes([["名称", "公開範囲"], ["さくら", "公開"]]), dry_run=False)

    visibility = dict(Resource.objects.values_list("name", "visibility"))
    assert visibility == {"あおぞら": "staff", "ひまわり": "public", "さくら": "public"}


def test_publishing_many_new_rows_asks_for_confirmation(areas):
    rows = [[f"会{n}"] for n in range(12)]
    result = resources_import(csv_bytes([["名称"], *rows]), dry_run=False, publish=True)

    assert not result.written
    assert result.confirmation.startswith("新しい地域資源 12件を、すぐに住民に公開します")
    assert resources_import(csv_bytes([["名称"], *rows]), dry_run=False).written  # 関係者限定


# The command ---------------------------------------------------------------------------------


def test_the_command_prints_one_json_object_and_exits_1_when_a_decision_is_needed(areas, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(sheet())
    out = StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("import_resources", str(path), "--dry-run", "--json", stdout=out)

    assert exit_.value.code == 1
    data = json.loads(out.getvalue())
    assert set(data) == {
        "rows",
        "new",
        "updated",
        "unchanged",
        "written",
        "layout",
        "problems",
        "unresolved",
        "outside",
        "warnings",
    }
    assert (data["rows"], data["written"], data["layout"]) == (3, False, None)
    assert {"column": "対象者", "value": "地域の高齢者", "rows": 1} in data["unresolved"]
    assert data["problems"][0] == {
        "row": 3,
        "column": "カテゴリ",
        "message": "カテゴリ「医療・福祉」はありません — 2行。「値の割り当て」で選んでください。",
    }


def test_the_command_reads_a_mapping_file_and_exits_0(areas, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(sheet(header=["事業の名", "種別", "対象者", "カテゴリ", "住所"]))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "columns": {"事業の名": "名称", "住所": "住所"},
                "values": {
                    "カテゴリ": {"医療・福祉": None, "病院・診療所": None},
                    "対象者": {"地域の高齢者": "65歳以上"},
                },
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    out = StringIO()

    call_command("import_resources", str(path), "--json", "--mapping", str(mapping), stdout=out)

    data = json.loads(out.getvalue())
    assert (data["new"], data["written"], data["problems"], data["unresolved"]) == (3, True, [], [])
    assert Resource.objects.get(name="中崎の会").targets.get().name == "65歳以上"


# The page ------------------------------------------------------------------------------------


def upload(client, data: bytes, name: str = "list.csv"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data)})


def samples_table(html: str) -> str:
    start = html.index('id="import-samples"')
    return html[start : html.index("</table>", start)]


def test_the_page_shows_decisions_first_and_remembers_them(client, city_staff, areas):
    client.force_login(city_staff)
    upload(client, sheet())

    html = client.get(PREVIEW_URL).content.decode()
    assert html.index("値の割り当て") < html.index("直してほしいところ")
    assert "対象者: 地域の高齢者</span> — 1行" in html
    assert "カテゴリ: 医療・福祉</span> — 2行" in html
    indexes = dict(re.findall(r'name="valtext-(\d+)" value="([^"]+)"', html))
    by_value = {v: k for k, v in indexes.items()}

    client.post(
        PREVIEW_URL,
        {
            "action": "values",
            f"valcol-{by_value['地域の高齢者']}": "対象者",
            f"valtext-{by_value['地域の高齢者']}": "地域の高齢者",
            f"val-{by_value['地域の高齢者']}": "65歳以上",
            **{
                f"val{field}-{by_value[value]}": answer
                for value in ("医療・福祉", "病院・診療所")
                for field, answer in (("col", "カテゴリ"), ("text", value), ("", "__ignore__"))
            },
        },
    )
    html = client.get(PREVIEW_URL).content.decode()
    assert "直してほしいところ" not in html
    samples = samples_table(html)
    assert "関係者限定" in samples and "介護保険事業所" in samples

    client.post(PREVIEW_URL, {"action": "profile_save", "profile_name": "毎月のサロン一覧"})
    profile = ImportProfile.objects.get(name="毎月のサロン一覧")
    assert profile.mapping["values"]["対象者"] == {"地域の高齢者": "65歳以上"}
    assert profile.mapping["columns"]["名称"] == "名称"
    download = client.post(PREVIEW_URL, {"action": "profile_download"})
    assert json.loads(download.content) == profile.mapping
    assert set(json.loads(download.content)) == {"columns", "values"}

    client.post(PREVIEW_URL, {"action": "options", "publish": "1"})
    html = client.get(PREVIEW_URL).content.decode()
    assert "関係者限定" not in samples_table(html) and "公開" in samples_table(html)
    response = client.post(PREVIEW_URL, {"action": "confirm"})
    assert response.status_code == 302
    assert Resource.objects.filter(visibility="public").count() == 3


def test_a_saved_mapping_is_chosen_or_uploaded_on_the_page(client, city_staff, areas):
    mapping = {
        "columns": {},
        "values": {
            "カテゴリ": {"医療・福祉": None, "病院・診療所": None},
            "対象者": {"地域の高齢者": None},
        },
    }
    client.force_login(city_staff)
    upload(client, sheet())

    client.post(
        PREVIEW_URL,
        {
            "action": "profile_upload",
            "mapping_file": SimpleUploadedFile(
                "m.json", json.dumps(mapping, ensure_ascii=False).encode()
            ),
        },
    )
    assert "直してほしいところ" not in client.get(PREVIEW_URL).content.decode()

    ImportProfile.objects.create(name="先月", mapping=mapping, city_code="271004")
    upload(client, sheet())
    html = client.get(PREVIEW_URL).content.decode()
    assert "先月" in html and "直してほしいところ" in html
    profile = ImportProfile.objects.get(name="先月")
    client.post(PREVIEW_URL, {"action": "profile_load", "profile": profile.pk})
    assert "直してほしいところ" not in client.get(PREVIEW_URL).content.decode()


# A city's own 創出一覧 -----------------------------------------------------------------------


def creation_list() -> bytes:
    """In the style of a city's 地域資源創出一覧: two title rows, 和暦 in several
    spellings, full-width digits, free-text targets and fees, merged-looking blanks."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "創出一覧"
    sheet.append(["令和５年度　地域資源創出一覧（北区）"])
    sheet.append(["※生活支援コーディネーター作成"])
    sheet.append([])
    sheet.append(
        [
            "No.",
            "圏域",
            "資源名",
            "種別",
            "活動内容",
            "対象",
            "開催日",
            "時間",
            "参加費",
            "立上げ日",
            "新規・既存",
            "定員",
        ]
    )
    rows = [
        [
            1,
            "第1圏域",
            "梅田ふれあいサロン",
            "サロン",
            "おしゃべりと体操",
            "概ね65歳以上の方",
            "第１・３水曜",
            "１３：３０～１５：００",
            "１回１００円",
            "令和5年4月1日",
            "新規",
            "２０名",
        ],
        [
            2,
            "第1圏域",
            "いきいき百歳体操 梅田",
            "体操",
            "DVDを見ながら体操",
            "どなたでも",
            "毎週火曜",
            "10:00～11:00",
            "無料",
            "R5.6.1",
            "新規",
            "先着15人",
        ],
        [
            3,
            "第2圏域",
            "天満オレンジカフェ",
            "認知症カフェ",
            "認知症の方と家族の集い",
            "認知症の方とその家族",
            "毎月15日",
            "14:00〜16:00",
            "実費（材料費）",
            "Ｈ３０年４月",
            "既存",
            "無し",
        ],
        [
            4,
            "第2圏域",
            "天満ボランティアの会",
            "生活支援",
            "ゴミ出しと買い物の手伝い",
            "地域の高齢者",
            "不定期",
            "",
            "1回30分100円",
            "平成31年4月",
            "拡充",
            "-",
        ],
    ]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_creation_list_imports_with_a_handful_of_decisions(areas):
    first = resources_import(creation_list(), filename="創出一覧.xlsx", dry_run=True)

    assert first.header_row == 4
    decisions = [(u["column"], u["value"]) for u in first.unresolved]
    assert decisions == [("対象者", "地域の高齢者"), ("区域", "第1圏域")]  # two decisions
    values: dict = {}
    for column, value in decisions:
        answer = {"対象者": "65歳以上", "区域": f"北区 {value}"}.get(column)
        values.setdefault(column, {})[value] = answer
    result = resources_import(creation_list(), dry_run=False, values=values)

    assert result.errors == [] and result.written, result.errors
    salon = Resource.objects.get(name="梅田ふれあいサロン")
    assert salon.area == areas["kita1"]
    assert salon.capacity == 20 and salon.fee_amount == 100
    rule = salon.schedules.get()
    assert (rule.weeks_of_month, rule.opens_at) == ("1,3", clock(13, 30))
    assert salon.origin_date.isoformat() == "2023-04-01"
    cafe = Resource.objects.get(name="天満オレンジカフェ")
    assert cafe.origin_date.isoformat() == "2018-04-01"
    assert cafe.resource_type == Resource.Type.DEMENTIA_CAFE
    assert [t.name for t in cafe.targets.all()] == ["認知症の方と家族"]
    assert Resource.objects.get(name__startswith="いきいき百歳体操").capacity == 15


# Duplicates against the registry ---------------------------------------------------------------


def test_a_new_row_like_a_registered_resource_is_shown_with_a_choice(client, city_staff, areas):
    from tests.conftest import make_resource

    make_resource(
        code="R-1", name="梅田ふれあいサロン", contact_phone="06-1234-5678", area=areas["kita1"]
    )
    data = csv_bytes([["名称", "電話番号"], ["梅田ふれあいｻﾛﾝ", "06-1234-5678"], ["別の会", ""]])

    result = resources_import(data, dry_run=True)
    assert [(d["name"], d["existing_code"], d["why"]) for d in result.duplicates] == [
        ("梅田ふれあいサロン", "R-1", "電話番号")
    ]
    assert any(
        "登録済みの「梅田ふれあいサロン」（R-1）と同じかもしれません" in w.message
        for w in result.warnings
    )

    client.force_login(city_staff)
    upload(client, data)
    html = client.get(PREVIEW_URL).content.decode()
    assert "登録済みの「梅田ふれあいサロン」と同じかもしれません" in html
    code = re.search(r'name="dupcode-1" value="([^"]+)"', html).group(1)
    client.post(
        PREVIEW_URL,
        {"action": "duplicates", "dupcode-1": code, "dupof-1": "R-1", "dup-1": "update"},
    )
    client.post(PREVIEW_URL, {"action": "confirm"})

    assert Resource.objects.count() == 2
    assert Resource.objects.get(code="R-1").name == "梅田ふれあいサロン"  # ｻﾛﾝ = サロン
    skipped = resources_import(data, dry_run=True, duplicates={code: "skip"})
    assert (skipped.new, skipped.updated, skipped.unchanged) == (0, 0, 1)


def test_a_file_without_any_name_header_opens_on_the_column_picker(client, city_staff, areas):
    client.force_login(city_staff)
    upload(client, csv_bytes([["呼び名", "ところ"], ["あおぞら", "大阪市北区"]]))

    html = client.get(PREVIEW_URL).content.decode()

    assert html.index("名称の列が見つかりません") < html.index("直してほしいところ")
    assert 'id="dcol-0"' in html and 'id="dcol-1"' in html
    client.post(PREVIEW_URL, {"action": "remap", "col-0": "name", "col-1": "address"})
    html = client.get(PREVIEW_URL).content.decode()
    assert "直してほしいところ" not in html
    assert 'data-count="new">1<' in html


def test_a_large_file_previewed_as_a_job_keeps_its_decisions(client, city_staff, areas, settings):
    settings.IMPORT_JOB_ROWS = 1
    client.force_login(city_staff)
    upload(client, sheet())

    response = client.get(PREVIEW_URL, follow=True)

    html = response.content.decode()
    assert "対象者: 地域の高齢者</span> — 1行" in html
    assert 'id="decide-values"' in html


def test_unknown_values_may_be_left_empty_with_a_warning(areas):
    result = resources_import(sheet(), dry_run=False, drop_unknown=True)

    assert result.errors == [] and result.written
    assert (
        result.warnings[0].message
        == "カテゴリ「医療・福祉」はありません。空にして取り込みます（2行）。"
    )
    assert not Resource.objects.get(name="中崎の会").targets.exists()
