"""reports/tables.py: every cell of every report, counted by hand.

The known year is ``report_year`` (tests/conftest.py): 令和6年度,
北区 (第1圏域, 第2圏域) and 港区 (第1圏域). Activities dated 2024-03-31 and
2025-04-01, a meeting on each side of the year and resources launched outside
it are there to be left out.
"""

from __future__ import annotations

from portal.models import Area
from reports.tables import build_report

FY = 2024
CATEGORIES = [
    "就労",
    "地域貢献",
    "趣味",
    "運動",
    "学習",
    "交流",
    "買い物",
    "家事",
    "外出",
    "その他",
]
FUNCTIONS = [
    "担い手の養成",
    "実態把握",
    "立上支援",
    "運営支援",
    "啓発",
    "個別支援",
    "2層支援",
    "ネットワーク構築",
    "マッチング",
]


def table(name, user, area=None, index=0):
    report = build_report(name, fiscal_year=FY, area=area, fetched_by=user)
    return report.tables[index].csv_rows()


def by_label(rows):
    header, *body = rows
    return header, {row[0]: row for row in body}


def months(*pairs):
    """Twelve month cells, April first, from {month: value}."""
    values = dict(pairs)
    return [values.get(m, 0) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


# 協議体の設置状況 ---------------------------------------------------------------


def test_council_status_has_the_seed_000_columns_and_a_row_per_ward(report_year, city_staff):
    header, rows = by_label(table("councils", city_staff))

    assert header == [
        "区名",
        "事業開始時期",
        "協議体設置時期",
        "新設・既設",
        "既存の会議体",
        "協議体開催時期",
        "第1層の開催回数",
        "第2層の協議体数",
        "第2層の開催回数",
        "合計",
    ]
    assert list(rows) == ["港区", "北区", "合計"]


def test_council_status_of_a_ward_with_a_council_lists_its_months_in_wareki(
    report_year, city_staff
):
    _header, rows = by_label(table("councils", city_staff))

    assert rows["北区"] == [
        "北区",
        "平成29年度",
        "平成29年11月",
        "既設",
        "支援ネットワーク会議",
        "令和6年6月、令和7年1月～2月",
        3,
        1,
        2,
        5,
    ]


def test_council_status_of_a_ward_without_a_tier1_council_says_so(report_year, city_staff):
    _header, rows = by_label(table("councils", city_staff))

    assert rows["港区"] == ["港区", "-", "未設置", "-", "-", "-", 0, 1, 1, 1]


def test_council_status_totals(report_year, city_staff):
    _header, rows = by_label(table("councils", city_staff))

    assert rows["合計"] == ["合計", "", "", "既設 1", "", "", 3, 2, 3, 6]


def test_council_status_for_one_ward_has_that_row_and_its_total(report_year, city_staff, kita1):
    _header, rows = by_label(table("councils", city_staff, area=kita1))

    assert list(rows) == ["北区", "合計"]
    assert rows["合計"][-4:] == [3, 1, 2, 5]


# 地域資源の創出数 ----------------------------------------------------------------


def creation_rows(rows):
    """{(区名, 区分): row} with the merged 区名 carried down."""
    header, *body = rows
    result, ward = {}, ""
    for row in body:
        ward = row[0] or ward
        result[(ward, row[1])] = row
    return header, result


def test_creation_has_categories_then_subtotal_total_and_target(report_year, city_staff):
    header, _rows = creation_rows(table("creation", city_staff))

    assert header == ["区名", "区分", *CATEGORIES, "小計", "合計", "目標"]


def test_creation_counts_each_resource_once_under_its_first_category(report_year, city_staff):
    _header, rows = creation_rows(table("creation", city_staff))

    # 梅田いきいき百歳体操 is 運動 and 交流: it counts under 運動. 中津買い物ツアー
    # started on the last day of the year.
    assert rows[("北区", "新規立ち上げ")] == [
        "北区",
        "新規立ち上げ",
        0,
        0,
        0,
        1,
        0,
        0,
        1,
        0,
        0,
        0,
        2,
        4,
        10,
    ]
    # 扇町お助け隊 has no category: その他.
    assert rows[("北区", "既存資源の拡充")] == [
        "",
        "既存資源の拡充",
        0,
        0,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        1,
        2,
        "",
        "",
    ]
    assert rows[("港区", "新規立ち上げ")] == [
        "港区",
        "新規立ち上げ",
        0,
        0,
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        1,
        1,
        10,
    ]
    assert rows[("港区", "既存資源の拡充")] == ["", "既存資源の拡充", *[0] * 10, 0, "", ""]


def test_creation_totals(report_year, city_staff):
    _header, rows = creation_rows(table("creation", city_staff))

    assert rows[("合計", "")] == ["合計", "", 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 5, 5, 20]


def test_creation_target_comes_from_the_setting(report_year, city_staff, settings):
    settings.CREATION_TARGET_PER_AREA = 12

    _header, rows = creation_rows(table("creation", city_staff))

    assert rows[("北区", "新規立ち上げ")][-1] == 12
    assert rows[("合計", "")][-1] == 24


def test_creation_of_a_tier2_area_counts_only_its_resources(report_year, city_staff, kita2):
    _header, rows = creation_rows(table("creation", city_staff, area=kita2))

    assert rows[("北区 第2圏域", "既存資源の拡充")][2:13] == [0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 2]
    assert rows[("合計", "")][-3:] == [2, 2, ""]


# 月別 (seed 002) ----------------------------------------------------------------------


def test_monthly_has_the_seed_002_rows_april_to_march_and_totals(report_year, city_staff):
    header, rows = by_label(table("monthly", city_staff))

    assert header == [
        "項目",
        "4月",
        "5月",
        "6月",
        "7月",
        "8月",
        "9月",
        "10月",
        "11月",
        "12月",
        "1月",
        "2月",
        "3月",
        "合計",
    ]
    assert list(rows) == [
        "協議体（第1層）（回）",
        "協議体（第2層）（回）",
        "生活支援コーディネーター会議（回）",
        "訪問延件数（件）",
        "相談延件数（件）",
        "ワークショップ等（回）",
        "シンポジウム（回）",
        "合計",
    ]


def test_monthly_counts_every_cell(report_year, city_staff):
    _header, rows = by_label(table("monthly", city_staff))

    assert rows["協議体（第1層）（回）"][1:] == [*months((6, 1), (1, 1), (2, 1)), 3]
    assert rows["協議体（第2層）（回）"][1:] == [*months((7, 2), (11, 1)), 3]
    assert rows["生活支援コーディネーター会議（回）"][1:] == [*months((3, 1)), 1]
    assert rows["訪問延件数（件）"][1:] == [*months((4, 5), (6, 5)), 10]
    assert rows["相談延件数（件）"][1:] == [*months((5, 1), (6, 4)), 5]
    assert rows["ワークショップ等（回）"][1:] == [*months((12, 1)), 1]
    assert rows["シンポジウム（回）"][1:] == [*months((1, 1)), 1]
    assert rows["合計"][1:] == [
        *months((4, 5), (5, 1), (6, 10), (7, 2), (11, 1), (12, 1), (1, 2), (2, 1), (3, 1)),
        24,
    ]


def test_monthly_of_a_ward_counts_its_tier2_areas_too(report_year, city_staff, kita):
    _header, rows = by_label(table("monthly", city_staff, area=kita))

    assert rows["協議体（第2層）（回）"][1:] == [*months((7, 1), (11, 1)), 2]
    assert rows["訪問延件数（件）"][1:] == [*months((4, 5)), 5]
    assert rows["相談延件数（件）"][1:] == [*months((5, 1)), 1]


def test_monthly_of_a_tier2_area_counts_only_that_area(report_year, city_staff, minato1):
    _header, rows = by_label(table("monthly", city_staff, area=minato1))

    assert rows["訪問延件数（件）"][-1] == 5
    assert rows["相談延件数（件）"][-1] == 0  # 港区 itself, not 第1圏域
    assert rows["協議体（第2層）（回）"][-1] == 1


# 機能 × 所属 (seed 004) ----------------------------------------------------------------


def test_functions_has_a_column_per_function_and_a_total(report_year, city_staff):
    header, rows = by_label(table("functions", city_staff))

    assert header == ["所属", *FUNCTIONS, "合計"]
    assert list(rows) == [
        "北区第1地域包括支援センター",
        "北区第2地域包括支援センター",
        "北区社会福祉協議会",
        "港区社会福祉協議会",
        "合計",
    ]


def test_functions_counts_every_cell(report_year, city_staff):
    _header, rows = by_label(table("functions", city_staff))

    assert rows["北区第1地域包括支援センター"][1:] == [2, 5, 0, 2, 1, 1, 0, 0, 0, 11]
    assert rows["北区第2地域包括支援センター"][1:] == [1, 0, 0, 0, 1, 0, 0, 0, 0, 2]
    assert rows["北区社会福祉協議会"][1:] == [0, 0, 0, 0, 1, 0, 1, 1, 0, 3]
    assert rows["港区社会福祉協議会"][1:] == [0, 5, 5, 0, 0, 0, 0, 0, 4, 14]
    assert rows["合計"][1:] == [3, 10, 5, 2, 3, 1, 1, 1, 4, 30]


def test_functions_of_a_ward_lists_only_its_affiliations(report_year, city_staff, kita):
    _header, rows = by_label(table("functions", city_staff, area=kita))

    assert list(rows) == [
        "北区第1地域包括支援センター",
        "北区第2地域包括支援センター",
        "北区社会福祉協議会",
        "合計",
    ]
    assert rows["合計"][1:] == [3, 5, 0, 2, 3, 1, 1, 1, 0, 16]


def test_council_meetings_per_tier(report_year, city_staff):
    _header, rows = by_label(table("functions", city_staff, index=1))

    assert rows == {
        "第1層の協議体": ["第1層の協議体", 3],
        "第2層の協議体": ["第2層の協議体", 3],
        "合計": ["合計", 6],
    }


def test_an_affiliation_without_records_still_has_its_row(report_year, city_staff, affiliations):
    from coordinators.models import Activity

    Activity.objects.filter(affiliation=affiliations["kita2"]).delete()

    _header, rows = by_label(table("functions", city_staff))

    assert rows["北区第2地域包括支援センター"][1:] == [0] * 10


# 主な事例 -------------------------------------------------------------------------------


def test_case_examples_show_what_was_heard_from_whom_and_the_response(report_year, city_staff):
    header, *rows = table("cases", city_staff)

    assert header == ["種別", "聴き取った内容と発言元", "対応", "日付", "区域"]
    assert rows == [
        [
            "訪問",
            "「集まる場所がほしい」 【町会長から】",
            "囲碁の会の立ち上げを支援した",
            "2024-06-30",
            "港区 第1圏域",
        ],
        [
            "相談",
            "「買い物できる店を知りたい」 【サロン参加者から】",
            "地域情報マップを案内した",
            "2024-05-01",
            "北区 第1圏域",
        ],
    ]


def test_case_examples_follow_the_readers_access(report_year, kita1_coordinator):
    _header, *rows = table("cases", kita1_coordinator)

    assert [row[2] for row in rows] == ["地域情報マップを案内した"]


def test_reports_of_a_year_without_records_are_zero(report_year, city_staff):
    report = build_report("monthly", fiscal_year=2010, area=None, fetched_by=city_staff)

    assert report.tables[0].csv_rows()[-1] == ["合計", *[0] * 13]


def test_a_tier1_area_report_is_labelled_with_the_area(report_year, city_staff):
    kita = Area.objects.get(code="27127")

    report = build_report("monthly", fiscal_year=FY, area=kita, fetched_by=city_staff)

    assert report.heading == "令和6年度 会議、訪問・相談件数等（月別）（北区）"
