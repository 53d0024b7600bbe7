"""manage.py db_worker: django-tasks-db's worker, and the schedule beside it.

The same command and options as the package's (``--batch`` drains the queue and
exits, ``--queue-name``, ``--interval``, ``--reload``…); it also runs the
periodic jobs' schedule (``portal.jobs.schedule``) in a thread, every
``SCHEDULE_TICK_SECONDS``, so that a city needs no cron for them. ``--batch``
enqueues what is due once before it drains. ``--no-schedule`` leaves the
schedule to another process (``manage.py run_schedule``).
"""

from __future__ import annotations

import logging
import os
import threading

from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from portal.jobs.schedule import schedule_tick

logger = logging.getLogger(__name__)
SCHEDULE_TICK_SECONDS = 30


def _tick_safely() -> None:
    try:
        schedule_tick()
    except Exception:  # a locked or unreachable database: the next tick tries again
        logger.exception("schedule: tick failed")
    finally:
        connection.close()


def schedule_thread(
    stop: threading.Event, every: float = SCHEDULE_TICK_SECONDS
) -> threading.Thread:
    def loop() -> None:
        while not stop.is_set():
            _tick_safely()
            stop.wait(every)

    thread = threading.Thread(target=loop, name="schedule", daemon=True)
    thread.start()
    return thread


class Command(DatabaseWorkerCommand):
    help = (
        "バックグラウンドの作業（冊子・大きな印刷・取込）を実行し、定期ジョブを予定どおりに依頼します。"
        "--batch は待っている作業を済ませて終わります。"
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="定期ジョブの予定を扱いません（別のプロセスで manage.py run_schedule を動かすとき）",
        )

    def handle(self, *args, no_schedule: bool = False, **options) -> None:
        reloading = options.get("reload") and not options.get("batch")
        # Under the autoreloader only the child process (the one that works) ticks.
        main_process = not reloading or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        if not no_schedule and main_process:
            if options.get("batch"):
                _tick_safely()
            else:
                schedule_thread(threading.Event())
        super().handle(*args, **options)
