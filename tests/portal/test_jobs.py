"""The job kernel (portal/jobs): starting, progress, results, failures, expiry, scoping."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from portal.jobs import JobError, JobKind, job_kind_register
from portal.jobs.running import job_execute
from portal.jobs.service import (
    STALE_ERROR,
    JobConflict,
    job_retry,
    job_start,
    jobs_expire,
    jobs_fail_stale,
)
from portal.models import Job

CALLS: list[str] = []


def write_three_steps(context) -> None:
    for step in range(1, 4):
        context.progress(step, 3, "書いています")
    with context.result_file("結果の一覧.pdf") as path:
        path.write_bytes(b"%PDF-1.7 three steps")
    context.result_data({"summary": "3件を書きました"})


def fail_politely(context) -> None:
    raise JobError("区域が登録されていません。")


def break_halfway(context) -> None:
    with context.result_file("途中.pdf") as path:
        path.write_bytes(b"%PDF half")
        raise RuntimeError("disk full")


@pytest.fixture(autouse=True)
def kinds():
    job_kind_register(JobKind(slug="test-write", title="試し", run=write_three_steps, unit="段"))
    job_kind_register(JobKind(slug="test-fail", title="試し", run=fail_politely))
    job_kind_register(JobKind(slug="test-break", title="試し", run=break_halfway))


@pytest.fixture
def queued_only(settings):
    """The database backend with no worker running: jobs stay queued."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": [settings.JOBS_QUEUE],
        }
    }


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_job_reports_progress_and_keeps_its_file_in_private_storage(city_staff, settings):
    job = job_start("test-write", user=city_staff, label="試しの一覧")
    job.refresh_from_db()
    assert job.state == Job.State.DONE and (job.done, job.total) == (3, 3)
    assert job.result_filename == "結果の一覧.pdf" and job.result_size == 20
    stored = files_under(Path(settings.PRIVATE_MEDIA_ROOT))
    assert [p.read_bytes() for p in stored] == [b"%PDF-1.7 three steps"]
    assert not files_under(Path(settings.MEDIA_ROOT))


def test_the_page_and_json_show_the_progress(client, city_staff, queued_only):
    job = job_start("test-write", user=city_staff, label="試しの一覧")
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, done=12, total=24, heartbeat_at=timezone.now()
    )
    client.force_login(city_staff)
    data = client.get(f"/staff/jobs/{job.pk}/?format=json").json()
    assert data == {
        **data,
        "state": "running",
        "done": 12,
        "total": 24,
        "percent": 50,
        "label": "12 / 24 段",
        "result_url": None,
        "error": None,
    }
    page = client.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert "12 / 24 段" in page and 'value="50"' in page
    # Without JavaScript the page refreshes itself; with it, job.js polls.
    assert '<noscript><meta http-equiv="refresh"' in page and "js/job.js" in page


def test_a_finished_page_offers_the_file_and_stops_refreshing(client, city_staff):
    job = job_start("test-write", user=city_staff, label="試しの一覧")
    client.force_login(city_staff)
    page = client.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert "結果の一覧.pdf を開く" in page and "3件を書きました" in page
    assert "http-equiv" not in page and "js/job.js" not in page
    response = client.get(f"/staff/jobs/{job.pk}/result")
    assert b"".join(response.streaming_content) == b"%PDF-1.7 three steps"
    assert "filename*=UTF-8''%E7%B5%90%E6%9E%9C" in response["Content-Disposition"]


def test_another_coordinators_job_and_file_answer_404(
    client, kita_coordinator, minato_coordinator, city_staff
):
    job = job_start("test-write", user=kita_coordinator, label="北区の一覧")
    urls = [f"/staff/jobs/{job.pk}/", f"/staff/jobs/{job.pk}/?format=json"]
    urls.append(f"/staff/jobs/{job.pk}/result")
    client.force_login(minato_coordinator)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/staff/jobs/{job.pk}/retry/").status_code == 404
    assert client.get("/staff/jobs/999999/").status_code == 404
    client.force_login(kita_coordinator)
    assert all(client.get(url).status_code == 200 for url in urls)
    client.force_login(city_staff)  # city staff see every job
    assert all(client.get(url).status_code == 200 for url in urls)


