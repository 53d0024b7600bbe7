"""GET /areas/<code>/map.pdf: the area's map with numbered markers, then the list."""

from __future__ import annotations

import pytest

from portal.municipality import city
from resources.models import Category, Resource
from resources.search import reference_lists
from resources.svgmap import NEIGHBOUR_FILL
from tests.conftest import make_resource
from tests.resources.test_print_pdf import (
    assert_in_order,
    assert_japanese_font_embedded,
    colour_pixels,
    ink_ratio,
    page_size_mm,
    pdf_pages_text,
    pdf_text,
    raster,
)


@pytest.fixture
def kita_map(areas, exercise, public_salon, staff_only_cafe, minato_salon):
    """北区: resources of two categories, one without coordinates, one staff-only."""
    shopping = Category.objects.get(code="shopping")
    make_resource(
        name="買い物支援 あおぞら号",
        kana="かいものしえん あおぞらごう",
        resource_type=Resource.Type.LIFE_SUPPORT,
        area=areas["kita2"],
        lat=34.72,
        lng=135.515,
        categories=[shopping],
    )
    make_resource(
        name="電話でおしゃべり会",
        kana="でんわでおしゃべりかい",
        area=areas["kita1"],
        categories=[exercise],
    )
    # Several at the same place: the markers must fan out, not pile up.
    for n in range(5):
        make_resource(
            name=f"囲碁の会 その{n + 1}",
            kana=f"いごのかい その{n + 1}",
            lat=34.705,
            lng=135.495,
            area=areas["kita1"],
            categories=[exercise],
        )
    return areas


def get(client, code: str, query: str = ""):
    response = client.get(f"/areas/{code}/map.pdf" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_map_page_is_a4_landscape_with_coloured_numbered_markers(client, kita_map, exercise):
    content = get(client, "27127")
    width, height = page_size_mm(content, 0)
    assert (round(width), round(height)) == (297, 210)
    assert page_size_mm(content, 1) == pytest.approx((210, 297), abs=1)  # the list
    pixels = raster(content, 0, scale=1)
    assert ink_ratio(pixels) > 0.03
    assert colour_pixels(pixels, exercise.color) > 300  # 運動's markers
    assert colour_pixels(pixels, Category.objects.get(code="shopping").color) > 40
    assert colour_pixels(pixels, NEIGHBOUR_FILL, tolerance=4) > 100  # 港区, in grey
    assert_japanese_font_embedded(content)


def test_a3_on_request(client, kita_map):
    content = get(client, "27127", "paper=a3")
    width, height = page_size_mm(content, 0)
    assert (round(width), round(height)) == (420, 297)


def test_the_list_after_the_map_uses_the_marker_numbers(client, kita_map):
    pages = pdf_pages_text(get(client, "27127"))
    map_page, list_text = pages[0], "\n".join(pages[1:])
    assert "北区 地域資源マップ" in map_page
    assert "凡例" in map_page and "運動" in map_page and "買い物" in map_page
    assert "第1圏域" in map_page  # the tier-2 parts are named
    expected = [
        "囲碁の会 その1",
        "囲碁の会 その2",
        "囲碁の会 その3",
        "囲碁の会 その4",
        "囲碁の会 その5",
        "梅田ふれあいサロン",
        "買い物支援 あおぞら号",
        "電話でおしゃべり会",
    ]
    assert_in_order(list_text, expected)
    flat = list_text.replace("\n", " ")
    for number, name in enumerate(expected, start=1):
        assert f"{number} {name}" in flat
    # The map shows the same numbers (markers are text in the SVG).
    for number in range(1, 8):
        assert str(number) in map_page


def test_a_resource_without_coordinates_is_listed_and_marked(client, kita_map):
    pages = pdf_pages_text(get(client, "27127"))
    assert "地図に表示なし 1件" in pages[0]
    list_text = "\n".join(pages[1:]).replace("\n", " ")
    assert "電話でおしゃべり会 地図に表示なし" in list_text


def test_the_map_takes_the_search_filters(client, kita_map):
    pages = pdf_pages_text(get(client, "27127", "category=shopping"))
    text = "\n".join(pages)
    assert "買い物支援 あおぞら号" in text
    assert "囲碁の会" not in text and "梅田ふれあいサロン" not in text
    assert "買い物" in pages[0]


def test_a_tier_2_area_has_its_own_map(client, kita_map):
    text = pdf_text(get(client, "27127-2"))
    assert "北区 第2圏域 地域資源マップ" in text
    assert "買い物支援 あおぞら号" in text
    assert "梅田ふれあいサロン" not in text


def test_an_unknown_area_is_404(client, kita_map):
    assert client.get("/areas/99999/map.pdf").status_code == 404


def test_an_area_with_no_resources_still_gets_its_map(client, kita_map):
    text = pdf_text(get(client, "27127", "q=存在しないことば"))
    assert "この区域には条件に合う地域資源がありません" in text
    assert "条件に合う地域資源はありませんでした" in text


def test_too_many_rows_point_to_the_booklet(client, kita_map, settings):
    settings.PRINT_MAX_ROWS = 3
    pages = pdf_pages_text(get(client, "27127"))
    assert len(pages) == 1
    assert "print_booklet" in pages[0]


def test_anonymous_maps_hold_no_staff_only_resource_or_field(client, kita_map):
    text = pdf_text(get(client, "27127", "staff=1"))
    for secret in ("非公開の準備中カフェ", "佐藤 次郎", "山田 花子", "090-1111-2222", "関係者限定"):
        assert secret not in text


def test_a_staff_map_marks_every_page(client, city_staff, kita_map):
    client.force_login(city_staff)
    pages = pdf_pages_text(get(client, "27127", "staff=1"))
    assert "非公開の準備中カフェ" in "\n".join(pages)
    assert "山田 花子" in "\n".join(pages)
    assert all("関係者限定" in page for page in pages)


def test_the_map_reads_the_database_a_fixed_number_of_times(
    client, kita_map, django_assert_num_queries
):
    reference_lists()  # the search's reference lists come from the cache
    city()  # and the city's settings
    # data version, area, area outlines, rows, categories, schedules, notices.
    with django_assert_num_queries(7):
        client.get("/areas/27127/map.pdf")
