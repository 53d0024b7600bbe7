"""/staff/councils/<id>/meetings/new/ and meeting pages: date limits, attendees,
issues raised, and attachments that are size-limited, type-checked and staff-only."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from councils.models import Meeting, MeetingAttachment, RegionalIssue

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def meeting_data(council, **overrides):
    data = {
        "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "starts_at": "14:00",
        "ends_at": "15:30",
        "place": "区民センター",
        "members_present": [str(m.pk) for m in council.members.all()],
        "other_attendees": "区役所 保健福祉課",
        "agenda": "地域の課題",
        "minutes": "買い物の場が少ないとの意見",
        "issue_themes": "買い物の場が少ない\n移動手段がない\n",
    }
    data.update(overrides)
    return data


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def new_url(council):
    return f"/staff/councils/{council.pk}/meetings/new/"


def test_a_tier2_coordinator_records_a_meeting_with_attendees_issues_and_a_pdf(
    client, councils, kita1_coordinator, settings
):
    council = councils["kita1"]
    client.force_login(kita1_coordinator)

    response = client.post(
        new_url(council), {**meeting_data(council), "attachments": [upload("議事録.pdf", PDF)]}
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get(council=council)
    assert meeting.created_by == kita1_coordinator
    assert list(meeting.members_present.all()) == list(council.members.all())
    assert sorted(meeting.issues.values_list("theme", flat=True)) == [
        "移動手段がない",
        "買い物の場が少ない",
    ]
    assert set(meeting.issues.values_list("status", flat=True)) == {RegionalIssue.Status.RAISED}
    attachment = meeting.attachments.get()
    assert attachment.original_name == "議事録.pdf"
    assert attachment.content_type == "application/pdf"
    stored = Path(attachment.file.path)
    assert stored.is_file()
    assert Path(settings.PRIVATE_MEDIA_ROOT) in stored.parents
    assert Path(settings.MEDIA_ROOT) not in stored.parents


def test_a_meeting_too_far_in_the_future_is_refused_keeping_what_was_typed(
    client, councils, kita1_coordinator
):
    council = councils["kita1"]
    client.force_login(kita1_coordinator)
    far = timezone.localdate() + timedelta(days=181)

    response = client.post(new_url(council), meeting_data(council, date=far.isoformat()))

    assert response.status_code == 200
    assert not Meeting.objects.exists()
    html = response.content.decode()
    assert "開催日は今日から180日後までの日付にしてください。" in html
    assert "買い物の場が少ないとの意見" in html


def test_the_future_limit_is_a_setting(client, councils, kita1_coordinator, settings):
    settings.MEETING_FUTURE_LIMIT_DAYS = 7
    council = councils["kita1"]
    client.force_login(kita1_coordinator)
    soon = timezone.localdate() + timedelta(days=30)

    response = client.post(new_url(council), meeting_data(council, date=soon.isoformat()))

    assert "7日後まで" in response.content.decode()


def test_a_planned_meeting_within_the_limit_is_kept_and_shown_as_planned(
    client, councils, kita1_coordinator
):
    council = councils["kita1"]
    client.force_login(kita1_coordinator)
    soon = timezone.localdate() + timedelta(days=30)

    response = client.post(
        new_url(council), meeting_data(council, date=soon.isoformat(), issue_themes="")
    )

    assert response.status_code == 302
    assert "予定" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", EXE),
        ("資料.pdf", EXE),
        ("run", ELF),
        ("script.sh", b"#!/bin/sh\nrm -rf /\n"),
        ("macro.js", b"alert(1)"),
    ],
)
def test_an_executable_attachment_is_refused_in_japanese(
    client, councils, kita1_coordinator, name, content
):
    council = councils["kita1"]
    client.force_login(kita1_coordinator)

    response = client.post(
        new_url(council), {**meeting_data(council), "attachments": [upload(name, content)]}
    )

    assert response.status_code == 200
    assert not Meeting.objects.exists()
    assert not MeetingAttachment.objects.exists()
    html = response.content.decode()
    assert "実行できるプログラムのため添付できません" in html
    assert "買い物の場が少ないとの意見" in html


def test_an_attachment_over_the_size_limit_is_refused(
    client, councils, kita1_coordinator, settings
):
    settings.COUNCIL_ATTACHMENT_MAX_BYTES = 1024
    council = councils["kita1"]
    client.force_login(kita1_coordinator)

    response = client.post(
        new_url(council),
        {**meeting_data(council), "attachments": [upload("big.pdf", PDF + b"0" * 2048)]},
    )

    assert not Meeting.objects.exists()
    assert "大きすぎます" in response.content.decode()


def test_an_unknown_type_is_refused_and_text_is_accepted(client, councils, kita1_coordinator):
    council = councils["kita1"]
    client.force_login(kita1_coordinator)

    refused = client.post(
        new_url(council),
        {**meeting_data(council), "attachments": [upload("data.dat", b"\x00\x01\x02" * 50)]},
    )
    assert "種類を確認できない" in refused.content.decode()

    accepted = client.post(
        new_url(council),
        {
            **meeting_data(council),
            "attachments": [
                upload("名簿.csv", "氏名,分野\n山田,民生委員\n".encode("cp932")),
                upload("写真.png", PNG),
            ],
        },
    )
    assert accepted.status_code == 302
    assert sorted(MeetingAttachment.objects.values_list("content_type", flat=True)) == [
        "image/png",
        "text/csv",
    ]


def test_editing_a_meeting_adds_an_attachment(client, meetings, kita1_coordinator):
    meeting = meetings["kita1"]
    client.force_login(kita1_coordinator)

    response = client.post(
        f"/staff/councils/meetings/{meeting.pk}/edit/",
        {
            **meeting_data(meeting.council, date="2025-06-10", issue_themes=""),
            "attachments": [upload("資料.pdf", PDF)],
        },
    )

    assert response.status_code == 302
    assert meeting.attachments.count() == 1


@pytest.mark.parametrize("role", ["minato_coordinator", "care_manager"])
def test_recording_a_meeting_of_another_area_is_404(client, request, councils, role):
    council = councils["kita1"]
    client.force_login(request.getfixturevalue(role))

    assert client.post(new_url(council), meeting_data(council)).status_code == 404
    assert not Meeting.objects.exists()


def test_a_meeting_page_shows_its_record_to_those_who_may_read_it(
    client, meetings, kita1_coordinator, minato_coordinator
):
    meeting = meetings["kita1"]
    client.force_login(kita1_coordinator)
    assert (
        "北区第1圏域 支え合い会議の議事録"
        in client.get(f"/staff/councils/meetings/{meeting.pk}/").content.decode()
    )

    client.force_login(minato_coordinator)
    response = client.get(f"/staff/councils/meetings/{meeting.pk}/")
    assert response.status_code == 404
    assert "議事録" not in response.content.decode()


# Downloads ------------------------------------------------------------------------


@pytest.fixture
def attachment(meetings, kita1_coordinator):
    from councils.services import attachment_add

    upload_file = upload("議事録.pdf", PDF)
    return attachment_add(
        meeting=meetings["kita1"], upload=upload_file, uploaded_by=kita1_coordinator
    )


@pytest.mark.parametrize("role", ["kita1_coordinator", "kita_coordinator", "city_staff"])
def test_those_who_see_the_council_download_the_attachment(client, request, attachment, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(f"/staff/councils/attachments/{attachment.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", ["minato_coordinator", "care_manager", "kita2_coordinator"])
def test_anyone_else_gets_404_for_the_attachment(client, request, attachment, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(f"/staff/councils/attachments/{attachment.pk}/").status_code == 404


def test_anonymous_gets_no_attachment_by_any_route(client, attachment):
    response = client.get(f"/staff/councils/attachments/{attachment.pk}/")
    assert response.status_code == 302
    assert b"%PDF" not in response.content
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - no URL exists for a private file


def test_removing_an_attachment_deletes_the_file(
    client, attachment, kita1_coordinator, django_capture_on_commit_callbacks
):
    path = Path(attachment.file.path)
    client.force_login(kita1_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/councils/attachments/{attachment.pk}/delete/")

    assert response.status_code == 302
    assert not MeetingAttachment.objects.exists()
    assert not path.exists()


def test_the_attachment_check_reads_only_the_start_of_the_file(db):
    from councils.files import attachment_check

    big = upload("report.pdf", PDF + b"x" * (5 * 1024 * 1024))
    checked = attachment_check(big)

    assert checked.content_type == "application/pdf"
    assert big.tell() == 0
    assert io  # the module is used for the big upload above
