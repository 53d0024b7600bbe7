"""The shared import pages (portal.sheets.views): upload → preview → confirm → done,
the same for every kind the apps register, with the file waiting in private storage."""

from __future__ import annotations

import os
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coordinators.models import Activity
from councils.models import Council, Meeting
from portal.sheets import sheet_kind, sheet_kinds
from portal.sheets.uploads import UPLOAD_DIR, upload_keep, upload_read
from resources.models import Resource

KINDS = {
    "resources": (
        "/staff/import/",
        "名称,区\r\nあおぞらサロン,北区\r\n",
        lambda: Resource.objects.count(),
    ),
    "activities": (
        "/staff/imports/activities/",
        "日付,所属,圏域,種別,機能\r\nR4.6.1,北区社会福祉協議会,北区,相談,個別支援\r\n",
        lambda: Activity.objects.count(),
    ),
    "councils": (
        "/staff/imports/councils/",
        "協議体の設置状況\r\n区名,協議体開催時期\r\n北区,令和4年4月\r\n",
        lambda: Council.objects.count(),
    ),
}


def uploads(settings) -> list:
    folder = settings.PRIVATE_MEDIA_ROOT / UPLOAD_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


def upload(client, url: str, text: str):
    return client.post(url, {"file": SimpleUploadedFile("list.csv", text.encode("cp932"))})


def counts(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-count="(\w+)">([\d,]+)<', html))


def test_each_app_registers_its_kind_with_the_engine():
    assert {kind.slug for kind in sheet_kinds()} >= set(KINDS)
    for slug, (url, _text, _count) in KINDS.items():
        kind = sheet_kind(slug)
        kwargs = {"kind": slug} if "imports" in url else {}
        assert reverse(kind.pages, kwargs=kwargs) == url
        assert kind.columns.anchor in kind.columns.importable_keys


@pytest.mark.parametrize("slug", list(KINDS))
def test_every_kind_goes_upload_preview_confirm_done(client, city_staff, areas, settings, slug):
    url, text, written = KINDS[slug]
    client.force_login(city_staff)
    page = client.get(url).content.decode()
    assert "読み取れる列" in page and str(sheet_kind(slug).title) in page

    response = upload(client, url, text)
    assert response.status_code == 302 and response["Location"] == url + "preview/"
    stored = uploads(settings)
    assert len(stored) == 1 and stored[0].read_bytes() == text.encode("cp932")
    assert not any(settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else True

    preview = client.get(url + "preview/").content.decode()
    assert counts(preview) == {"new": "1", "updated": "0", "unchanged": "0", "errors": "0"}
    assert "取り込む（新規 1件・更新 0件）" in preview
    assert written() == 0

    done = client.post(url + "preview/", {"action": "confirm"})
    assert done.status_code == 302 and done["Location"] == url + "done/"
    assert written() == 1
    assert uploads(settings) == []  # removed once imported
    assert "新規 1件・更新 0件を登録しました" in client.get(done["Location"]).content.decode()
    if slug == "councils":
        assert Meeting.objects.get().date.isoformat() == "2022-04-01"
    assert client.get(url + "preview/")["Location"] == url


@pytest.mark.parametrize("slug", list(KINDS))
def test_every_kind_answers_404_to_others(client, kita_coordinator, slug):
    url = KINDS[slug][0]
    client.force_login(kita_coordinator)
    for page in ("", "preview/", "done/"):
        assert client.get(url + page).status_code == 404


def test_a_kind_is_served_only_at_its_own_app_urls(client, city_staff):
    client.force_login(city_staff)

    assert client.get("/staff/imports/resources/").status_code == 404
    assert client.get("/staff/imports/nothing/").status_code == 404


def test_the_session_keeps_the_name_of_the_file_not_its_bytes(client, city_staff, areas):
    client.force_login(city_staff)
    upload(client, "/staff/import/", KINDS["resources"][1])

    state = client.session["sheets:resources"]

    assert set(state) == {"upload", "filename", "mapping"}
    assert state["filename"] == "list.csv" and state["upload"].endswith(".upload")
    assert "あおぞら" not in str(dict(client.session))


def test_cancel_removes_the_file(client, city_staff, areas, settings):
    client.force_login(city_staff)
    upload(client, "/staff/imports/councils/", KINDS["councils"][1])

    response = client.post("/staff/imports/councils/preview/", {"action": "cancel"})

    assert response["Location"] == "/staff/imports/councils/"
    assert uploads(settings) == []
    assert Council.objects.count() == 0


def test_stale_uploads_are_removed_on_the_next_upload_and_fresh_ones_kept(
    client, city_staff, areas, settings
):
    stale, fresh = upload_keep(b"old"), upload_keep(b"new")
    folder = settings.PRIVATE_MEDIA_ROOT / UPLOAD_DIR
    two_days_ago = time.time() - 2 * 86400
    os.utime(folder / stale, (two_days_ago, two_days_ago))
    client.force_login(city_staff)

    upload(client, "/staff/import/", KINDS["resources"][1])

    assert upload_read(stale) is None
    assert upload_read(fresh) == b"new"
    assert len(uploads(settings)) == 2


def test_a_preview_whose_file_has_gone_starts_again(client, city_staff, areas, settings):
    client.force_login(city_staff)
    upload(client, "/staff/import/", KINDS["resources"][1])
    for path in uploads(settings):
        path.unlink()

    assert client.get("/staff/import/preview/")["Location"] == "/staff/import/"
    assert "sheets:resources" not in client.session


@pytest.mark.parametrize("name", ["", "../settings.py", "a/b.upload", "x.upload"])
def test_only_names_the_engine_made_are_read(name):
    assert upload_read(name) is None


def test_the_records_kinds_offer_the_column_assignment_too(client, city_staff, areas):
    client.force_login(city_staff)
    upload(
        client,
        "/staff/imports/activities/",
        "活動した日,所属,圏域,種別,機能\r\nR4.6.1,北区社協,北区,相談,個別支援\r\n",
    )
    preview = client.get("/staff/imports/activities/preview/").content.decode()
    assert "日付の列がありません" in preview and 'id="column-mapping"' in preview

    client.post("/staff/imports/activities/preview/", {"action": "remap", "col-0": "date"})
    client.post("/staff/imports/activities/preview/", {"action": "confirm"})

    assert Activity.objects.get().affiliation.name == "北区社協"
