"""The job figures of ``manage.py bench`` (at S): a real ``manage.py db_worker``
process on the bench database, as ``make run`` starts one.

- latency: how long a job waits between being queued and being started by an
  idle worker (``Job.created_at`` → ``started_at``), for small jobs one after
  another; budget p95 ≤ 2 s on the embedded backend;
- booklet: the whole-city booklet as a job (queued → finished, one PDF of every
  ward) against the same booklet by the command's code in this process (one PDF
  per ward); budget: the job no slower than the command;
- search under a job: the search page's p95 from gunicorn (two workers, every
  request searched and rendered: SEARCH_CACHE_SECONDS=0) while the booklet job
  runs, against the same figure idle; budget ≤ 1.5×. That worker runs at the idle
  CPU priority (SCHED_IDLE), as README's systemd unit does: it takes only the CPU
  the web workers leave. The latency and booklet figures use a worker at normal
  priority, the command's own.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import override_settings

from bench.database import database_url
from bench.measure import Check, Context, verdict
from bench.throughput import gunicorn_server, search_paths
from portal.jobs.service import job_start
from portal.models import Job
from resources.printing import booklet_areas, write_area_booklet

# Budgets (DESIGN.md "Performance budgets").
LATENCY_P95_S = 2.0
BOOKLET_RATIO = 1.0
SEARCH_UNDER_JOB_RATIO = 1.5

LATENCY_JOBS = 12  # and one before them, while the worker starts
BUSY_SECONDS_MAX = 180  # stop measuring a job that the busy machine starves
IDLE_SECONDS = 30  # of idle requests before the job, and again after it
WAIT_SECONDS = 300


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def _p50(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _idle_priority() -> None:
    """In the worker before it starts: the CPU only when nothing else wants it."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        os.nice(19)


