"""What a worker does with one job.

``job_execute(job_id, attempt)`` claims the job (queued → running, for that
attempt only), runs its kind with a ``JobContext`` and records the outcome. The
context keeps the job's heartbeat: a thread writes it every
``JOB_HEARTBEAT_SECONDS`` with the latest progress, from its own database
connection, so that the page sees progress even while the job's own work holds
a transaction (an import), and a job whose worker was killed stops beating and
is marked failed (``service.jobs_fail_stale``). A result file is written under a
temporary name and renamed when the job succeeds: a half-written file is never
offered. Every write is conditional on the job still being this attempt and
running: a worker thought dead cannot bring back a job already failed or retried.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from portal.jobs.kinds import JobError, job_kind
from portal.jobs.storage import job_folder, results_root
from portal.models import Job
from portal.pdf import safe_filename

logger = logging.getLogger(__name__)

UNEXPECTED_ERROR = gettext_noop(
    "作成中に思わぬエラーが起きました。もう一度お試しください。続くときは管理者に連絡してください。"
)
UNKNOWN_KIND_ERROR = gettext_noop("この種類の作成は、もう行えません。")
# With RQ the worker may see the task before the request's transaction commits.
CLAIM_WAIT_SECONDS = 10.0


class JobContext:
    """The running job as its kind sees it: parameters, progress, the result file."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._lock = threading.Lock()
        self._pending: dict = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._result: tuple[str, str, int] | None = None  # name, filename, size
        self._progress = {"done": 0, "total": 0, "stage": ""}
        self.abandoned = False

    # The parts of the job a kind reads.
    @property
    def params(self) -> dict:
        return self.job.params

    @property
    def user(self):
        return self.job.user

    def _mine(self):
        return Job.objects.filter(pk=self.job.pk, attempt=self.job.attempt, state=Job.State.RUNNING)

    # Progress and heartbeat ------------------------------------------------

    def progress(self, done: int, total: int | None = None, stage: str = "") -> None:
        """``done`` of ``total`` (in the kind's unit), and a stage (a Japanese
        msgid, shown through gettext: 「PDFを書き出しています」)."""
        if self.abandoned:
            raise JobAbandoned(self.job.pk)
        fields: dict = {"done": max(0, int(done)), "stage": stage[:100]}
        if total is not None:
            fields["total"] = max(0, int(total))
        with self._lock:
            self._pending.update(fields)
            self._progress.update(fields)
        if self._thread is None:
            self._flush()
        else:
            self._wake.set()

    def _flush(self) -> bool:
        with self._lock:
            fields, self._pending = self._pending, {}
        try:
            alive = self._mine().update(heartbeat_at=timezone.now(), **fields)
        except Exception:  # a locked SQLite database: the next beat tries again
            logger.debug("job %s: heartbeat not written", self.job.pk, exc_info=True)
            with self._lock:
                self._pending = {**fields, **self._pending}
            return True
        if not alive:
            self.abandoned = True
        return bool(alive)

    def _beat(self) -> None:
        interval = settings.JOB_HEARTBEAT_SECONDS
        try:
            while not self._stop.is_set():
                self._wake.wait(interval)
                self._wake.clear()
                if not self._flush():
                    break  # failed or retried meanwhile: nothing more to say
        finally:
            connection.close()

    def __enter__(self) -> JobContext:
        if settings.JOB_HEARTBEAT_SECONDS > 0:
            self._thread = threading.Thread(
                target=self._beat, name=f"job-{self.job.pk}-heartbeat", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._thread is not None:
            self._stop.set()
            self._wake.set()
            self._thread.join(timeout=30)
            self._thread = None

    # The result --------------------------------------------------------------

    @contextlib.contextmanager
    def result_file(self, filename: str) -> Iterator[Path]:
        """A path to write the result to. It becomes the job's result only when
        the block ends without an exception; until then it has a temporary name."""
        folder = job_folder(self.job.pk)
        folder.mkdir(parents=True, exist_ok=True)
        suffix = Path(filename).suffix or ".bin"
        final = folder / f"{secrets.token_urlsafe(12)}{suffix}"
        partial = final.with_name(final.name + ".part")
        try:
            yield partial
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, final)
        name = str(final.relative_to(results_root()))
        self._result = (name, safe_filename(Path(filename).stem, suffix), final.stat().st_size)

    def result_data(self, data: dict) -> None:
        """Small results the job page shows (an import's counts)."""
        self.job.result_data = data

    # The end -----------------------------------------------------------------

    def finish(self) -> bool:
        name, filename, size = self._result or ("", "", 0)
        total = self._progress["total"] or self._progress["done"]
        done = self._mine().update(
            state=Job.State.DONE,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
            done=total,
            total=total,
            stage="",
            result_name=name,
            result_filename=filename,
            result_size=size,
            result_data=self.job.result_data or {},
        )
        if not done and name:
            (results_root() / name).unlink(missing_ok=True)
        return bool(done)

    def discard(self) -> None:
        if self._result:
            (results_root() / self._result[0]).unlink(missing_ok=True)
            self._result = None

    def fail(self, message: str) -> bool:
        self.discard()
        return bool(
            self._mine().update(
                state=Job.State.FAILED,
                finished_at=timezone.now(),
                error=message[:2000],
                result_name="",
            )
        )


class JobAbandoned(Exception):
    """The job is no longer this worker's (failed as stale, or retried): stop."""


def _claim(job_id: int, attempt: int) -> Job | None:
    deadline = time.monotonic() + CLAIM_WAIT_SECONDS
    while True:
        now = timezone.now()
        claimed = Job.objects.filter(pk=job_id, attempt=attempt, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING, started_at=now, heartbeat_at=now
        )
        if claimed:
            return Job.objects.select_related("user").get(pk=job_id)
        if Job.objects.filter(pk=job_id).exists() or time.monotonic() > deadline:
            return None  # already run, retried as a newer attempt, or deleted
        time.sleep(0.2)
        close_old_connections()


def job_execute(job_id: int, attempt: int = 1) -> str:
    """Run one attempt of a job; returns its final state ("skipped" if not ours)."""
    job = _claim(job_id, attempt)
    if job is None:
        return "skipped"
    kind = job_kind(job.kind)
    context = JobContext(job)
    if kind is None:
        context.fail(UNKNOWN_KIND_ERROR)
        return Job.State.FAILED
    language = job.params.get("language") or settings.LANGUAGE_CODE
    try:
        with context, translation.override(language):
            kind.run(context)
    except JobAbandoned:
        logger.warning("job %s: abandoned (failed or retried while it ran)", job.pk)
        context.discard()
        return "abandoned"
    except JobError as exc:
        context.fail(str(exc))
        return Job.State.FAILED
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        context.fail(UNEXPECTED_ERROR)
        return Job.State.FAILED
    context.finish()
    return Job.State.DONE
