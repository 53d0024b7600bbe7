"""manage.py send_recheck_requests [--dry-run] [--area CODE] [-o DIR]: the
verification cycle's requests, reminders and 要確認 marks (resources/recheck.py).

The 確認票 go where the daily run keeps them (private storage, listed for the
area's coordinators on /staff/resource-checks/) unless ``-o`` names a folder."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.models import Area
from resources.recheck import recheck_folder, recheck_run


class Command(BaseCommand):
    help = "確認の依頼と督促を送り、メールのない団体の確認票PDFを書き出します。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="送らずに件数だけ表示")
        parser.add_argument("--area", help="区域コード（その区域と下の圏域だけ）")
        parser.add_argument(
            "-o",
            "--output",
            default=None,
            help="確認票PDFを書くフォルダ（省略時は非公開の保存場所。スタッフのページに出ます）",
        )

    def handle(self, *args, dry_run: bool, area: str | None, output: str | None, **options):
        chosen = None
        if area:
            chosen = Area.objects.filter(code=area).first()
            if chosen is None:
                raise CommandError(f"区域コード「{area}」の区域はありません。")
        out_dir = Path(output) if output else recheck_folder(timezone.localdate())
        result = recheck_run(area=chosen, dry_run=dry_run, out_dir=out_dir)
        prefix = "（試行・何も送っていません）" if dry_run else ""
        self.stdout.write(prefix + result.summary())
        for path in result.pdfs:
            self.stdout.write(str(path))
