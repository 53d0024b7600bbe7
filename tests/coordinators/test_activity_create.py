"""/staff/activities/new/: the quick activity form a coordinator fills in after a visit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coordinators.models import Activity, Affiliation
from coordinators.services import coordinator_save
from tests.conftest import make_resource

URL = "/staff/activities/new/"


def form_data(area, **overrides):
    data = {
        "date": timezone.localdate().isoformat(),
        "kind": "visit",
        "functions": ["assessment"],
        "count": "1",
        "area": str(area.pk),
        "source": "salon",
        "heard": "買い物できる店を知りたい",
        "response": "地域情報マップを案内",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_care_manager_gets_404(client, care_manager):
    client.force_login(care_manager)

    assert client.get(URL).status_code == 404
    assert client.post(URL, {}).status_code == 404


def test_the_form_starts_with_today_my_area_and_one(client, profiles, kita1):
    client.force_login(profiles["kita1"].user)

    response = client.get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["date"] == timezone.localdate()
    assert form.initial["area"] == kita1.pk
    assert form.initial["count"] == 1
    html = response.content.decode()
    assert "活動を記録" in html
    assert 'value="visit"' in html
    # A tier-2 coordinator is not offered 2層支援 (a tier-1 function).
    assert 'value="tier2"' not in html


def test_a_tier2_coordinator_logs_a_visit_linked_to_a_resource_as_a_case_example(
    client, profiles, kita1, public_salon
):
    client.force_login(profiles["kita1"].user)

    response = client.post(
        URL, form_data(kita1, resources=[str(public_salon.pk)], is_case_example="on")
    )

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.kind == "visit"
    assert activity.function_codes == ["assessment"]
    assert activity.area == kita1
    assert list(activity.resources.all()) == [public_salon]
    assert activity.is_case_example
    assert activity.coordinator == profiles["kita1"]
    assert activity.affiliation.name == "北区第1地域包括支援センター"
    assert activity.created_by == profiles["kita1"].user
    assert "記録しました" in client.get(response["Location"]).content.decode()


def test_the_resource_can_come_from_the_link(client, profiles, public_salon):
    client.force_login(profiles["kita1"].user)

    response = client.get(f"{URL}?resource={public_salon.pk}")

    assert response.context["form"].initial["resources"] == [public_salon.pk]


def test_save_and_continue_returns_to_an_empty_form(client, profiles, kita1):
    client.force_login(profiles["kita1"].user)

    response = client.post(URL, {**form_data(kita1), "again": "1"})

    assert response["Location"] == URL


@pytest.mark.parametrize("count", ["0", "10000", "-1", "abc"])
def test_a_count_of_0_or_10000_is_refused_keeping_what_was_typed(client, profiles, kita1, count):
    client.force_login(profiles["kita1"].user)

    response = client.post(URL, form_data(kita1, count=count))

    assert response.status_code == 200
    assert not Activity.objects.exists()
    html = response.content.decode()
    assert "延件数は1〜999の数で入力してください。" in html
    assert "買い物できる店を知りたい" in html
    assert "地域情報マップを案内" in html


def test_an_area_the_coordinator_does_not_serve_is_refused(client, profiles, kita1, minato1):
    client.force_login(profiles["kita1"].user)

    response = client.post(URL, form_data(minato1))

    assert response.status_code == 200
    assert not Activity.objects.exists()
    html = response.content.decode()
    assert "担当区域ではないため、活動を記録できません" in html
    assert "買い物できる店を知りたい" in html


def test_the_service_refuses_an_area_outside_even_without_the_form(profiles, minato1):
    from django.core.exceptions import ValidationError

    from coordinators.services import activity_log

    with pytest.raises(ValidationError) as error:
        activity_log(
            created_by=profiles["kita1"].user,
            coordinator=profiles["kita1"],
            kind="visit",
            functions=["assessment"],
            area=minato1,
        )
    assert "担当区域ではない" in str(error.value.message_dict["area"])


def test_a_future_date_is_refused(client, profiles, kita1):
    client.force_login(profiles["kita1"].user)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(URL, form_data(kita1, date=tomorrow.isoformat()))

    assert not Activity.objects.exists()
    assert "未来の日付は入力できません" in response.content.decode()


def test_a_tier2_coordinator_cannot_choose_tier2_support(client, profiles, kita1):
    client.force_login(profiles["kita1"].user)

    response = client.post(URL, form_data(kita1, functions=["tier2"]))

    assert not Activity.objects.exists()
    assert response.status_code == 200
    assert "functions" in response.context["form"].errors


def test_a_tier1_coordinator_logs_tier2_support_in_a_tier2_area(client, profiles, kita2):
    client.force_login(profiles["kita"].user)

    response = client.post(URL, form_data(kita2, kind="meeting", functions=["tier2", "network"]))

    assert response.status_code == 302
    assert sorted(Activity.objects.get().function_codes) == ["network", "tier2"]


def test_a_function_is_required(client, profiles, kita1):
    client.force_login(profiles["kita1"].user)

    response = client.post(URL, form_data(kita1, functions=[]))

    assert "機能を1つ以上選んでください。" in response.content.decode()


def test_a_coordinator_without_a_profile_is_told_to_ask_for_one(client, kita1_coordinator):
    client.force_login(kita1_coordinator)

    response = client.get(URL)

    assert "コーディネーターとして登録されていない" in response.content.decode()
    assert client.post(URL, {}).status_code == 200
    assert not Activity.objects.exists()


def test_a_date_outside_the_profile_period_is_refused(client, profiles, kita1):
    profile = profiles["kita1"]
    coordinator_save(
        user=profile.user,
        tier=2,
        areas=[kita1],
        affiliation=Affiliation.objects.get(name="北区第1地域包括支援センター"),
        active_from=timezone.localdate() - timedelta(days=10),
    )
    client.force_login(profile.user)
    old = timezone.localdate() - timedelta(days=30)

    response = client.post(URL, form_data(kita1, date=old.isoformat()))

    assert not Activity.objects.exists()
    assert "活動期間" in response.content.decode()


def test_the_form_offers_only_resources_of_my_areas(client, profiles, public_salon, minato_salon):
    client.force_login(profiles["kita1"].user)

    choices = list(client.get(URL).context["form"].fields["resources"].queryset)

    assert public_salon in choices
    assert minato_salon not in choices


def test_linking_a_resource_of_another_area_is_refused(client, profiles, kita1, minato_salon):
    client.force_login(profiles["kita1"].user)

    response = client.post(URL, form_data(kita1, resources=[str(minato_salon.pk)]))

    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_an_ended_resource_is_not_offered(client, profiles, kita1):
    ended = make_resource(name="終わった会", area=kita1, area_locked=True, status="ended")
    client.force_login(profiles["kita1"].user)

    assert ended not in list(client.get(URL).context["form"].fields["resources"].queryset)
