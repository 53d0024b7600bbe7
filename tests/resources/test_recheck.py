"""The verification cycle: requests, reminders, 要確認, and the 確認票 PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from pypdf import PdfReader

from resources.models import Resource, VerificationRequest
from resources.recheck import change_digest_send, recheck_run
from resources.services import resource_update
from tests.conftest import make_resource
from tests.resources.search_pages import listed_names

DAY = date(2026, 10, 1)


@pytest.fixture
def groups(kita1, minato1):
    return {
        "mail": make_resource(
            name="メールのある会",
            kana="あ",
            area=kita1,
            area_locked=True,
            contact_email="group@example.jp",
            verified_on=DAY - timedelta(days=400),
        ),
        "paper": make_resource(
            name="紙で確かめる会",
            kana="い",
            area=kita1,
            area_locked=True,
            contact_phone="06-1234-0000",
            verified_on=DAY - timedelta(days=500),
        ),
        "fresh": make_resource(
            name="最近確認した会", kana="う", area=kita1, area_locked=True, verified_on=DAY
        ),
        "minato": make_resource(name="港区の会", area=minato1, area_locked=True),
    }


def test_the_loop_request_reminders_overdue_and_confirm_clears_it(groups, client, settings):
    settings.RECHECK_REMINDER_DAYS, settings.RECHECK_REMINDERS = 14, 2
    first = recheck_run(today=DAY)

    assert set(first.requested) == {"メールのある会", "紙で確かめる会", "港区の会"}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["group@example.jp"]
    request = VerificationRequest.objects.get(resource=groups["mail"])
    assert request.link.get_absolute_url() in mail.outbox[0].body

    assert recheck_run(today=DAY + timedelta(days=13)).reminded == []
    assert "メールのある会" in recheck_run(today=DAY + timedelta(days=14)).reminded
    assert "【再送】" in mail.outbox[-1].subject
    assert "メールのある会" in recheck_run(today=DAY + timedelta(days=28)).reminded
    last = recheck_run(today=DAY + timedelta(days=42))
    assert "メールのある会" in last.overdue

    groups["mail"].refresh_from_db()
    assert groups["mail"].needs_recheck
    detail = client.get(f"/resources/{groups['mail'].pk}/").content.decode()
    assert "要確認" in detail
    search = client.get("/resources/", {"area": "27127-1"})
    assert listed_names(search)[-1] in {"メールのある会", "紙で確かめる会"}
    assert listed_names(search).index("最近確認した会") < listed_names(search).index(
        "メールのある会"
    )

    # The group confirms through its link: the mark goes, the request is answered.
    client.post(
        request.link.get_absolute_url(),
        {"resource": str(groups["mail"].pk), "confirm": "1"},
    )
    groups["mail"].refresh_from_db()
    assert not groups["mail"].needs_recheck
    assert "要確認" not in client.get(f"/resources/{groups['mail'].pk}/").content.decode()
    recheck_run(today=DAY + timedelta(days=43))
    request.refresh_from_db()
    assert request.answered_on is not None


def test_the_public_pages_say_the_month_of_the_check(groups, client):
    body = client.get(f"/resources/{groups['fresh'].pk}/").content.decode()

    assert "2026年10月に確認" in body


def test_a_dry_run_sends_and_writes_nothing(groups, tmp_path):
    result = recheck_run(today=DAY, dry_run=True, out_dir=tmp_path)

    assert len(result.requested) == 3
    assert not VerificationRequest.objects.exists()
    assert mail.outbox == [] and list(tmp_path.iterdir()) == []


def test_the_command_takes_an_area_and_writes_the_sheets(groups, tmp_path, capsys, kita):
    call_command("send_recheck_requests", "--area", kita.code, "-o", str(tmp_path))

    out = capsys.readouterr().out
    assert "依頼 2件" in out
    assert not VerificationRequest.objects.filter(resource=groups["minato"]).exists()
    assert [p.name for p in tmp_path.glob("*.pdf")] == ["確認票_27127-1.pdf"]


@pytest.mark.slow
def test_the_sheet_pdf_has_the_group_its_reply_box_and_a_qr_code_to_its_link(
    groups, tmp_path, kita
):
    result = recheck_run(today=DAY, area=kita, out_dir=tmp_path)
    (pdf,) = result.pdfs
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in (
        "地域資源の情報の確認のお願い",
        "紙で確かめる会",
        "06-1234-0000",
        "変わりありません",
    ):
        assert expected in text
    link = VerificationRequest.objects.get(resource=groups["paper"]).link

    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.skip("pdftoppm and zbarimg are needed to read the QR code")
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "page")], check=True)
    (image,) = tmp_path.glob("page*.png")
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded.endswith(f"/update/{link.token}/")


def test_a_confirmation_by_a_coordinator_clears_the_mark(groups, kita1_coordinator, client):
    resource_update(resource=groups["paper"], needs_recheck=True)
    client.force_login(kita1_coordinator)

    client.post(f"/staff/resources/{groups['paper'].pk}/confirm/")

    groups["paper"].refresh_from_db()
    assert not groups["paper"].needs_recheck


def test_the_daily_digest_tells_coordinators_of_new_suggestions(
    client, public_salon, kita1_coordinator, minato_coordinator
):
    kita1_coordinator.email = "kita1@example.jp"
    kita1_coordinator.save()
    minato_coordinator.email = "minato@example.jp"
    minato_coordinator.save()
    client.post(f"/resources/{public_salon.pk}/suggest/", {"message": "電話番号が違います"})

    assert change_digest_send() == 1
    assert mail.outbox[0].to == ["kita1@example.jp"]
    assert "梅田ふれあいサロン" in mail.outbox[0].body


def test_the_cycle_and_the_digest_are_periodic_jobs():
    from portal.jobs.schedule import periodic_jobs

    names = {job.name for job in periodic_jobs()}
    assert {"resources.recheck_requests", "resources.change_digest"} <= names


def test_ended_resources_are_not_asked(kita1):
    make_resource(name="終わった会", status=Resource.Status.ENDED, area=kita1, area_locked=True)

    assert recheck_run(today=DAY).requested == []


def test_the_printed_list_says_the_month_of_the_check(groups, client):
    from tests.resources.test_print_pdf import pdf_pages_text

    response = client.get("/resources/print.pdf", {"area": "27127-1"})

    text = "".join(pdf_pages_text(response.content)).replace("\n", "")
    assert "2026年10月に確認" in text
