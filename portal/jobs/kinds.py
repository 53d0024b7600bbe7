"""Kinds of job, registered by the apps that own them (as sheet kinds are)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from portal.jobs.running import JobContext
    from portal.models import Job


class JobError(Exception):
    """A job that cannot be done, said in Japanese for the person who asked for it."""


DEFAULT_UNIT = pgettext_lazy("progress unit", "件")


def _no_links(job: Job) -> list[tuple[str, str]]:
    return []


@dataclass(frozen=True)
class JobKind:
    """One kind of job.

    ``run(context)`` does the work in the worker: it reports progress with
    ``context.progress(done, total)``, writes its file with
    ``context.result_file(name)`` and raises ``JobError`` with a Japanese message
    for a job that cannot be done. ``links(job)`` are the (label, URL) pairs the
    job page offers when it is done (besides the file, when ``download``).
    """

    slug: str
    title: Any  # a (lazily) translated string
    run: Callable[[JobContext], None]
    unit: Any = DEFAULT_UNIT  # 「12 / 24 区域」
    download: bool = True  # the result file is offered on the job page
    links: Callable[[Job], list[tuple[str, str]]] = _no_links


_KINDS: dict[str, JobKind] = {}


def job_kind_register(kind: JobKind) -> None:
    """Register ``kind`` (again: the latest registration wins, as in a test)."""
    _KINDS[kind.slug] = kind


def job_kind(slug: str) -> JobKind | None:
    return _KINDS.get(slug)


def job_kinds() -> list[JobKind]:
    return list(_KINDS.values())