def test_anonymous_visitors_are_sent_to_the_login(client, city_staff):
    job = job_start("test-write", user=city_staff, label="試し")
    for url in (f"/staff/jobs/{job.pk}/", f"/staff/jobs/{job.pk}/result"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_job_that_cannot_be_done_says_why_in_japanese(client, city_staff):
    job = job_start("test-fail", user=city_staff, label="試し")
    client.force_login(city_staff)
    data = client.get(f"/staff/jobs/{job.pk}/?format=json").json()
    assert data["state"] == "failed" and data["error"] == "区域が登録されていません。"
    page = client.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert "作成できませんでした" in page and "もう一度作る" in page


def test_a_broken_job_leaves_no_half_written_file(client, city_staff, settings):
    job = job_start("test-break", user=city_staff, label="試し")
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and not job.result_name
    assert "思わぬエラー" in job.error
    assert not files_under(Path(settings.PRIVATE_MEDIA_ROOT))
    client.force_login(city_staff)
    assert client.get(f"/staff/jobs/{job.pk}/result").status_code == 404


def test_a_silent_running_job_is_failed_and_can_be_retried(client, city_staff, settings):
    settings.JOB_STALE_SECONDS = 60
    job = job_start("test-write", user=city_staff, label="試し")
    old = timezone.now() - timedelta(seconds=61)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, result_name="", heartbeat_at=old, started_at=old
    )
    client.force_login(city_staff)
    data = client.get(f"/staff/jobs/{job.pk}/?format=json").json()
    assert data["state"] == "failed" and data["error"] == STALE_ERROR
    response = client.post(f"/staff/jobs/{job.pk}/retry/")
    assert response["Location"] == f"/staff/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempt == 2 and job.result_name


def test_a_job_failed_meanwhile_is_not_brought_back_by_its_old_worker(city_staff, queued_only):
    job = job_start("test-write", user=city_staff, label="試し")
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED)
    job_retry(Job.objects.get(pk=job.pk))  # attempt 2 is queued
    assert job_execute(job.pk, attempt=1) == "skipped"
    assert job_execute(job.pk, attempt=2) == Job.State.DONE


def test_a_fresh_heartbeat_is_not_stale(city_staff, settings, queued_only):
    job = job_start("test-write", user=city_staff, label="試し")
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, heartbeat_at=timezone.now(), started_at=timezone.now()
    )
    assert jobs_fail_stale() == 0


def test_an_exclusive_job_is_refused_while_one_is_active(city_staff, kita_coordinator, queued_only):
    first = job_start("test-write", user=city_staff, label="港区の取込", exclusive_key="import")
    with pytest.raises(JobConflict) as conflict:
        job_start("test-write", user=kita_coordinator, label="北区の取込", exclusive_key="import")
    assert conflict.value.holder == first
    job_start("test-write", user=kita_coordinator, label="ほか", exclusive_key="other")
    Job.objects.filter(pk=first.pk).update(state=Job.State.DONE)
    job_start("test-write", user=kita_coordinator, label="北区の取込", exclusive_key="import")


def test_results_are_deleted_after_job_result_days(city_staff, settings):
    settings.JOB_RESULT_DAYS = 7
    old = job_start("test-write", user=city_staff, label="古い")
    recent = job_start("test-write", user=city_staff, label="新しい")
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=7, hours=1))
    Job.objects.filter(pk=recent.pk).update(finished_at=timezone.now() - timedelta(days=6))
    assert jobs_expire() == 1
    assert list(Job.objects.values_list("label", flat=True)) == ["新しい"]
    assert len(files_under(Path(settings.PRIVATE_MEDIA_ROOT))) == 1


def test_the_staff_home_lists_own_finished_jobs_only(client, kita_coordinator, minato_coordinator):
    job_start("test-write", user=kita_coordinator, label="北区の一覧")
    job_start("test-fail", user=kita_coordinator, label="失敗した一覧")
    job_start("test-write", user=minato_coordinator, label="港区の一覧")
    client.force_login(kita_coordinator)
    home = client.get("/staff/").content.decode()
    assert "作成済みの資料" in home and "北区の一覧" in home
    assert "港区の一覧" not in home and "失敗した一覧" not in home


def count_a_run() -> None:
    CALLS.append("run")


def test_a_periodic_job_runs_once_per_period_however_often_the_schedule_ticks(db):
    from portal.jobs import periodic_register
    from portal.jobs.schedule import _PERIODIC, schedule_tick
    from portal.models import PeriodicRun

    CALLS.clear()
    periodic_register("test.count", every=timedelta(hours=1), run=count_a_run)
    try:
        now = timezone.now()
        assert "test.count" in schedule_tick(now)
        assert "test.count" not in schedule_tick(now)  # a doubled tick
        assert "test.count" not in schedule_tick(now + timedelta(seconds=1))
        assert CALLS == ["run"]
        schedule_tick(now + timedelta(hours=1))
        assert CALLS == ["run", "run"]
        # A worker away for five hours: one run when it is back, not five.
        schedule_tick(now + timedelta(hours=6))
        assert CALLS == ["run", "run", "run"]
        runs = PeriodicRun.objects.filter(name="test.count")
        assert runs.count() == 3 and {run.state for run in runs} == {"done"}
    finally:
        _PERIODIC.pop("test.count", None)


def test_the_kernel_registers_its_own_periodic_jobs():
    from portal.jobs import periodic_jobs

    names = {periodic.name for periodic in periodic_jobs()}
    assert {"jobs.fail_stale", "jobs.expire", "sheets.purge_uploads"} <= names
