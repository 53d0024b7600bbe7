"""GET /resources/print.pdf: the numbered list of a search, as a PDF."""

from __future__ import annotations

from datetime import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.urls import reverse

from portal.municipality import city
from portal.wareki import format_both
from resources.models import Category, Resource
from resources.printing import list_document
from resources.search import SearchFilters, reference_lists, resource_search
from tests.conftest import add_schedule, make_resource
from tests.resources.test_print_pdf import (
    assert_in_order,
    assert_japanese_font_embedded,
    ink_ratio,
    pdf_pages_text,
    pdf_text,
    raster,
)

URL = "/resources/print.pdf"


@pytest.fixture
def kita_list(areas, exercise, public_salon, staff_only_cafe):
    """北区 with a few public resources of two categories, and one staff-only."""
    social = Category.objects.get(code="social")
    taiso = make_resource(
        name="いきいき百歳体操 梅田会場",
        kana="いきいきひゃくさいたいそう うめだかいじょう",
        resource_type=Resource.Type.EXERCISE,
        area=areas["kita2"],
        lat=34.72,
        lng=135.51,
        fee_free=True,
        categories=[exercise],
        venue="梅田会館",
        address="大阪市北区梅田1丁目3-1",
        contact_name="北区社会福祉協議会",
        contact_phone="06-0000-1111",
    )
    add_schedule(
        resource=taiso, kind="weekly", weekdays="TU", opens_at=time(10), closes_at=time(11, 30)
    )
    make_resource(
        name="髙橋さんちの①番サロン～",
        kana="たかはしさんちのいちばんさろん",
        lat=34.695,
        lng=135.485,
        fee_amount=100,
        categories=[social],
    )
    return areas


def get(client, query: str = ""):
    response = client.get(URL + (f"?{query}" if query else ""))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response


def search_names(user, query: str) -> list[str]:
    filters = SearchFilters.from_query(QueryDict(query))
    return list(resource_search(fetched_by=user, filters=filters).values_list("name", flat=True))


def test_the_list_is_numbered_in_the_order_of_the_search(client, kita_list):
    response = get(client, "area=27127")
    text = pdf_text(response.content)
    names = search_names(AnonymousUser(), "area=27127")
    assert names == [  # 五十音順: いきいき, うめだ, たかはし
        "いきいき百歳体操 梅田会場",
        "梅田ふれあいサロン",
        "髙橋さんちの①番サロン～",
    ]
    assert_in_order(text, names)
    for number, name in enumerate(names, start=1):
        assert f"{number} {name}" in text.replace("\n", " ")
    assert "毎週火曜" in text and "10:00〜11:30" in text
    assert "梅田会館" in text and "06-0000-1111" in text and "無料" in text and "100円" in text


def test_the_title_is_the_search_in_words_with_the_print_date_in_both_calendars(client, kita_list):
    text = pdf_text(get(client, "area=27127&category=exercise&weekday=TU").content)
    assert "北区・運動・火曜" in text
    from django.utils import timezone

    assert format_both(timezone.localdate()) in text  # 令和8年（2026年）11月22日
    assert "1件" in text


def test_the_font_is_embedded_and_the_page_is_not_blank(client, kita_list):
    content = get(client, "area=27127").content
    assert_japanese_font_embedded(content)
    assert ink_ratio(raster(content)) > 0.01


def test_the_footer_names_the_city_and_the_data_credits(client, kita_list, settings):
    settings.CITY_NAME = "大阪市"
    text = pdf_text(get(client, "area=27127").content)
    assert "大阪市 生活支援体制整備事業" in text
    assert "国土数値情報" in text and "e-Stat" in text
    assert "1 / 1" in text


def test_long_lists_repeat_the_header_and_number_the_pages(client, kita1, exercise):
    for n in range(40):
        make_resource(name=f"体操の会 第{n + 1:02d}", kana=f"たいそうのかい {n:02d}", area=kita1)
    content = get(client, "area=27127-1").content
    pages = pdf_pages_text(content)
    assert len(pages) >= 2
    for index, page in enumerate(pages, start=1):
        assert f"{index} / {len(pages)}" in page
        assert "問い合わせ" in page and "どこで" in page  # the table header, on every page
    # No row split across pages: every name appears whole on exactly one page.
    for n in range(40):
        assert sum(f"体操の会 第{n + 1:02d}" in page for page in pages) == 1


def test_the_list_groups_by_category_on_request(client, kita_list):
    text = pdf_text(get(client, "area=27127&group=category").content)
    assert "カテゴリごと" in text
    assert_in_order(
        text,
        [
            "運動",
            "いきいき百歳体操 梅田会場",
            "梅田ふれあいサロン",
            "交流",
            "髙橋さんちの①番サロン～",
        ],
    )


def test_the_list_groups_by_area_on_request(client, kita_list):
    text = pdf_text(get(client, "area=27127&group=area").content)
    assert_in_order(
        text,
        [
            "北区 第1圏域",
            "梅田ふれあいサロン",
            "髙橋さんちの①番サロン～",
            "北区 第2圏域",
            "いきいき百歳体操",
        ],
    )


