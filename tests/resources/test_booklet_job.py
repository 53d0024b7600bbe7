"""The whole-city booklet as a job: POST /staff/booklet/ → /staff/jobs/<id>/."""

from __future__ import annotations

import pytest

from portal.models import Job
from tests.resources.test_print_pdf import pdf_pages_text


@pytest.fixture
def city(areas, public_salon, staff_only_cafe, minato_salon):
    return areas


def test_city_staff_start_the_booklet_and_get_one_pdf_of_every_ward(client, city, city_staff):
    client.force_login(city_staff)
    response = client.post("/staff/booklet/", {"variant": "public"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/jobs/{job.pk}/"
    assert job.kind == "booklet" and job.user == city_staff
    assert job.state == Job.State.DONE and (job.done, job.total) == (2, 2)

    page = client.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert "市全体の冊子（公開用）" in page
    assert "2 / 2 区域" in page and "100 %" in page
    assert f'href="/staff/jobs/{job.pk}/result"' in page

    pdf = client.get(f"/staff/jobs/{job.pk}/result")
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(pdf_pages_text(b"".join(pdf.streaming_content)))
    assert "港区 地域資源マップ" in text and "北区 地域資源マップ" in text
    assert "梅田ふれあいサロン" in text
    # Public: no staff-only resource or field.
    assert "非公開の準備中カフェ" not in text and "山田 花子" not in text


def test_the_staff_booklet_holds_staff_only_data_on_every_page(client, city, city_staff):
    client.force_login(city_staff)
    client.post("/staff/booklet/", {"variant": "staff"})
    job = Job.objects.get()
    assert job.label == "市全体の冊子（関係者用）"
    pages = pdf_pages_text(b"".join(client.get(f"/staff/jobs/{job.pk}/result").streaming_content))
    assert "非公開の準備中カフェ" in "\n".join(pages)
    assert all("関係者限定" in page for page in pages)


def test_progress_json_has_the_contract_keys(client, city, city_staff):
    client.force_login(city_staff)
    client.post("/staff/booklet/", {"variant": "public"})
    job = Job.objects.get()
    data = client.get(f"/staff/jobs/{job.pk}/?format=json").json()
    assert data["state"] == "done" and data["done"] == data["total"] == 2
    assert data["result_url"] == f"/staff/jobs/{job.pk}/result" and data["error"] is None


def test_only_city_staff_may_start_it(client, city, kita_coordinator, care_manager):
    for user in (kita_coordinator, care_manager):
        client.force_login(user)
        assert client.post("/staff/booklet/", {"variant": "public"}).status_code == 404
    assert not Job.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client, city):
    response = client.post("/staff/booklet/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_staff_home_lists_the_finished_booklet(client, city, city_staff):
    client.force_login(city_staff)
    client.post("/staff/booklet/", {"variant": "public"})
    job = Job.objects.get()
    home = client.get("/staff/").content.decode()
    assert "作成済みの資料" in home
    assert f'href="/staff/jobs/{job.pk}/result"' in home
    assert "市全体の冊子（公開用）" in home


def test_the_booklet_page_offers_the_button_to_city_staff_only(
    client, city, city_staff, care_manager
):
    client.force_login(city_staff)
    assert "市全体の冊子を作る" in client.get("/staff/booklet/").content.decode()
    client.force_login(care_manager)
    body = client.get("/staff/booklet/").content.decode()
    assert "市全体の冊子を作る" not in body and "市職員が作ります" in body
