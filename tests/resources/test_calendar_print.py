"""GET /areas/<code>/calendar.pdf: the 月間予定表 (Japanese text and the QR code)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from resources.models import ScheduleException
from resources.services import resource_update, schedule_exception_save
from tests.conftest import add_schedule


def pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Spaces and line ends removed: a cell wraps its lines where it likes.
    return "".join("".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def gatherings(public_salon, staff_only_cafe):
    resource_update(resource=public_salon, venue="さくら会場", contact_phone="06-1234-5678")
    add_schedule(
        resource=public_salon,
        kind="monthly_nth",
        weekdays="WE",
        weeks_of_month="2,4",
        opens_at=dt.time(10),
        closes_at=dt.time(11, 30),
    )
    add_schedule(resource=staff_only_cafe, kind="weekly", weekdays="MO", opens_at=dt.time(14))
    schedule_exception_save(
        exception=ScheduleException(
            resource=public_salon,
            kind="notice",
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2026, 9, 30),
            text="9月は会場を北集会所に変更",
        )
    )
    return public_salon


def test_the_month_holds_each_days_gatherings_venues_and_notices(client, gatherings):
    text = pdf_text(client.get("/areas/27127/calendar.pdf?month=2026-09"))
    assert "北区2026年9月の予定表" in text
    assert "秋分の日" in text  # 23日, the fourth Wednesday: not on
    assert "10:00〜11:30梅田ふれあいサロン" in text
    assert text.count("10:00〜11:30梅田ふれあいサロン") == 1  # 9日 only
    assert "06-1234-5678" in text
    assert "9月は会場を北集会所に変更" in text
    assert "非公開の準備中カフェ" not in text
    for secret in ("山田花子", "090-1111-2222", "鍵は管理人室"):
        assert secret not in text


def test_a_care_manager_sees_the_staff_only_gathering(client, gatherings, care_manager):
    client.force_login(care_manager)
    text = pdf_text(client.get("/areas/27127/calendar.pdf?month=2026-09"))
    assert "非公開の準備中カフェ" in text
    assert "関係者限定" in text


def test_a3_is_a_bigger_page(client, gatherings):
    import pypdf

    a4 = pypdf.PdfReader(io.BytesIO(client.get("/areas/27127/calendar.pdf?month=2026-09").content))
    a3 = pypdf.PdfReader(
        io.BytesIO(client.get("/areas/27127/calendar.pdf?month=2026-09&size=a3").content)
    )
    w4, h4 = float(a4.pages[0].mediabox.width), float(a4.pages[0].mediabox.height)
    w3 = float(a3.pages[0].mediabox.width)
    assert w4 > h4  # landscape
    assert round(w4 / 72 * 25.4) == 297
    assert round(w3 / 72 * 25.4) == 420


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "abc", "12-2026", "1999-01"])
def test_a_month_that_does_not_exist_is_a_clear_400(client, kita, month):
    response = client.get(f"/areas/27127/calendar.pdf?month={month}")
    assert response.status_code == 400
    body = response.content.decode()
    assert "予定表の月が正しくありません" in body
    assert "2026-12 のように" in body


def test_an_unknown_area_is_404(client, db):
    assert client.get("/areas/nowhere/calendar.pdf?month=2026-09").status_code == 404


def test_an_empty_month_says_so(client, kita):
    text = pdf_text(client.get("/areas/27127/calendar.pdf?month=2026-09"))
    assert "この月に予定のある地域資源はありません。" in text


@pytest.mark.skipif(not shutil.which("zbarimg") or not shutil.which("pdftoppm"), reason="zbar")
def test_the_qr_code_leads_to_the_area_page(client, gatherings, settings, tmp_path):
    settings.SITE_URL = "https://portal.example.jp"
    response = client.get("/areas/27127/calendar.pdf?month=2026-09")
    (tmp_path / "cal.pdf").write_bytes(response.content)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            "2",
            "-l",
            "2",
            str(tmp_path / "cal.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    image = next(tmp_path.glob("p*.png"))
    found = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True)
    assert found.stdout.strip() == "https://portal.example.jp/areas/27127/"


def test_the_area_page_links_the_calendar(client, kita):
    body = client.get("/areas/27127/").content.decode()
    assert 'href="/areas/27127/calendar.pdf"' in body
    assert 'href="/resources/upcoming/?area=27127"' in body
    assert 'href="/resources/calendar.ics?area=27127"' in body
