"""The profile's smaller tables as CSV (/staff/analysis/areas/<code>/<table>.csv),
with the hand-built city's values (tests/analysis/conftest.py)."""

from __future__ import annotations

import csv
import io

import pytest

from resources.models import Category
from tests.analysis.conftest import FY

pytestmark = pytest.mark.django_db

KITA1 = "27127-1"


def _rows(client, table, code=KITA1):
    response = client.get(f"/staff/analysis/areas/{code}/{table}.csv?fy={FY}")
    assert response.status_code == 200, table
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    assert f"profile_{code}_{FY}_{table}.csv" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_small_table_of_the_profile_downloads(client, city_staff, small_city):
    client.force_login(city_staff)

    assert _rows(client, "types") == [
        ["種別", "活動中の資源数"],
        ["通いの場・サロン", "1"],  # P1
        ["体操教室", "1"],  # P2
        ["介護保険事業所", "1"],  # P3 (P4's salon is paused)
    ]
    assert _rows(client, "categories") == [["カテゴリ", "活動中の資源数"], ["交流", "1"]]
    assert _rows(client, "trend") == [
        ["年度", "創出数"],
        ["令和3年度", "0"],
        ["令和4年度", "0"],
        ["令和5年度", "0"],
        ["令和6年度", "0"],
        ["令和7年度", "1"],  # P2, 新規立ち上げ 2025-06-01
    ]
    assert _rows(client, "unmet") == [["検索語", "回数"], ["将棋", "3"], ["麻雀", "1"]]
    assert _rows(client, "needs") == [
        ["ニーズ", "件数"],
        ["買い物", "1"],
        ["該当する資源なし", "0"],
    ]
    uncovered = _rows(client, "uncovered")
    assert uncovered[0] == ["町丁", "最寄りの通いの場まで_m", "65歳以上人口"]
    assert uncovered[1] == ["P2", "800", "200"]
    assert [(r[0], r[2]) for r in uncovered[2:]] == [("P4", "150"), ("P3", "50")]


def test_the_measures_table_holds_the_area_and_the_city(client, city_staff, small_city):
    client.force_login(city_staff)

    rows = {r[0]: r[1:] for r in _rows(client, "measures")}

    assert rows["指標"] == ["この区域", "市全体", "単位"]
    # 65歳以上: 500 here; the city's 1,650 over its three 圏域 is 550.0 per area.
    assert rows["65歳以上人口"] == ["500", "550.0", "人"]
    assert rows["徒歩圏カバー率 500m（徒歩7分）"] == ["20.0", "46.7", "%"]
    assert rows["徒歩圏カバー率 1km（徒歩13分）"] == ["60.0", "64.8", "%"]


def test_the_needs_of_another_area_and_a_name_that_looks_like_a_formula(
    client, city_staff, areas, small_city
):
    Category.objects.filter(code="social").update(name="=HYPERLINK(1)")
    client.force_login(city_staff)

    assert _rows(client, "needs", "27127-2") == [
        ["ニーズ", "件数"],
        ["買い物", "1"],
        ["外出", "1"],
        ["該当する資源なし", "2"],
    ]
    # Written by the one formula-safe writer (portal/spreadsheets.py).
    assert _rows(client, "categories")[1] == ["'=HYPERLINK(1)", "1"]


def test_the_profile_links_each_table_and_nobody_else_reads_them(
    client, city_staff, care_manager, kita1_coordinator, small_city
):
    client.force_login(city_staff)
    text = client.get(f"/staff/analysis/areas/{KITA1}/?fy={FY}").content.decode()
    for table in ("measures", "types", "categories", "trend", "unmet", "needs", "uncovered"):
        assert f'href="/staff/analysis/areas/{KITA1}/{table}.csv?fy={FY}"' in text, table
    assert client.get(f"/staff/analysis/areas/{KITA1}/nosuch.csv").status_code == 404

    client.force_login(kita1_coordinator)
    assert client.get(f"/staff/analysis/areas/{KITA1}/types.csv?fy={FY}").status_code == 200
    assert client.get(f"/staff/analysis/areas/27107-1/types.csv?fy={FY}").status_code == 404
    client.force_login(care_manager)
    assert client.get(f"/staff/analysis/areas/{KITA1}/types.csv?fy={FY}").status_code == 404


def test_a_small_table_downloads_as_xlsx_with_the_same_cells(client, city_staff, small_city):
    from openpyxl import load_workbook

    client.force_login(city_staff)

    response = client.get(f"/staff/analysis/areas/{KITA1}/types.xlsx?fy={FY}")

    assert response.status_code == 200
    assert f"profile_{KITA1}_{FY}_types.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["種別", "活動中の資源数"],
        ["通いの場・サロン", 1],
        ["体操教室", 1],
        ["介護保険事業所", 1],
    ]
    profile = client.get(f"/staff/analysis/areas/{KITA1}/?fy={FY}").content.decode()
    assert f'href="/staff/analysis/areas/{KITA1}/types.xlsx?fy={FY}"' in profile


def test_the_measures_xlsx_holds_numbers_not_text(client, city_staff, small_city):
    from openpyxl import load_workbook

    client.force_login(city_staff)

    response = client.get(f"/staff/analysis/areas/{KITA1}/measures.xlsx?fy={FY}")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}
    assert rows["65歳以上人口"] == (500, 550.0, "人")
    assert rows["徒歩圏カバー率 500m（徒歩7分）"] == (20.0, 46.7, "%")
