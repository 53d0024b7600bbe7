"""Starting, retrying, expiring jobs, and noticing the ones whose worker died."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from portal.jobs.kinds import job_kind
from portal.jobs.storage import job_files_delete, results_root
from portal.models import Job

logger = logging.getLogger(__name__)

# Stored in Japanese (the msgid); the pages show it through gettext.
STALE_ERROR = gettext_noop(
    "作成の途中で処理が止まりました（作業用のプロセスが停止したか、応答がありません）。"
    "「もう一度作る」で作り直せます。"
)
ORPHAN_FILE_AGE = timedelta(days=1)


class JobConflict(Exception):
    """A job with the same exclusive key is queued or running: ``holder``."""

    def __init__(self, holder: Job | None) -> None:
        super().__init__(f"job {holder.pk if holder else '?'} is active")
        self.holder = holder


def job_active(exclusive_key: str) -> Job | None:
    """The queued or running job holding ``exclusive_key``, if any."""
    jobs_fail_stale()
    return (
        Job.objects.filter(exclusive_key=exclusive_key, state__in=Job.ACTIVE)
        .select_related("user")
        .first()
    )


def _enqueue(job: Job) -> None:
    from portal.jobs.tasks import job_run

    job_run.using(queue_name=settings.JOBS_QUEUE).enqueue(job.pk, job.attempt)


def job_start(
    kind: str,
    *,
    user,
    label: str,
    params: dict | None = None,
    exclusive_key: str | None = None,
) -> Job:
    """A new job of ``kind``, queued for the worker.

    Raises ``JobConflict`` (with the job that holds it) when a job with the same
    ``exclusive_key`` is queued or running: the database's constraint decides, so
    two requests at the same moment cannot both start one.
    """
    if job_kind(kind) is None:
        raise ValueError(f"unknown job kind {kind!r}")
    if exclusive_key:
        jobs_fail_stale()
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                label=label[:200],
                user=user if getattr(user, "pk", None) else None,
                params=params or {},
                exclusive_key=exclusive_key or "",
            )
            # With the database backend the task row commits with the job; with
            # RQ the worker may see the task first and waits for the row.
            _enqueue(job)
    except IntegrityError:
        if not exclusive_key:
            raise
        raise JobConflict(job_active(exclusive_key)) from None
    return job


def job_retry(job: Job) -> Job:
    """A failed job queued again as a new attempt (same row, same page).

    Raises ``JobConflict`` when another job took its exclusive key meanwhile."""
    if job.state != Job.State.FAILED:
        return job
    try:
        with transaction.atomic():
            updated = Job.objects.filter(pk=job.pk, state=Job.State.FAILED).update(
                state=Job.State.QUEUED,
                attempt=job.attempt + 1,
                done=0,
                total=0,
                stage="",
                error="",
                result_data={},
                started_at=None,
                finished_at=None,
                heartbeat_at=None,
                created_at=timezone.now(),
            )
            job.refresh_from_db()
            if updated:
                _enqueue(job)
    except IntegrityError:
        raise JobConflict(job_active(job.exclusive_key or "")) from None
    return job


def jobs_fail_stale(now=None) -> int:
    """Running jobs whose heartbeat stopped (the worker was killed or stopped) are
    failed, so that they can be retried; their unfinished files are removed."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    stale = Job.objects.filter(state=Job.State.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at=None, started_at__lt=cutoff)
    )
    ids = list(stale.values_list("pk", flat=True))
    if not ids:
        return 0
    count = (
        Job.objects.filter(pk__in=ids, state=Job.State.RUNNING)
        .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at=None, started_at__lt=cutoff))
        .update(state=Job.State.FAILED, error=STALE_ERROR, finished_at=now, result_name="")
    )
    for pk in ids:
        _remove_partial_files(pk)
    if count:
        logger.warning("jobs: %d stale job(s) marked failed: %s", count, ids)
    return count


def _remove_partial_files(job_id: int) -> None:
    folder = results_root() / str(job_id)
    if folder.is_dir():
        for path in folder.glob("*.part"):
            path.unlink(missing_ok=True)


def jobs_expire(now=None) -> int:
    """Finished jobs older than ``JOB_RESULT_DAYS`` go, with their files; so do
    the queue's own finished task rows and periodic runs of that age, and files
    no job row owns any more (a job deleted by hand)."""
    from portal.models import PeriodicRun

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.JOB_RESULT_DAYS)
    old = Job.objects.exclude(state__in=Job.ACTIVE).filter(
        Q(finished_at__lt=cutoff) | Q(finished_at=None, created_at__lt=cutoff)
    )
    ids = list(old.values_list("pk", flat=True))
    for pk in ids:
        job_files_delete(pk)
    Job.objects.filter(pk__in=ids).delete()
    PeriodicRun.objects.filter(created_at__lt=cutoff).delete()
    _expire_task_rows(cutoff)
    _remove_orphan_folders(now)
    return len(ids)


def _expire_task_rows(cutoff) -> None:
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()


def _remove_orphan_folders(now) -> None:
    root = results_root()
    if not root.is_dir():
        return
    known = {str(pk) for pk in Job.objects.values_list("pk", flat=True)}
    for folder in root.iterdir():
        if folder.name in known or not folder.name.isdigit() or not folder.is_dir():
            continue
        if now.timestamp() - folder.stat().st_mtime > ORPHAN_FILE_AGE.total_seconds():
            job_files_delete(int(folder.name))
