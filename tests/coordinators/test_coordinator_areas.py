"""A coordinator's areas are stored once (``User.areas``) and every editor changes them.

北区 第2圏域's coordinator moves to 北区 第1圏域 through each editor in turn —
the user admin form, the coordinator admin form, ``coordinator_save`` — and the
access policy (areas, activities, councils), the reports and the activity
import all follow.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.utils import timezone

from coordinators.importing import activities_import
from coordinators.models import Activity, Coordinator
from coordinators.policy import activities_visible_to
from coordinators.services import coordinator_save
from councils.policy import councils_visible_to
from portal.roles import areas_served_by
from reports.tables import build_report
from tests.conftest import ACTIVE_FROM, make_user
from tests.resources.test_admin import form_data

FY = 2024


@pytest.fixture
def admin_user(db):
    return make_user("admin", is_staff=True, is_superuser=True)


def user_form_data(client, url: str, user, **changes) -> dict:
    data = form_data(client.get(url), **changes)
    # The admin splits date and time of a datetime into two inputs.
    joined = timezone.localtime(user.date_joined)
    data.pop("date_joined", None)
    data |= {"date_joined_0": f"{joined:%Y-%m-%d}", "date_joined_1": f"{joined:%H:%M:%S}"}
    return data


def move_in_user_admin(client, admin_user, user, area):
    client.force_login(admin_user)
    url = f"/admin/portal/user/{user.pk}/change/"
    data = user_form_data(client, url, user, areas=[str(area.pk)])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def move_in_coordinator_admin(client, admin_user, user, area):
    client.force_login(admin_user)
    url = f"/admin/coordinators/coordinator/{user.coordinator_profile.pk}/change/"
    data = form_data(client.get(url), areas=[str(area.pk)])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def move_with_the_service(client, admin_user, user, area):
    profile = user.coordinator_profile
    coordinator_save(
        user=user,
        tier=profile.tier,
        areas=[area],
        affiliation=profile.affiliation,
        active_from=profile.active_from,
    )


EDITORS = {
    "user_admin": move_in_user_admin,
    "coordinator_admin": move_in_coordinator_admin,
    "coordinator_save": move_with_the_service,
}


def affiliation_rows(report) -> set[str]:
    return {row[0].text for row in report.tables[0].rows[:-1]}


def case_texts(report) -> str:
    return " ".join(cell.text for row in report.tables[0].rows for cell in row)


@pytest.mark.parametrize("editor", EDITORS)
def test_every_editor_moves_the_coordinator_for_policy_reports_and_import(
    client, admin_user, report_year, areas, kita2_coordinator, editor
):
    user = kita2_coordinator
    kita1_visit = report_year["activities"]["a1"]
    kita1_case = report_year["activities"]["a3"]
    before = build_report("functions", fiscal_year=FY, area=areas["kita1"], fetched_by=user)
    assert "北区第2地域包括支援センター" not in affiliation_rows(before)
    assert not activities_visible_to(user).filter(pk=kita1_visit.pk).exists()

    EDITORS[editor](client, admin_user, user, areas["kita1"])

    user.refresh_from_db()
    assert set(user.areas.values_list("code", flat=True)) == {"27127-1"}
    assert set(areas_served_by(user).values_list("code", flat=True)) == {"27127-1"}
    # The policy: 第1圏域's activities and council, no longer 第2圏域's council.
    assert activities_visible_to(user).filter(pk=kita1_visit.pk).exists()
    councils = set(councils_visible_to(user).values_list("name", flat=True))
    assert "北区第1圏域 支え合い会議" in councils
    assert "北区第2圏域 支え合い会議" not in councils
    # The reports: the 所属 now serves 第1圏域, and reads its case examples.
    after = build_report("functions", fiscal_year=FY, area=areas["kita1"], fetched_by=user)
    assert "北区第2地域包括支援センター" in affiliation_rows(after)
    cases = build_report("cases", fiscal_year=FY, area=None, fetched_by=user)
    assert kita1_case.heard in case_texts(cases)
    # The import: a row of this coordinator without an area lands in 第1圏域.
    out = io.StringIO()
    csv.writer(out).writerows(
        [
            ["日付", "コーディネーター", "圏域", "種別", "機能"],
            ["2024/5/7", user.username, "", "訪問", "実態把握"],
        ]
    )
    result = activities_import(out.getvalue().encode("utf-8"), filename="a.csv", dry_run=False)
    assert result.errors == []
    assert Activity.objects.get(date="2024-05-07").area == areas["kita1"]


def test_the_profile_has_no_areas_of_its_own():
    assert "areas" not in {f.name for f in Coordinator._meta.get_fields()}


def test_the_coordinator_admin_shows_the_users_areas_and_links_to_the_user(
    client, admin_user, profiles
):
    client.force_login(admin_user)
    profile = profiles["kita1"]

    html = client.get(f"/admin/coordinators/coordinator/{profile.pk}/change/").content.decode()
    listing = client.get("/admin/coordinators/coordinator/").content.decode()

    selected = re.search(r'<select name="areas".*?</select>', html, re.S).group(0)
    assert re.search(rf'<option value="{profile.user.areas.get().pk}" selected>', selected)
    assert f'href="/admin/portal/user/{profile.user_id}/change/"' in html
    assert "北区 第1圏域" in listing


@pytest.mark.parametrize("editor", ["user_admin", "coordinator_admin"])
def test_both_admin_forms_refuse_areas_of_the_other_tier(
    client, admin_user, profiles, areas, kita2_coordinator, editor
):
    client.force_login(admin_user)
    if editor == "user_admin":
        url = f"/admin/portal/user/{kita2_coordinator.pk}/change/"
        data = user_form_data(client, url, kita2_coordinator, areas=[str(areas["kita"].pk)])
    else:
        url = f"/admin/coordinators/coordinator/{profiles['kita2'].pk}/change/"
        data = form_data(client.get(url), areas=[str(areas["kita"].pk)])

    response = client.post(url, data)

    assert response.status_code == 200
    assert "第2層のコーディネーターの担当区域は第2層の区域から選んでください" in (
        response.content.decode()
    )
    assert set(kita2_coordinator.areas.values_list("code", flat=True)) == {"27127-2"}


def test_a_new_profile_in_the_admin_sets_the_users_areas(client, admin_user, areas, affiliations):
    from portal.roles import GROUP_COORDINATOR

    newcomer = make_user("newcomer", GROUP_COORDINATOR, is_staff=True)
    client.force_login(admin_user)
    data = form_data(
        client.get("/admin/coordinators/coordinator/add/"),
        user=str(newcomer.pk),
        tier="2",
        areas=[str(areas["minato1"].pk)],
        affiliation=str(affiliations["minato"].pk),
        active_from=ACTIVE_FROM.isoformat(),
    )

    response = client.post("/admin/coordinators/coordinator/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Coordinator.objects.get(user=newcomer).tier == 2
    assert set(areas_served_by(newcomer).values_list("code", flat=True)) == {"27107-1"}


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_a_profiles_areas_onto_a_user_without_areas():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("coordinators", "0001_initial")], [("coordinators", "0002_areas_on_the_user")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        Area, User = old.get_model("portal", "Area"), old.get_model("portal", "User")
        Affiliation = old.get_model("coordinators", "Affiliation")
        Coordinator = old.get_model("coordinators", "Coordinator")
        kita = Area.objects.create(tier=1, code="27127", name="北区")
        minato = Area.objects.create(tier=1, code="27107", name="港区")
        affiliation = Affiliation.objects.create(name="社協")
        bare, kept = User.objects.create(username="bare"), User.objects.create(username="kept")
        kept.areas.set([minato])  # what the policy read: it stays
        for user in (bare, kept):
            profile = Coordinator.objects.create(
                user=user, tier=1, affiliation=affiliation, active_from=ACTIVE_FROM
            )
            profile.areas.set([kita])

        executor = MigrationExecutor(connection)
        executor.migrate(after)

        new = executor.loader.project_state(after).apps.get_model("portal", "User")
        assert list(new.objects.get(username="bare").areas.values_list("code", flat=True)) == [
            "27127"
        ]
        assert list(new.objects.get(username="kept").areas.values_list("code", flat=True)) == [
            "27107"
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
