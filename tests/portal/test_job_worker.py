"""Jobs through a real worker process: the embedded backend (``manage.py db_worker``)
and Redis (RQ, ``manage.py rqworker``); a worker killed in the middle of a job.

The worker reads the test database (a file for SQLite: tests/conftest.py) and the
test's private storage through the environment, as a deployment's would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.jobs.service import STALE_ERROR, job_retry, job_start
from portal.models import Job, PeriodicRun
from tests.portal.job_kinds import SLOW, register
from tests.resources.test_print_pdf import pdf_pages_text

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
WORKER_SCRIPT = (
    "import sys, django; django.setup();"
    "from tests.portal.job_kinds import register; register();"
    "from django.core.management import call_command;"
    "call_command(*sys.argv[1:])"
)


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test flushes the tables after it: put back what the
    migrations seed (categories, role groups), as the browser tests do."""
    from portal.roles import ensure_role_groups
    from resources.reference import seed_reference_data

    seed_reference_data()
    ensure_role_groups()


@pytest.fixture
def queue(settings):
    """A queue of this test's own, so that other test runs on the same Redis or
    database never take its jobs."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    settings.JOBS_QUEUE = name
    return name


def use_database_backend(settings, queue: str) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [queue]}}


def redis_url() -> str:
    import redis

    url = settings.TASKS_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not answering at {url}: CI must run the RQ tests")
        pytest.skip(f"Redis is not answering at {url}")
    return url


def use_rq_backend(settings, queue: str) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}}
    settings.RQ_QUEUES = {queue: {"URL": redis_url(), "DEFAULT_TIMEOUT": 300}}


def worker_env(queue: str, backend: str, **extra) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "JOBS_QUEUE": queue,
        "TASKS_BACKEND": backend,
        "TASKS_REDIS_URL": settings.TASKS_REDIS_URL,
        "JOB_HEARTBEAT_SECONDS": "0.3",
        "DEBUG": "0",
    }
    env.pop("TEST_DATABASE_NAME", None)
    env.update(extra)
    return env


def run_worker(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", WORKER_SCRIPT, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def wait_for(predicate, timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def city(areas, public_salon, staff_only_cafe, minato_salon):
    return areas


def booklet_through_the_page(client, city_staff) -> Job:
    client.force_login(city_staff)
    response = client.post("/staff/booklet/", {"variant": "public"})
    job = Job.objects.get()
    assert response["Location"] == f"/staff/jobs/{job.pk}/"
    assert client.get(response["Location"] + "?format=json").json()["state"] == "queued"
    return job


def assert_booklet_offered(client, job: Job) -> None:
    data = client.get(f"/staff/jobs/{job.pk}/?format=json").json()
    assert data["state"] == "done" and data["done"] == data["total"] == 2, data
    pdf = b"".join(client.get(data["result_url"]).streaming_content)
    text = "\n".join(pdf_pages_text(pdf))
    assert "北区 地域資源マップ" in text and "港区 地域資源マップ" in text


def test_the_database_worker_makes_the_booklet(client, city, city_staff, settings, queue):
    use_database_backend(settings, queue)
    job = booklet_through_the_page(client, city_staff)
    done = run_worker(
        worker_env(queue, "database"),
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--queue-name",
        queue,
        "--no-schedule",
    )
    assert done.returncode == 0, done.stderr
    assert_booklet_offered(client, job)


def test_an_rq_worker_makes_the_booklet(client, city, city_staff, settings, queue):
    use_rq_backend(settings, queue)
    job = booklet_through_the_page(client, city_staff)
    done = run_worker(worker_env(queue, "rq"), "rqworker", queue, "--burst")
    assert done.returncode == 0, done.stderr
    assert_booklet_offered(client, job)


def test_a_worker_killed_mid_job_leaves_a_failed_job_that_can_be_retried(
    client, city_staff, settings, queue
):
    use_database_backend(settings, queue)
    register()
    job = job_start(SLOW, user=city_staff, label="ゆっくりの一覧", params={"steps": 40})
    env = worker_env(queue, "database")
    worker_args = (
        "--no-startup-delay",
        "--queue-name",
        queue,
        "--interval",
        "0.1",
        "--no-schedule",
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER_SCRIPT, "db_worker", *worker_args, "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: Job.objects.get(pk=job.pk).done >= 3, what="the job to start")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING and 3 <= job.done < 40
    assert list(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.part"))  # the half-written file

    settings.JOB_STALE_SECONDS = 1
    time.sleep(1.5)
    client.force_login(city_staff)
    data = client.get(f"/staff/jobs/{job.pk}/?format=json").json()
    assert data["state"] == "failed" and data["error"] == STALE_ERROR
    assert data["result_url"] is None
    assert not [p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()]
    assert "もう一度作る" in client.get(f"/staff/jobs/{job.pk}/").content.decode()

    settings.JOB_STALE_SECONDS = 90
    job_retry(Job.objects.get(pk=job.pk))
    Job.objects.filter(pk=job.pk).update(params={"steps": 2, "pause": 0})
    done = run_worker(
        env, "db_worker", "--batch", "--no-startup-delay", "--queue-name", queue, "--no-schedule"
    )
    assert done.returncode == 0, done.stderr
    data = client.get(f"/staff/jobs/{job.pk}/?format=json").json()
    assert data["state"] == "done" and data["result_url"]
    assert b"".join(client.get(data["result_url"]).streaming_content) == b"step 1\nstep 2\n"


def test_the_database_worker_runs_the_schedule(settings, queue):
    use_database_backend(settings, queue)
    done = run_worker(
        worker_env(queue, "database"),
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--queue-name",
        queue,
    )
    assert done.returncode == 0, done.stderr
    runs = {run.name: run.state for run in PeriodicRun.objects.all()}
    assert runs == {**runs, "jobs.expire": "done", "jobs.fail_stale": "done"}
