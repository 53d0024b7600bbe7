"""manage.py import_areas PATH [--tier 1|2] [--parent CODE] [--dry-run]."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resources.importing import areas_import


class Command(BaseCommand):
    help = (
        "区域（第1層・第2層）を境界つきの GeoJSON から読み込みます。"
        "地物ごとに区域コード（code または N03_007）と名称（name または N03_004）、"
        "第2層は親の区域コード（parent）が必要です。同じコードの区域は更新します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--tier", type=int, choices=[1, 2], help="tier のない地物の層")
        parser.add_argument(
            "--parent", default="", help="parent のない第2層の地物の親（第1層の区域コード）"
        )
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで書き込みません")

    def handle(self, *args, path: str, tier: int | None, parent: str, dry_run: bool, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"ファイルを開けません: {exc}") from exc
        result = areas_import(data, tier=tier, parent=parent, dry_run=dry_run)
        for problem in result.errors:
            self.stderr.write(self.style.ERROR(f"問題 {problem}"))
        if result.errors:
            raise CommandError(
                f"{len(result.errors)}件の問題があるため、何も書き込みませんでした。"
            )
        prefix = "確認のみ（書き込んでいません）" if dry_run else "区域を読み込みました"
        self.stdout.write(self.style.SUCCESS(f"{prefix}: {result.summary()}"))
