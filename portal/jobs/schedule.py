"""Periodic jobs: registered in one line, enqueued once per period by the worker.

An app registers a periodic job from its ``AppConfig.ready()``::

    periodic_register("resources.recheck_mail", every=timedelta(days=1), run=recheck_mail_send)

``schedule_tick()`` — run every ``SCHEDULE_TICK_SECONDS`` by ``manage.py
db_worker`` (a thread beside the worker) or by ``manage.py run_schedule`` —
enqueues each job whose current period has no run yet. The period's slot is a
row (``PeriodicRun``, unique by name and slot), written in the same transaction
as the task: a doubled tick (two workers) enqueues it once, and a missed one (no
worker for a day) runs it once when a worker is back, not once per missed
period. ``run`` itself must be idempotent (it may run again after a failure),
and gets no arguments.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

EPOCH = datetime(2000, 1, 3, tzinfo=timezone.get_fixed_timezone(9 * 60))  # a Monday, 0:00 JST


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    run: Callable[[], object]
    # Where in the period it falls due: every=1 day, offset=6 hours is 6:00 daily.
    offset: timedelta = timedelta(0)

    def slot(self, now: datetime) -> datetime:
        """The start of the period ``now`` is in."""
        periods = (now - EPOCH - self.offset) // self.every
        return EPOCH + self.offset + periods * self.every


_PERIODIC: dict[str, Periodic] = {}


def periodic_register(
    name: str, *, every: timedelta, run: Callable[[], object], offset: timedelta = timedelta(0)
) -> None:
    """Run ``run()`` once every ``every`` (again: the latest registration wins)."""
    if every <= timedelta(0):
        raise ValueError("every must be positive")
    _PERIODIC[name] = Periodic(name, every, run, offset)


def periodic_jobs() -> list[Periodic]:
    return list(_PERIODIC.values())


def schedule_tick(now: datetime | None = None) -> list[str]:
    """Enqueue the periodic jobs due now; returns their names."""
    from portal.jobs.tasks import periodic_run
    from portal.models import PeriodicRun

    now = now or timezone.now()
    enqueued = []
    for periodic in periodic_jobs():
        slot = periodic.slot(now)
        if PeriodicRun.objects.filter(name=periodic.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=periodic.name, slot=slot)
                periodic_run.using(queue_name=settings.JOBS_QUEUE).enqueue(
                    periodic.name, slot.isoformat()
                )
        except IntegrityError:
            continue  # another worker's tick was first
        enqueued.append(periodic.name)
    return enqueued


def periodic_execute(name: str, slot: str) -> str:
    """Run one periodic job for one period (the task ``periodic_run``)."""
    from portal.models import Job, PeriodicRun

    periodic = _PERIODIC.get(name)
    runs = PeriodicRun.objects.filter(name=name, slot=datetime.fromisoformat(slot))
    if periodic is None:
        runs.update(state=Job.State.FAILED, error="not registered", finished_at=timezone.now())
        return Job.State.FAILED
    runs.update(state=Job.State.RUNNING)
    try:
        periodic.run()
    except Exception as exc:
        logger.exception("periodic job %s failed", name)
        runs.update(state=Job.State.FAILED, error=repr(exc)[:2000], finished_at=timezone.now())
        return Job.State.FAILED
    runs.update(state=Job.State.DONE, finished_at=timezone.now())
    return Job.State.DONE