def test_large_print_keeps_every_resource(client, kita_list):
    content = get(client, "area=27127&large=1").content
    text = pdf_text(content)
    for name in ("いきいき百歳体操 梅田会場", "髙橋さんちの①番サロン～", "梅田ふれあいサロン"):
        assert name in text
    assert "06-0000-1111" in text


def test_a_search_matching_nothing_gives_a_pdf_that_says_so(client, kita_list):
    text = pdf_text(get(client, "q=存在しないことば").content)
    assert "条件に合う地域資源はありませんでした" in text


def test_a_bad_filter_gives_a_pdf_with_the_message(client, kita_list):
    text = pdf_text(get(client, "area=nowhere").content)
    assert "区域「nowhere」は見つかりません" in text
    assert "梅田ふれあいサロン" not in text


def test_too_many_rows_give_a_one_page_pdf_pointing_to_the_booklet(client, kita_list, settings):
    settings.PRINT_MAX_ROWS = 2
    response = get(client, "")
    pages = pdf_pages_text(response.content)
    assert len(pages) == 1
    text = pages[0]
    assert "3件" in text and "2件" in text
    assert "print_booklet" in text and "/staff/booklet/" in text
    assert "梅田ふれあいサロン" not in text


def test_anonymous_lists_hold_no_staff_only_resource_or_field(client, kita_list):
    text = pdf_text(get(client, "area=27127&staff=1").content)
    assert "梅田ふれあいサロン" in text
    for secret in (
        "非公開の準備中カフェ",
        "佐藤 次郎",
        "山田 花子",
        "090-1111-2222",
        "鍵は管理人室",
    ):
        assert secret not in text
    assert "関係者限定" not in text


def test_a_care_manager_sees_staff_only_resources_marked_on_every_page(
    client, care_manager, kita_list
):
    client.force_login(care_manager)
    pages = pdf_pages_text(get(client, "area=27127").content)
    text = "\n".join(pages)
    assert "非公開の準備中カフェ" in text
    assert all("関係者限定" in page for page in pages)
    assert "山田 花子" not in text  # staff fields only on request


def test_staff_fields_are_printed_only_with_staff_1(client, city_staff, kita_list):
    client.force_login(city_staff)
    text = pdf_text(get(client, "area=27127&staff=1").content)
    assert "山田 花子" in text and "090-1111-2222" in text and "鍵は管理人室" in text
    assert "関係者限定" in text


def test_public_1_prints_what_residents_may_see(client, city_staff, kita_list):
    client.force_login(city_staff)
    text = pdf_text(get(client, "area=27127&public=1&staff=1").content)
    assert "梅田ふれあいサロン" in text
    assert "非公開の準備中カフェ" not in text and "山田 花子" not in text
    assert "関係者限定" not in text


def test_the_file_name_is_the_title(client, kita_list):
    response = get(client, "area=27127")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "%E5%8C%97%E5%8C%BA" in response["Content-Disposition"]  # 北区
    assert "private" in response["Cache-Control"]


def test_the_list_reads_the_database_a_fixed_number_of_times(
    client, kita_list, django_assert_num_queries
):
    reference_lists()  # the search's reference lists come from the cache
    city()  # and the city's settings
    # data version, area, rows, categories, schedules, notices: however many rows there are.
    with django_assert_num_queries(6):
        client.get(URL + "?area=27127")
    for n in range(10):
        make_resource(
            name=f"追加の会{n}", area=kita_list["kita1"], categories=[Category.objects.first()]
        )
    reference_lists()  # filled again after the change
    city()
    with django_assert_num_queries(6):
        client.get(URL + "?area=27127")


def test_the_builder_gives_the_html_that_the_view_renders(kita_list):
    document = list_document(user=AnonymousUser(), params=QueryDict("area=27127"))
    html = document.html()
    assert "<table" in html and "梅田ふれあいサロン" in html
    assert document.context["count"] == 3
    assert reverse("printing:list_pdf") == URL


@pytest.mark.parametrize("large", ["", "1"])
def test_a_notice_not_yet_over_is_printed_beside_its_resource(client, kita_list, large):
    import datetime as dt

    from django.utils import timezone

    from resources.models import ScheduleException

    salon = Resource.objects.get(name="梅田ふれあいサロン")
    today = timezone.localdate()
    ScheduleException.objects.create(
        resource=salon,
        kind=ScheduleException.Kind.NOTICE,
        starts_on=today,
        ends_on=today + dt.timedelta(days=30),
        text="1月は会場を北集会所に変更します",
    )
    ScheduleException.objects.create(
        resource=salon,
        kind=ScheduleException.Kind.NOTICE,
        starts_on=today - dt.timedelta(days=40),
        ends_on=today - dt.timedelta(days=1),
        text="先月で終わったお知らせ",
    )

    text = pdf_text(get(client, f"area=27127&large={large}").content).replace("\n", "")

    assert "1月は会場を北集会所に変更します" in text
    assert "先月で終わったお知らせ" not in text
    assert text.index("梅田ふれあいサロン") < text.index("1月は会場を北集会所に変更します")
    assert text.index("1月は会場を北集会所に変更します") < text.index("髙橋さんちの①番サロン～")
