from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchConfig(AppConfig):
    """``manage.py bench``: DESIGN.md's performance figures. A development app,
    never imported by the production apps."""

    name = "bench"
    verbose_name = _("性能測定")

    def ready(self) -> None:
        from portal.jobs import JobKind, job_kind_register

        # The smallest job, for the queue's latency (bench/job_figures.py).
        job_kind_register(JobKind(slug="bench-noop", title="bench", run=_noop))


def _noop(context) -> None:
    context.progress(1, 1)
