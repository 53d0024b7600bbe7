"""Prints over PRINT_JOB_ROWS: made as a job for staff, narrowed by everyone else."""

from __future__ import annotations

import pytest

from portal.models import Job
from tests.resources import test_print_list
from tests.resources.test_print_pdf import pdf_pages_text

kita_list = test_print_list.kita_list  # the fixture, shared


@pytest.fixture
def small_limit(settings):
    settings.PRINT_JOB_ROWS = 2  # kita_list has 3 public resources (4 for staff)


def test_a_small_print_is_still_a_pdf_at_once(client, kita_list):
    response = client.get("/resources/print.pdf?area=27127")
    assert response["Content-Type"] == "application/pdf"
    assert not Job.objects.exists()


def test_anonymous_visitors_are_asked_to_narrow_the_search(client, kita_list, small_limit):
    response = client.get("/resources/print.pdf?area=27127")
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "3件" in body and "その場で印刷できるのは 2件" in body
    assert "絞り込んでから" in body and "PDFを作る" not in body
    assert 'href="/resources/?area=27127"' in body


def test_large_print_counts_twice(client, kita_list, settings):
    settings.PRINT_JOB_ROWS = 4
    assert client.get("/resources/print.pdf?area=27127")["Content-Type"] == "application/pdf"
    body = client.get("/resources/print.pdf?area=27127&large=1").content.decode()
    assert "その場で印刷できるのは 2件" in body and "大きな文字" in body


def test_staff_make_the_list_as_a_job_printed_with_their_access(
    client,
    kita_list,
    small_limit,
    kita_coordinator,
):
    client.force_login(kita_coordinator)
    offer = client.get("/resources/print.pdf?area=27127&staff=1").content.decode()
    assert "PDFを作る" in offer and 'name="query" value="area=27127&amp;staff=1"' in offer
    response = client.post("/resources/print/job/", {"query": "area=27127&staff=1", "code": ""})
    job = Job.objects.get()
    assert response["Location"] == f"/staff/jobs/{job.pk}/"
    assert job.user == kita_coordinator and job.state == Job.State.DONE
    pdf = b"".join(client.get(f"/staff/jobs/{job.pk}/result").streaming_content)
    text = "\n".join(pdf_pages_text(pdf))
    assert "いきいき百歳体操 梅田会場" in text
    assert "非公開の準備中カフェ" in text  # staff-only: the coordinator may see it
    page = client.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert "検索結果へ戻る" in page


def test_an_area_map_over_the_limit_is_a_job_too(client, kita_list, small_limit, city_staff):
    client.force_login(city_staff)
    offer = client.get("/areas/27127/map.pdf?public=1").content.decode()
    assert 'name="code" value="27127"' in offer
    client.post("/resources/print/job/", {"code": "27127", "query": "public=1"})
    job = Job.objects.get()
    assert job.label == "北区 地域資源マップ（PDF）"
    pdf = b"".join(client.get(f"/staff/jobs/{job.pk}/result").streaming_content)
    pages = pdf_pages_text(pdf)
    assert "北区 地域資源マップ" in pages[0]
    assert "非公開の準備中カフェ" not in "\n".join(pages)


def test_the_job_start_needs_a_staff_login(client, kita_list, care_manager, django_user_model):
    response = client.post("/resources/print/job/", {"query": "area=27127"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    plain = django_user_model.objects.create_user(username="plain", password="x-1234-abcd")
    client.force_login(plain)
    assert client.post("/resources/print/job/", {"query": "area=27127"}).status_code == 404
    client.force_login(care_manager)
    assert client.post("/resources/print/job/", {"code": "nowhere"}).status_code == 404
    assert not Job.objects.exists()


def test_the_booklet_page_offers_a_job_for_a_big_area(client, kita_list, small_limit, city_staff):
    client.force_login(city_staff)
    body = client.get("/staff/booklet/").content.decode()
    assert 'name="code" value="27127"' in body and "PDFを作る" in body
