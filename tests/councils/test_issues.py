"""地域課題: raised at a meeting, 提起 → 検討中 → 第1層へ報告 → 対応済 / 継続,
escalated from a tier-2 council to the ward's tier-1 council, linked to resources."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from councils.models import RegionalIssue
from councils.services import issue_change_status, issue_escalate, issue_raise


@pytest.fixture
def issue(meetings, kita1_coordinator):
    meeting = meetings["kita1"]
    return issue_raise(
        meeting=meeting,
        area=meeting.council.area,
        theme="買い物の場が少ない",
        raised_by=kita1_coordinator,
    )


def test_an_issue_moves_along_its_statuses(issue):
    issue_change_status(issue=issue, status="discussing", changed_by=None, note="委員で話し合う")
    issue_change_status(issue=issue, status="resolved", changed_by=None)

    issue.refresh_from_db()
    assert issue.status == "resolved"
    assert "検討中：委員で話し合う" in issue.response
    assert "対応済" in issue.response


def test_an_issue_cannot_jump_backwards(issue):
    issue_change_status(issue=issue, status="resolved", changed_by=None)

    with pytest.raises(ValidationError, match="には変えられません"):
        issue_change_status(issue=issue, status="raised", changed_by=None)


def test_reporting_to_tier1_goes_through_escalation(issue):
    with pytest.raises(ValidationError):
        issue_change_status(issue=issue, status="reported", changed_by=None)


def test_a_tier2_issue_is_escalated_to_the_wards_tier1_council(issue, councils, meetings):
    issue_escalate(
        issue=issue, escalated_by=None, reported_meeting=meetings["kita"], on=date(2025, 7, 1)
    )

    issue.refresh_from_db()
    assert issue.status == RegionalIssue.Status.REPORTED
    assert issue.escalated_to == councils["kita"]
    assert issue.escalated_on == date(2025, 7, 1)
    assert issue.reported_meeting == meetings["kita"]
    assert list(councils["kita"].escalated_issues.all()) == [issue]


def test_escalation_needs_a_tier1_council_in_the_ward(meetings, kita1_coordinator):
    meeting = meetings["minato1"]
    issue = issue_raise(
        meeting=meeting, area=meeting.council.area, theme="移動手段", raised_by=None
    )

    with pytest.raises(ValidationError, match="第1層の協議体が登録されていない"):
        issue_escalate(issue=issue, escalated_by=None)


def test_a_tier1_issue_cannot_be_escalated(meetings):
    meeting = meetings["kita"]
    issue = issue_raise(
        meeting=meeting, area=meeting.council.area, theme="区全体の課題", raised_by=None
    )

    with pytest.raises(ValidationError, match="第2層の協議体"):
        issue_escalate(issue=issue, escalated_by=None)


def test_the_reported_meeting_must_be_the_tier1_councils(issue, meetings):
    with pytest.raises(ValidationError, match="報告先の協議体の会議"):
        issue_escalate(issue=issue, escalated_by=None, reported_meeting=meetings["kita2"])


def test_an_issue_area_must_be_in_the_councils_area(meetings, areas):
    with pytest.raises(ValidationError):
        issue_raise(
            meeting=meetings["kita1"], area=areas["minato1"], theme="よその課題", raised_by=None
        )


# Pages ------------------------------------------------------------------------------


def test_the_tier1_coordinator_escalates_from_the_issue_page(
    client, issue, councils, meetings, kita_coordinator
):
    client.force_login(kita_coordinator)

    page = client.get(f"/staff/councils/issues/{issue.pk}/").content.decode()
    assert "第1層へ報告する" in page
    assert "北区生活支援体制推進会議" in page

    response = client.post(
        f"/staff/councils/issues/{issue.pk}/escalate/",
        {"reported_meeting": str(meetings["kita"].pk), "note": "区全体の課題として報告"},
    )

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.escalated_to == councils["kita"]
    council_page = client.get(f"/staff/councils/{councils['kita'].pk}/").content.decode()
    assert "第2層から報告された地域課題" in council_page
    assert "買い物の場が少ない" in council_page


def test_the_tier2_coordinator_changes_the_status(client, issue, kita1_coordinator):
    client.force_login(kita1_coordinator)

    response = client.post(
        f"/staff/councils/issues/{issue.pk}/status/", {"status": "discussing", "note": ""}
    )

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == "discussing"


@pytest.mark.parametrize("role", ["minato_coordinator", "care_manager", "kita2_coordinator"])
def test_others_cannot_read_or_change_the_issue(client, request, issue, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(f"/staff/councils/issues/{issue.pk}/").status_code == 404
    assert (
        client.post(
            f"/staff/councils/issues/{issue.pk}/status/", {"status": "resolved"}
        ).status_code
        == 404
    )
    assert client.post(f"/staff/councils/issues/{issue.pk}/escalate/", {}).status_code == 404
    issue.refresh_from_db()
    assert issue.status == "raised"


def test_a_tier2_coordinator_reads_but_cannot_change_an_issue_of_the_tier1_council(
    client, meetings, kita1_coordinator
):
    meeting = meetings["kita"]
    issue = issue_raise(
        meeting=meeting, area=meeting.council.area, theme="区の課題", raised_by=None
    )
    client.force_login(kita1_coordinator)

    assert client.get(f"/staff/councils/issues/{issue.pk}/").status_code == 200
    assert (
        client.post(
            f"/staff/councils/issues/{issue.pk}/status/", {"status": "resolved"}
        ).status_code
        == 404
    )


def test_an_issue_is_linked_to_the_resources_created_in_response(
    client, issue, public_salon, kita1_coordinator
):
    client.force_login(kita1_coordinator)

    response = client.post(
        f"/staff/councils/issues/{issue.pk}/edit/",
        {
            "theme": issue.theme,
            "area": str(issue.area_id),
            "description": "",
            "response": "サロンを立ち上げた",
            "resources": [str(public_salon.pk)],
        },
    )

    assert response.status_code == 302
    assert list(issue.resources.all()) == [public_salon]
    assert (
        "梅田ふれあいサロン" in client.get(f"/staff/councils/issues/{issue.pk}/").content.decode()
    )


def test_a_new_issue_from_the_meeting_page(client, meetings, kita1_coordinator, kita1):
    client.force_login(kita1_coordinator)
    meeting = meetings["kita1"]

    response = client.post(
        f"/staff/councils/meetings/{meeting.pk}/issues/new/",
        {"theme": "男性の参加が少ない", "area": str(kita1.pk), "description": "", "response": ""},
    )

    assert response.status_code == 302
    assert meeting.issues.get().theme == "男性の参加が少ない"


def test_the_issue_list_filters_by_status_and_escalation(client, issue, meetings, city_staff):
    issue_escalate(issue=issue, escalated_by=None)
    other = issue_raise(
        meeting=meetings["minato1"],
        area=meetings["minato1"].council.area,
        theme="港区の課題",
        raised_by=None,
    )
    client.force_login(city_staff)

    escalated = client.get("/staff/councils/issues/?escalated=1").context["issues"]
    raised = client.get("/staff/councils/issues/?status=raised").context["issues"]

    assert list(escalated) == [issue]
    assert list(raised) == [other]
