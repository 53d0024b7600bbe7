"""/staff/councils/: the list, a council's page, and creating and editing one with its members."""

from __future__ import annotations

import pytest

from councils.models import Council, CouncilMember


def council_data(area, **overrides):
    data = {
        "area": str(area.pk),
        "name": "北区第2圏域 新しい協議体",
        "business_start_fy": "2017",
        "business_start_note": "",
        "established_on": "2024-10-01",
        "origin": "new",
        "existing_body": "",
        "established_by": "大阪市北区",
        "operated_by": "北区第2地域包括支援センター",
        "note": "",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-name": "山田 花子",
        "members-0-sector": "commissioner",
        "members-0-organisation": "北区民生委員協議会",
        "members-1-name": "",
        "members-1-sector": "",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login(client, councils):
    assert client.get("/staff/councils/").status_code == 302
    assert client.get(f"/staff/councils/{councils['kita'].pk}/").status_code == 302


def test_a_care_manager_gets_404(client, councils, care_manager):
    client.force_login(care_manager)

    assert client.get("/staff/councils/").status_code == 404
    assert client.get(f"/staff/councils/{councils['kita'].pk}/").status_code == 404


@pytest.mark.parametrize(
    ("role", "listed", "hidden"),
    [
        (
            "kita1_coordinator",
            ["北区生活支援体制推進会議", "北区第1圏域 支え合い会議"],
            ["港区第1圏域 協議体", "北区第2圏域"],
        ),
        (
            "kita_coordinator",
            ["北区生活支援体制推進会議", "北区第2圏域 支え合い会議"],
            ["港区第1圏域 協議体"],
        ),
        ("minato_coordinator", ["港区第1圏域 協議体"], ["北区"]),
        ("city_staff", ["北区生活支援体制推進会議", "港区第1圏域 協議体"], []),
    ],
)
def test_the_list_shows_each_role_its_councils(client, request, councils, role, listed, hidden):
    client.force_login(request.getfixturevalue(role))

    html = client.get("/staff/councils/").content.decode()

    for name in listed:
        assert name in html
    for name in hidden:
        assert name not in html


def test_a_council_page_shows_members_meetings_and_issues(
    client, councils, meetings, kita_coordinator
):
    client.force_login(kita_coordinator)

    html = client.get(f"/staff/councils/{councils['kita1'].pk}/").content.decode()

    assert "北区 第1圏域の民生委員" in html
    assert "2025年6月10日" in html
    assert "会議を記録" in html


def test_a_tier2_coordinator_reads_the_tier1_council_but_cannot_edit_it(
    client, councils, kita1_coordinator
):
    client.force_login(kita1_coordinator)

    response = client.get(f"/staff/councils/{councils['kita'].pk}/")

    assert response.status_code == 200
    assert "会議を記録" not in response.content.decode()
    assert client.get(f"/staff/councils/{councils['kita'].pk}/edit/").status_code == 404
    assert client.get(f"/staff/councils/{councils['kita'].pk}/meetings/new/").status_code == 404


def test_a_coordinator_of_another_ward_gets_404(client, councils, minato_coordinator):
    client.force_login(minato_coordinator)

    assert client.get(f"/staff/councils/{councils['kita1'].pk}/").status_code == 404
    assert client.post(f"/staff/councils/{councils['kita1'].pk}/edit/", {}).status_code == 404


def test_a_tier1_coordinator_creates_a_council_with_members(client, areas, kita_coordinator):
    client.force_login(kita_coordinator)

    response = client.post("/staff/councils/new/", council_data(areas["kita2"]))

    assert response.status_code == 302, response.context["form"].errors
    council = Council.objects.get(name="北区第2圏域 新しい協議体")
    assert council.tier == 2
    assert council.code.startswith("C")
    assert list(council.members.values_list("name", "sector")) == [("山田 花子", "commissioner")]


def test_a_member_without_a_sector_is_refused_keeping_what_was_typed(
    client, areas, kita_coordinator
):
    client.force_login(kita_coordinator)

    response = client.post(
        "/staff/councils/new/", council_data(areas["kita2"], **{"members-0-sector": ""})
    )

    assert response.status_code == 200
    assert not Council.objects.filter(name="北区第2圏域 新しい協議体").exists()
    html = response.content.decode()
    assert "委員の分野（民生委員、町会など）を選んでください。" in html
    assert "山田 花子" in html
    assert "北区第2圏域 新しい協議体" in html


def test_an_existing_body_needs_its_name(client, areas, kita_coordinator):
    client.force_login(kita_coordinator)

    response = client.post("/staff/councils/new/", council_data(areas["kita2"], origin="existing"))

    assert response.status_code == 200
    assert "既存の会議体の名称を入力してください" in response.content.decode()


def test_a_council_in_an_area_i_do_not_serve_is_refused(client, areas, kita1_coordinator):
    client.force_login(kita1_coordinator)

    response = client.post("/staff/councils/new/", council_data(areas["kita2"]))

    assert response.status_code == 200
    assert not Council.objects.exists()
    assert "担当区域から選んでください" in response.content.decode()


def test_editing_a_council_changes_and_removes_members(client, councils, kita1_coordinator):
    council = councils["kita1"]
    member = council.members.get()
    client.force_login(kita1_coordinator)
    data = council_data(
        council.area,
        name="北区第1圏域 支え合い推進会議",
        **{
            "members-TOTAL_FORMS": "2",
            "members-INITIAL_FORMS": "1",
            "members-0-id": str(member.pk),
            "members-0-council": str(council.pk),
            "members-0-name": member.name,
            "members-0-sector": "commissioner",
            "members-0-DELETE": "on",
            "members-1-name": "佐藤 次郎",
            "members-1-sector": "neighbourhood",
        },
    )

    response = client.post(f"/staff/councils/{council.pk}/edit/", data)

    assert response.status_code == 302
    council.refresh_from_db()
    assert council.name == "北区第1圏域 支え合い推進会議"
    assert list(CouncilMember.objects.filter(council=council).values_list("name", flat=True)) == [
        "佐藤 次郎"
    ]
