"""Background jobs: work that takes longer than a request, with progress a user sees.

The interface is Django's task framework (the ``django-tasks`` backport of
Django 6's ``django.tasks``: ``from django_tasks import task``), so the code moves
to Django 6 unchanged. The queue only carries a ``Job`` id (``portal.models.Job``);
the row is what the pages read: who started it, its kind and label, its state
(queued → running → done / failed), progress, the result file in private storage
and the error in Japanese.

- ``kinds``: a kind of job (``JobKind``: how to run it, who may start it, the unit
  of its progress), registered by the app that owns it in ``AppConfig.ready()``;
- ``service``: ``job_start`` (refused with ``JobConflict`` naming the running job
  when one with the same exclusive key is active), ``job_retry``, stale jobs
  (a worker killed mid-job) marked failed, expiry after ``JOB_RESULT_DAYS``;
- ``running``: what a worker does with a job: claim it, a heartbeat, progress,
  the result written under a temporary name and renamed only on success;
- ``schedule``: periodic jobs the worker enqueues once per period
  (``periodic_register(name, every=..., run=...)``);
- ``policy``: who sees which job (their own; city staff all), ``views``: the job
  page, its JSON and the result download.

``portal`` imports no app: apps register their kinds and periodic jobs here.
"""

from __future__ import annotations

from portal.jobs.kinds import JobError, JobKind, job_kind, job_kind_register, job_kinds
from portal.jobs.schedule import Periodic, periodic_jobs, periodic_register

__all__ = [
    "JobError",
    "JobKind",
    "Periodic",
    "job_kind",
    "job_kind_register",
    "job_kinds",
    "periodic_jobs",
    "periodic_register",
]
