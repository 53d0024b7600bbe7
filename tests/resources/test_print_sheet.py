"""GET /resources/<id>/sheet.pdf: one A4 page about one resource, for a resident."""

from __future__ import annotations

from datetime import date, time

import pytest

from resources.services import resource_update
from tests.conftest import add_schedule, make_resource
from tests.resources.test_print_pdf import (
    assert_japanese_font_embedded,
    colour_pixels,
    ink_ratio,
    page_size_mm,
    pdf_pages_text,
    pdf_reader,
    raster,
)


@pytest.fixture
def salon(public_salon):
    resource_update(
        resource=public_salon,
        description="どなたでも参加できるサロンです。お茶を飲みながらおしゃべりしましょう。",
        venue="梅田会館 2階",
        address="大阪市北区梅田1丁目3-1",
        access="地下鉄梅田駅から徒歩5分",
        fee_amount=100,
        fee_note="お茶代",
        contact_name="梅田地域活動協議会",
        contact_phone="06-0000-2222",
        verified_on=date(2025, 9, 11),
    )
    add_schedule(
        resource=public_salon,
        kind="monthly_nth",
        weekdays="WE",
        weeks_of_month="1,3",
        opens_at=time(13, 30),
        closes_at=time(15),
    )
    return public_salon


def get(client, pk: int, query: str = ""):
    response = client.get(f"/resources/{pk}/sheet.pdf" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_sheet_is_one_a4_page_with_what_a_resident_needs(client, salon, exercise):
    content = get(client, salon.pk)
    assert len(pdf_reader(content).pages) == 1
    assert page_size_mm(content) == pytest.approx((210, 297), abs=1)
    text = pdf_pages_text(content)[0]
    for expected in (
        "梅田ふれあいサロン",
        "第1・3水曜 13:30〜15:00",
        "100円 お茶代",
        "梅田会館 2階",
        "地下鉄梅田駅から徒歩5分",
        "梅田地域活動協議会",
        "06-0000-2222",
        "2025年9月に確認",  # the month of the check (verified 2025-09-11)
        "どなたでも参加できるサロンです",
    ):
        assert expected in text.replace("\n", ""), expected
    assert_japanese_font_embedded(content)
    pixels = raster(content, scale=1)
    assert ink_ratio(pixels) > 0.02
    assert colour_pixels(pixels, exercise.color) > 50  # the place on the small map


def test_a_resource_without_coordinates_gets_no_map(client, kita1):
    resource = make_resource(name="電話でおしゃべり会", area=kita1)
    text = pdf_pages_text(get(client, resource.pk))[0]
    assert "地図に表示なし" in text
    assert "情報の確認日: 未確認" in text


def test_anonymous_sheets_have_no_staff_fields(client, salon):
    text = pdf_pages_text(get(client, salon.pk, "staff=1"))[0]
    for secret in ("山田 花子", "090-1111-2222", "鍵は管理人室", "関係者限定"):
        assert secret not in text


def test_staff_only_resources_are_404_for_anonymous(client, staff_only_cafe):
    assert client.get(f"/resources/{staff_only_cafe.pk}/sheet.pdf").status_code == 404
    assert client.get("/resources/999999/sheet.pdf").status_code == 404


def test_a_care_manager_gets_staff_fields_on_request_marked(client, care_manager, salon):
    client.force_login(care_manager)
    plain = pdf_pages_text(get(client, salon.pk))[0]
    assert "山田 花子" not in plain and "関係者限定" not in plain
    text = pdf_pages_text(get(client, salon.pk, "staff=1"))[0]
    assert "山田 花子" in text and "090-1111-2222" in text
    assert "鍵は管理人室" not in text and "内部メモ" not in text  # 担当 only
    assert "関係者限定" in text


def test_a_staff_only_resource_sheet_is_marked(client, care_manager, staff_only_cafe):
    client.force_login(care_manager)
    text = pdf_pages_text(get(client, staff_only_cafe.pk))[0]
    assert "非公開の準備中カフェ" in text and "関係者限定" in text
    # and a handout for residents (public=1) cannot be made of it
    response = client.get(f"/resources/{staff_only_cafe.pk}/sheet.pdf?public=1")
    assert response.status_code == 404


def test_the_detail_page_links_to_the_sheet(client, salon):
    response = client.get(f"/resources/{salon.pk}/")
    assert f'href="/resources/{salon.pk}/sheet.pdf"' in response.content.decode()
    assert "この資源の案内を印刷（PDF）" in response.content.decode()
