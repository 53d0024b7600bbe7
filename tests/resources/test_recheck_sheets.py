"""The 確認票 the daily run keeps (resources/recheck.py), listed on
/staff/resource-checks/ and served to the coordinators of their area only."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from resources.recheck import recheck_folder
from tests.conftest import make_user
from tests.resources.test_recheck import groups  # noqa: F401  (a fixture)

KITA_DAY, MINATO_DAY = date(2026, 11, 30), date(2026, 12, 1)


def keep(day: date, code: str, groups_count: int) -> bytes:
    folder = recheck_folder(day)
    folder.mkdir(parents=True, exist_ok=True)
    body = f"%PDF-1.4 確認票 {code} {day}".encode()
    (folder / f"確認票_{code}.pdf").write_bytes(body)
    index = folder / "index.json"
    known = json.loads(index.read_text()) if index.exists() else {}
    index.write_text(json.dumps({**known, code: groups_count}))
    return body


@pytest.fixture
def sheets(kita1, minato1):
    return {
        "kita1": keep(KITA_DAY, kita1.code, 3),
        "minato1": keep(MINATO_DAY, minato1.code, 1),
        "none": keep(MINATO_DAY, "none", 2),
    }


def page(client, user) -> str:
    client.force_login(user)
    response = client.get("/staff/resource-checks/")
    assert response.status_code == 200
    return response.content.decode()


def url(day: date, code: str) -> str:
    return f"/staff/resource-checks/sheets/{day:%Y%m%d}-{code}/"


def test_a_coordinator_sees_and_downloads_the_sheets_of_their_area(
    client, sheets, kita1, minato1, kita1_coordinator
):
    html = page(client, kita1_coordinator)
    assert "確認票（郵送・手渡し用）" in html
    assert f"2026年11月30日 {kita1.label}" in html and "（3団体）" in html
    assert url(KITA_DAY, kita1.code) in html
    assert minato1.code not in html and "区域なし" not in html

    response = client.get(url(KITA_DAY, kita1.code))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sheets["kita1"]
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "%E7%A2%BA%E8%AA%8D%E7%A5%A8" in response["Content-Disposition"]  # 確認票


def test_another_areas_coordinator_gets_404(client, sheets, kita1, minato_coordinator):
    client.force_login(minato_coordinator)
    assert client.get(url(KITA_DAY, kita1.code)).status_code == 404
    assert client.get(url(MINATO_DAY, "none")).status_code == 404
    assert kita1.code not in page(client, minato_coordinator)


def test_a_tier1_coordinator_sees_their_tier2_areas_sheets(client, sheets, kita1, kita_coordinator):
    client.force_login(kita_coordinator)
    assert client.get(url(KITA_DAY, kita1.code)).status_code == 200


def test_city_staff_see_every_sheet_newest_first(client, sheets, kita1, minato1, city_staff):
    html = page(client, city_staff)
    newest = html.index(url(MINATO_DAY, minato1.code))
    assert newest < html.index(url(KITA_DAY, kita1.code))
    assert "区域なし" in html
    assert client.get(url(MINATO_DAY, "none")).status_code == 200


@pytest.mark.parametrize(
    "sheet",
    ["20261130-nosuch", "20261199-27127-1", "2026-11-30", "x", "20261130-..%2F..%2Fetc"],
)
def test_missing_and_malformed_names_answer_404(client, sheets, city_staff, sheet):
    client.force_login(city_staff)
    assert client.get(f"/staff/resource-checks/sheets/{sheet}/").status_code == 404


def test_others_get_404_or_the_login_page(client, sheets, kita1, care_manager, db):
    assert client.get(url(KITA_DAY, kita1.code)).status_code == 302  # to the login page
    client.force_login(care_manager)
    assert client.get(url(KITA_DAY, kita1.code)).status_code == 404
    assert client.get("/staff/resource-checks/").status_code == 404
    client.force_login(make_user("norole"))
    assert client.get(url(KITA_DAY, kita1.code)).status_code == 404


def test_no_sheets_says_so(client, kita1_coordinator):
    assert "いまは確認票はありません。" in page(client, kita1_coordinator)


@pytest.mark.slow
def test_the_command_keeps_its_sheets_where_the_page_lists_them(
    client,
    groups,  # noqa: F811
    kita1,
    kita1_coordinator,
    minato_coordinator,
):
    call_command("send_recheck_requests")
    html = page(client, kita1_coordinator)
    assert "（1団体）" in html
    link = html.split('href="/staff/resource-checks/sheets/', 1)[1].split('"', 1)[0]
    response = client.get(f"/staff/resource-checks/sheets/{link}")
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    from io import BytesIO

    assert "紙で確かめる会" in PdfReader(BytesIO(pdf)).pages[0].extract_text()
    client.force_login(minato_coordinator)
    assert client.get(f"/staff/resource-checks/sheets/{link}").status_code == 404


def test_a_second_run_on_the_same_day_keeps_the_first_runs_sheets(
    client, kita1, kita1_coordinator, monkeypatch
):
    """The first run's groups are not asked again: their sheets must not be overwritten."""
    from types import SimpleNamespace

    from resources import recheck

    monkeypatch.setattr(recheck, "recheck_sheets_html", lambda items, today: str(len(items)))
    monkeypatch.setattr(recheck, "html_to_pdf", lambda html: f"%PDF-1.4 run of {html}".encode())
    group = SimpleNamespace(area=kita1)
    folder = recheck_folder(KITA_DAY)

    recheck.recheck_sheets_write([(group, None, False)] * 3, out_dir=folder, today=KITA_DAY)
    recheck.recheck_sheets_write([(group, None, False)] * 2, out_dir=folder, today=KITA_DAY)

    html = page(client, kita1_coordinator)
    assert "（3団体）" in html and "（2団体）" in html
    first = client.get(url(KITA_DAY, kita1.code))
    second = client.get(url(KITA_DAY, f"{kita1.code}.2"))
    assert b"".join(first.streaming_content) == b"%PDF-1.4 run of 3"
    assert b"".join(second.streaming_content) == b"%PDF-1.4 run of 2"
    assert client.get(url(KITA_DAY, f"{kita1.code}.1")).status_code == 404
