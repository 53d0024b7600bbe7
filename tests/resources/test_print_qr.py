"""Every printout carries a QR code to its live page (zbarimg reads it back)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from resources.models import ScheduleException
from resources.services import schedule_exception_save
from tests.conftest import add_schedule

pytestmark = pytest.mark.skipif(
    not shutil.which("zbarimg") or not shutil.which("pdftoppm"), reason="zbar and poppler"
)
SITE = "https://portal.example.jp"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def codes(pdf: bytes, tmp_path, page: int = 1) -> set[str]:
    (tmp_path / "doc.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            str(tmp_path / "doc.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    found: set[str] = set()
    for image in tmp_path.glob("p*.png"):
        out = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True)
        found |= set(out.stdout.split())
    return found


def test_the_sheet_leads_to_the_resource_page(client, public_salon, tmp_path):
    response = client.get(f"/resources/{public_salon.pk}/sheet.pdf")
    assert codes(response.content, tmp_path) == {f"{SITE}/resources/{public_salon.pk}/"}


def test_the_list_leads_to_the_same_search(client, public_salon, tmp_path):
    response = client.get("/resources/print.pdf?area=27127-1&large=1&q=サロン")
    assert codes(response.content, tmp_path) == {
        f"{SITE}/resources/?area=27127-1&q=%E3%82%B5%E3%83%AD%E3%83%B3"
    }


def test_the_area_map_leads_to_the_area_page(client, public_salon, tmp_path):
    response = client.get("/areas/27127/map.pdf")
    assert f"{SITE}/areas/27127/" in codes(response.content, tmp_path)


def test_the_sheet_shows_the_next_dates_notices_and_how_to_get_there(
    client, public_salon, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 4, 1))
    add_schedule(resource=public_salon, kind="weekly", weekdays="WE", opens_at=dt.time(10))
    schedule_exception_save(
        exception=ScheduleException(
            resource=public_salon,
            kind="closed",
            starts_on=dt.date(2026, 4, 8),
            ends_on=dt.date(2026, 4, 8),
        )
    )
    response = client.get(f"/resources/{public_salon.pk}/sheet.pdf")
    text = "".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "4月1日（水）10:00〜、4月15日（水）10:00〜" in text
    assert "4月8日はお休み" in text
    assert "行き方" in text
