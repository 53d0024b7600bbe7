"""What import_activities and import_councils share: arguments and the report."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.models import User


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("path", help="取り込むファイル")
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで書き込みません")
        parser.add_argument("--user", help="記録者として残す利用者名（ログイン名）")

    def run_import(self, path: str, **kwargs):
        raise NotImplementedError

    def handle(self, *args, path: str, dry_run: bool, **options):
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"利用者「{options['user']}」はいません。")
        try:
            result = self.run_import(path, dry_run=dry_run, user=user)
        except OSError as exc:
            raise CommandError(f"ファイルを開けません: {exc}") from exc
        if options["verbosity"] >= 1:
            where = result.kind.upper()
            if result.kind == "csv":
                where += "（Shift_JIS）" if result.encoding == "cp932" else "（UTF-8）"
            if result.header_row:
                where += f"、見出しは{result.header_row}行目"
            self.stdout.write(f"{path}: {where}、{result.rows_total:,}行")
        for problem in result.warnings:
            self.stderr.write(f"注意 {problem}")
        for problem in result.errors:
            self.stderr.write(self.style.ERROR(f"問題 {problem}"))
        if result.errors:
            raise CommandError(
                f"{len(result.errors):,}件の問題があるため、何も書き込みませんでした。"
            )
        prefix = "確認のみ（書き込んでいません）" if dry_run else "取り込みました"
        self.stdout.write(self.style.SUCCESS(f"{prefix}: {result.summary()}"))