@contextlib.contextmanager
def database_worker(queue: str, private: str, *, idle: bool = False):
    """``manage.py db_worker`` (as make run starts it) on the bench database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "PRIVATE_MEDIA_ROOT": private,
        "JOBS_QUEUE": queue,
        "TASKS_BACKEND": "database",
        "DEBUG": "0",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", queue, "--no-schedule"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_idle_priority if idle else None,  # runs before the child has threads
    )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _wait(job: Job, worker: subprocess.Popen) -> Job:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        job.refresh_from_db()
        if not job.is_active:
            return job
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the worker did not finish job {job.pk} ({job.state})")
        time.sleep(0.05)


def _get_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


class JobsSection:
    key = "jobs"
    title = "バックグラウンドの作業（db_worker）"

    def run(self, ctx: Context) -> dict | None:
        if ctx.label != "S":
            return None
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
        figures: dict = {}
        with (
            tempfile.TemporaryDirectory() as private,
            override_settings(TASKS=tasks, JOBS_QUEUE=queue, PRIVATE_MEDIA_ROOT=Path(private)),
        ):
            ctx.say("  作業: 待ち時間（db_worker）")
            with database_worker(queue, private) as worker:
                waits = []
                for n in range(LATENCY_JOBS + 1):
                    job = job_start("bench-noop", user=None, label=f"bench {n}")
                    job = _wait(job, worker)
                    if n:  # the first waited for the worker to start
                        waits.append((job.started_at - job.created_at).total_seconds())
                figures["latency"] = {
                    "jobs": len(waits),
                    "p50_s": round(_p50(waits), 3),
                    "p95_s": round(_p95(waits), 3),
                    "max_s": round(max(waits), 3),
                }
                ctx.say("  作業: 市全体の冊子（コマンドと同じ処理）")
                figures["booklet"] = self._booklet(worker)
            ctx.say("  作業: 冊子の作成中の検索（gunicorn 2 workers、作業は SCHED_IDLE）")
            with database_worker(queue, private, idle=True) as worker:
                figures["search"] = self._search_under_job(worker)
            Job.objects.filter(label__startswith="bench").delete()
            Job.objects.filter(kind="booklet", user=None).delete()
        return figures

    def _booklet(self, worker) -> dict:
        areas = booklet_areas()
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            for area in areas:
                write_area_booklet(area, Path(folder) / f"{area.code}.pdf", user=AnonymousUser())
        command = time.perf_counter() - started
        job = job_start("booklet", user=None, label="bench booklet", params={"staff": False})
        job = _wait(job, worker)
        if job.state != Job.State.DONE:
            raise RuntimeError(f"booklet job failed: {job.error}")
        seconds = (job.finished_at - job.created_at).total_seconds()
        return {
            "areas": len(areas),
            "pages": job.result_data.get("pages"),
            "command_s": round(command, 2),
            "job_s": round(seconds, 2),
            "ratio": round(seconds / command, 2) if command else 0.0,
        }

    def _search_under_job(self, worker) -> dict:
        paths = search_paths()
        url = database_url(connection.settings_dict)
        with gunicorn_server(url, {"SEARCH_CACHE_SECONDS": "0"}) as base:
            for path in paths * 2:
                _get_ms(base + path)
            # Idle for a while before and after the job: the machine's other load
            # drifts, and a short idle sample would miss its spikes that a long
            # busy one catches.
            idle = self._requests(base, paths, IDLE_SECONDS)
            job = job_start("booklet", user=None, label="bench booklet", params={"staff": False})
            busy: list[float] = []
            while True:
                job.refresh_from_db()
                if job.state == Job.State.RUNNING or not job.is_active:
                    break
                time.sleep(0.05)
            n, until = 0, time.monotonic() + BUSY_SECONDS_MAX
            while job.is_active and time.monotonic() < until:
                busy.append(_get_ms(base + paths[n % len(paths)]))
                n += 1
                if n % 5 == 0:
                    job.refresh_from_db()
            _wait(job, worker)
            idle += self._requests(base, paths, IDLE_SECONDS)
        return {
            "idle_requests": len(idle),
            "busy_requests": len(busy),
            "idle_p95_ms": round(_p95(idle), 1),
            "busy_p95_ms": round(_p95(busy), 1) if busy else None,
            "ratio": round(_p95(busy) / _p95(idle), 2) if busy else None,
        }

    @staticmethod
    def _requests(base: str, paths: list[str], seconds: float) -> list[float]:
        times, until = [], time.monotonic() + seconds
        while time.monotonic() < until:
            times.append(_get_ms(base + paths[len(times) % len(paths)]))
        return times

    def checks(self, figures: dict | None, ctx: Context) -> list[Check]:
        if not figures:
            return []
        checks = [
            Check("job latency p95", figures["latency"]["p95_s"], LATENCY_P95_S, "<=", "s"),
            Check("booklet job / command", figures["booklet"]["ratio"], BOOKLET_RATIO, "<=", "×"),
        ]
        if figures["search"]["ratio"] is not None:
            checks.append(
                Check(
                    "search p95 under a job / idle",
                    figures["search"]["ratio"],
                    SEARCH_UNDER_JOB_RATIO,
                    "<=",
                    "×",
                )
            )
        return checks

    def render(self, figures: dict | None, ctx: Context, checks: dict[str, Check]) -> list[str]:
        if not figures:
            return []
        latency, booklet, search = figures["latency"], figures["booklet"], figures["search"]
        lines = [
            self.title,
            f"queued → started ({latency['jobs']} jobs, idle worker): p50 {latency['p50_s']:.2f} s  "
            f"p95 {latency['p95_s']:.2f} s {verdict(checks.get('job latency p95'))}  "
            f"max {latency['max_s']:.2f} s",
            f"whole-city booklet ({booklet['areas']} areas, {booklet['pages']} pages): job "
            f"{booklet['job_s']:.1f} s (queued → one PDF), command's code {booklet['command_s']:.1f} s "
            f"(one PDF per area): {booklet['ratio']:.2f}× {verdict(checks.get('booklet job / command'))}",
        ]
        if search["ratio"] is not None:
            lines.append(
                f"search p95 from gunicorn, cold, while the booklet job runs (worker SCHED_IDLE): "
                f"{search['busy_p95_ms']:.1f} ms ({search['busy_requests']} requests) vs idle "
                f"{search['idle_p95_ms']:.1f} ms: {search['ratio']:.2f}× "
                f"{verdict(checks.get('search p95 under a job / idle'))}"
            )
        return lines
