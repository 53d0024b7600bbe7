"""Large imports as jobs: preview and write in the worker, one import of a kind at a time."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.jobs.service import job_start
from portal.models import Job, User
from portal.roles import GROUP_CITY_STAFF
from portal.sheets.jobs import rows_estimate
from resources.models import Resource
from tests.conftest import make_user
from tests.resources.import_files import csv_bytes, salon_workbook
from tests.resources.test_import_page import counts

UPLOAD_URL = "/staff/import/"
PREVIEW_URL = "/staff/import/preview/"
SALONS = csv_bytes(
    [["名称", "住所"], ["あおぞら", "大阪市北区梅田1丁目"], ["ひだまり", "大阪市北区"]]
)


@pytest.fixture
def large(settings):
    settings.IMPORT_JOB_ROWS = 2  # the test files here are "large"


@pytest.fixture
def second_admin(db) -> User:
    return make_user("city2", GROUP_CITY_STAFF, is_staff=True, display_name="二人目 職員")


def upload(client, data: bytes, name: str):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data)})


def test_rows_are_estimated_without_reading_the_file():
    assert rows_estimate(csv_bytes([["名称"]] + [[f"会{n}"] for n in range(50)])) in (51, 52)
    assert rows_estimate(salon_workbook()) == 7  # its last row (title rows sit above the header)
    assert rows_estimate(b"not a spreadsheet") == 1


def test_a_large_file_is_previewed_and_written_by_jobs(
    client,
    city_staff,
    town_blocks,
    large,
):
    client.force_login(city_staff)
    response = upload(client, salon_workbook(), "salons.xlsx")
    preview_job = Job.objects.get()
    assert response["Location"] == f"/staff/jobs/{preview_job.pk}/"
    assert preview_job.kind == "sheet-preview" and preview_job.state == Job.State.DONE
    assert preview_job.done == preview_job.total >= 3  # rows, counted as they were checked
    page = client.get(response["Location"]).content.decode()
    assert "取込の確認: salons.xlsx" in page and 'href="/staff/import/preview/"' in page
    assert "salons.xlsx を開く" not in page  # nothing to download: the preview is a page

    preview = client.get(PREVIEW_URL)
    assert counts(preview) == {"new": "3", "updated": "0", "unchanged": "0", "errors": "0"}
    assert "梅田ふれあいサロン" in preview.content.decode()
    assert Resource.objects.count() == 0

    response = client.post(PREVIEW_URL, {"action": "confirm"})
    write_job = Job.objects.get(kind="sheet-import")
    assert response["Location"] == f"/staff/jobs/{write_job.pk}/"
    assert write_job.state == Job.State.DONE and Resource.objects.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "新規 3件、更新 0件、変更なし 0件" in page
    assert "別のファイルを取り込む" in page


def test_a_second_import_while_one_runs_is_refused_naming_the_first(
    client, city_staff, second_admin, areas, large, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    first = job_start(
        "sheet-import",
        user=city_staff,
        label="取込: salons.csv",
        params={"kind": "resources"},
        exclusive_key="sheet:resources",
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(second_admin)
    page = client.get(UPLOAD_URL).content.decode()
    assert "市 職員さんが" in page and "「取込: salons.csv」が実行中です" in page

    upload(client, SALONS, "salons.csv")
    assert Job.objects.get(kind="sheet-preview").state == Job.State.DONE
    response = client.post(PREVIEW_URL, {"action": "confirm"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "市 職員さんが" in body and "「取込: salons.csv」が実行中です" in body
    assert Job.objects.filter(kind="sheet-import").get() == first
    assert Resource.objects.count() == 0


def test_a_small_import_waits_for_a_running_one_too(
    client, city_staff, second_admin, areas, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    job_start(
        "sheet-import",
        user=city_staff,
        label="取込: big.csv",
        params={"kind": "resources"},
        exclusive_key="sheet:resources",
    )
    client.force_login(second_admin)
    upload(client, SALONS, "small.csv")
    body = client.post(PREVIEW_URL, {"action": "confirm"}).content.decode()
    assert "「取込: big.csv」が実行中です" in body
    assert Resource.objects.count() == 0


def test_the_same_file_previewed_twice_at_once_is_refused(
    client, city_staff, second_admin, areas, large, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    client.force_login(city_staff)
    upload(client, SALONS, "salons.csv")  # queued: no worker here
    client.force_login(second_admin)
    response = upload(client, SALONS, "salons.csv")
    body = response.content.decode()
    assert response.status_code == 200 and "市 職員さんが" in body
    assert "「取込の確認: salons.csv」が実行中です" in body
    assert Job.objects.count() == 1


def test_another_admin_cannot_see_the_preview_job(
    client, city_staff, kita_coordinator, areas, large
):
    client.force_login(city_staff)
    upload(client, SALONS, "salons.csv")
    job = Job.objects.get()
    client.force_login(kita_coordinator)
    assert client.get(f"/staff/jobs/{job.pk}/").status_code == 404
