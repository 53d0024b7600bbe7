"""The analysis pages of the hand-built city: who sees which areas, sorting
without JavaScript, the CSV contract, the XLSX, the map, the profile, the
participants form and the meeting pack's PDF text."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from analysis.models import Participation
from tests.analysis.conftest import FY
from tests.resources.test_print_pdf import pdf_text

pytestmark = pytest.mark.django_db


def _csv(client, tier=2):
    response = client.get(f"/staff/analysis/areas.csv?tier={tier}&fy={FY}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_keeps_its_contract_with_hand_counted_values(client, city_staff, small_city):
    client.force_login(city_staff)

    rows = _csv(client)

    header = list(rows[0].keys())
    assert header[0] == "区域コード"
    for column in (
        "区域",
        "人口",
        "65歳以上人口",
        "活動中の資源数",
        "65歳以上千人あたり",
        "徒歩圏カバー率_500m",
        "徒歩圏カバー率_1km",
        "創出数",
        "0件の検索数",
    ):
        assert column in header
    by_code = {r["区域コード"]: r for r in rows}
    assert list(by_code) == ["27107-1", "27127-1", "27127-2", "合計"]
    kita2 = by_code["27127-2"]
    assert (kita2["人口"], kita2["65歳以上人口"], kita2["活動中の資源数"]) == ("2450", "650", "3")
    assert (kita2["65歳以上千人あたり"], kita2["徒歩圏カバー率_500m"]) == ("4.6", "84.6")
    assert kita2["徒歩圏カバー率_1km"] == "100.0"
    assert (by_code["27127-1"]["創出数"], by_code["27127-1"]["0件の検索数"]) == ("1", "4")
    total = by_code["合計"]
    assert (total["人口"], total["65歳以上人口"], total["徒歩圏カバー率_500m"]) == (
        "7130",
        "1650",
        "46.7",
    )
    assert total["種別:通いの場・サロン"] == "4"  # P1, P7, P8, P9


def test_tier1_csv_and_the_target(client, city_staff, small_city):
    client.force_login(city_staff)

    rows = {r["区域コード"]: r for r in _csv(client, tier=1)}

    assert rows["27127"]["徒歩圏カバー率_1km"] == "82.6"
    assert rows["27127"]["目標"] == "10"
    assert rows["合計"]["目標"] == "20"


def test_a_coordinator_reads_the_areas_they_serve(
    client, kita1_coordinator, kita_coordinator, small_city
):
    client.force_login(kita1_coordinator)
    assert [r["区域コード"] for r in _csv(client)] == ["27127-1", "合計"]
    assert client.get(f"/staff/analysis/areas/27107-1/?fy={FY}").status_code == 404
    assert client.get(f"/areas/27107-1/profile.pdf?fy={FY}").status_code == 404

    client.force_login(kita_coordinator)
    assert [r["区域コード"] for r in _csv(client)] == ["27127-1", "27127-2", "合計"]
    assert [r["区域コード"] for r in _csv(client, tier=1)] == ["27127", "合計"]


@pytest.mark.parametrize(
    "url",
    [
        "/staff/analysis/",
        "/staff/analysis/areas.csv?tier=2",
        "/staff/analysis/map/",
        "/staff/analysis/areas/27127-1/",
        "/staff/analysis/participants/",
        "/areas/27127-1/profile.pdf",
    ],
)
def test_nobody_else_gets_anything(client, care_manager, small_city, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(care_manager)
    assert client.get(url).status_code == 404


def test_the_page_sorts_by_any_column_with_links(client, city_staff, small_city):
    client.force_login(city_staff)

    page = client.get(f"/staff/analysis/?fy={FY}&tier=2&sort=coverage_near&dir=desc")

    text = page.content.decode()
    assert page.status_code == 200
    order = [text.index(name) for name in ("北区 第2圏域", "港区 第1圏域", "北区 第1圏域")]
    assert order == sorted(order)
    assert 'aria-sort="descending"' in text
    assert f"?fy={FY}&amp;tier=2&amp;sort=coverage_near&amp;dir=asc" in text
    assert f'href="/staff/analysis/areas/27127-2/?fy={FY}"' in text
    # The city-wide cross-check of the 65歳以上 figures: the MHLW 年報 for 大阪市.
    assert "町丁の計 1,650 人" in text and "第1号被保険者数 674,761 人" in text
    # Every definition is on the page.
    assert "65歳以上人口 ÷ 人口 × 100" in text
    assert "徒歩80m/分で約7分" in text


def test_blanks_sort_last_both_ways(client, city_staff, small_city):
    client.force_login(city_staff)

    for direction in ("asc", "desc"):
        text = client.get(
            f"/staff/analysis/?fy={FY}&sort=participation&dir={direction}"
        ).content.decode()
        assert text.index("港区 第1圏域") > text.index("北区 第1圏域")


def test_the_xlsx_holds_numbers(client, city_staff, small_city):
    client.force_login(city_staff)

    response = client.get(f"/staff/analysis/areas.xlsx?tier=2&fy={FY}")

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[3]]
    kita2 = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] == "27127-2")
    assert kita2[header.index("徒歩圏カバー率_500m")] == 84.6
    assert kita2[header.index("65歳以上人口")] == 650


def test_the_map_shades_areas_and_marks_uncovered_towns(client, city_staff, small_city):
    client.force_login(city_staff)

    page = client.get(f"/staff/analysis/map/?fy={FY}&tier=2&measure=coverage_near")

    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="analysis-map-data"' in text
    assert "js/analysis_map.js" in text
    assert "<svg" in text and "1km以内に通いの場がない町丁" in text
    assert 'class="swatch swatch--' in text and 'style="background' not in text
    data = page.context["map_data"]
    assert {f["properties"]["label"] for f in data["features"]} == {
        "北区 第1圏域",
        "北区 第2圏域",
        "港区 第1圏域",
    }
    # Beyond 500 m: P2 (800 m), P3, P4, P6 (950 m), P10, P11, P12.
    assert sorted(u[3] for u in data["uncovered"]) == sorted(
        ["P2", "P3", "P4", "P6", "P10", "P11", "P12"]
    )


def test_the_profile_and_its_free_text(client, city_staff, kita1_coordinator, small_city):
    client.force_login(city_staff)

    text = client.get(f"/staff/analysis/areas/27127-1/?fy={FY}").content.decode()

    assert "坂の上の町に通いの場がない" in text  # open 地域課題
    assert "ゴミ出しの支援" not in text  # 対応済
    assert "将棋（3）" in text and "麻雀（1）" in text
    assert "買い物（1）" in text
    assert "P1の資源" in text and "関係者限定" in text
    assert "<svg" in text


def test_coordinators_record_participants_of_their_own_resources(
    client, kita1_coordinator, small_city
):
    client.force_login(kita1_coordinator)
    page = client.get(f"/staff/analysis/participants/?fy={FY}")
    resources = small_city["resources"]
    names = [r.name for r, _f in page.context["form"].rows()]
    assert names == ["P1の資源", "P2の資源", "P4の資源"]  # 通いの場 of 北区 第1圏域

    response = client.post(
        f"/staff/analysis/participants/?fy={FY}&area=27127-1",
        {
            f"r{resources['P1'].pk}": "31",
            f"r{resources['P2'].pk}": "12",
            f"r{resources['P4'].pk}": "",
        },
    )

    assert response.status_code == 302
    assert dict(
        Participation.objects.filter(fiscal_year=FY).values_list("resource__name", "participants")
    ) == {"P1の資源": 31, "P2の資源": 12, "P5の資源": 65}
    bad = client.post(f"/staff/analysis/participants/?fy={FY}", {f"r{resources['P1'].pk}": "-3"})
    assert "人数は0以上の整数で入力してください。" in bad.content.decode()


@pytest.mark.slow
def test_the_meeting_pack_holds_the_figures_of_the_table(client, city_staff, small_city):
    client.force_login(city_staff)
    row = {r["区域コード"]: r for r in _csv(client)}["27127-2"]

    response = client.get(f"/areas/27127-2/profile.pdf?fy={FY}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content).replace(" ", "")
    assert "北区第2圏域の地域分析" in text
    for column in (
        "人口",
        "65歳以上人口",
        "徒歩圏カバー率_500m",
        "徒歩圏カバー率_1km",
        "65歳以上千人あたり",
    ):
        assert row[column] in text, column
    assert "P5の資源" in text and "P6の資源" in text
    assert "該当する資源なし（2）" in text
