"""manage.py run_schedule [--once]: the periodic jobs' schedule on its own.

``manage.py db_worker`` already runs it; this is for a deployment whose worker is
another backend's (``TASKS_BACKEND=rq``: ``manage.py rqworker``), or for a
systemd timer with ``--once``. Running it in several places at once does no harm:
each period's run is enqueued once (``portal.jobs.schedule``).
"""

from __future__ import annotations

import threading

from django.core.management.base import BaseCommand

from portal.jobs.schedule import schedule_tick
from portal.management.commands.db_worker import SCHEDULE_TICK_SECONDS, schedule_thread


class Command(BaseCommand):
    help = "定期ジョブ（期限切れの結果の削除、止まったジョブの検出など）を予定どおりに依頼します。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="一度だけ確かめて終わります")
        parser.add_argument(
            "--interval", type=float, default=SCHEDULE_TICK_SECONDS, help="確かめる間隔（秒）"
        )

    def handle(self, *args, once: bool = False, interval: float = SCHEDULE_TICK_SECONDS, **options):
        if once:
            names = schedule_tick()
            if options["verbosity"]:
                self.stdout.write("、".join(names) if names else "予定の定期ジョブはありません。")
            return
        stop = threading.Event()
        thread = schedule_thread(stop, interval)
        try:
            while thread.is_alive():
                thread.join(1)
        except KeyboardInterrupt:
            stop.set()
