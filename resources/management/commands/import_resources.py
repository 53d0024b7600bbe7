"""manage.py import_resources PATH [--dry-run] (DESIGN.md: Contract)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.models import User
from resources.importing import IMPORTABLE_KEYS, resources_import_path


class Command(BaseCommand):
    help = (
        "地域資源を CSV（UTF-8・Shift_JIS）や Excel（.xlsx）から取り込みます。"
        "1行でも問題があれば何も書き込まず、行と列を示して終了コード 1 で終わります。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="取り込むファイル")
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで書き込みません")
        parser.add_argument(
            "--force",
            action="store_true",
            help="登録済みの半数を超える資源が変わる取込も、確認なしで行います",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="問題のある行を飛ばし、ほかの行を取り込みます（既定は全部か無しか）",
        )
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="見出し=項目",
            help=f"知らない見出しの列を割り当てます（項目: {', '.join(IMPORTABLE_KEYS)}、空で取り込まない）",
        )
        parser.add_argument("--user", help="履歴に残す利用者名（ログイン名）")

    def handle(self, *args, path: str, dry_run: bool, force: bool, skip_invalid: bool, **options):
        mapping: dict[int | str, str] = {}
        for item in options["column"]:
            header, sep, key = item.partition("=")
            if not sep or (key and key not in IMPORTABLE_KEYS):
                raise CommandError(f"--column は「見出し=項目」で指定してください: {item}")
            mapping[header.strip()] = key.strip()
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"利用者「{options['user']}」はいません。")
        try:
            result = resources_import_path(
                path,
                dry_run=dry_run,
                force=force,
                skip_invalid=skip_invalid,
                mapping=mapping,
                user=user,
            )
        except OSError as exc:
            raise CommandError(f"ファイルを開けません: {exc}") from exc
        verbosity = options["verbosity"]
        if verbosity >= 1:
            where = result.kind.upper()
            if result.kind == "csv":
                where += "（Shift_JIS）" if result.encoding == "cp932" else "（UTF-8）"
            if result.header_row:
                where += f"、見出しは{result.header_row}行目"
            self.stdout.write(f"{path}: {where}、{result.rows_total:,}行")
        for problem in result.warnings if verbosity >= 2 else result.warnings[:20]:
            self.stderr.write(f"注意 {problem}")
        if verbosity < 2 and len(result.warnings) > 20:
            self.stderr.write(f"注意 …ほか {len(result.warnings) - 20:,}件（-v 2 ですべて表示）")
        for problem in result.errors:
            self.stderr.write(self.style.ERROR(f"問題 {problem}"))
        if result.errors and not skip_invalid:
            raise CommandError(
                f"{len(result.errors):,}件の問題があるため、何も書き込みませんでした。"
                f"（確認の結果: {result.summary()}）"
            )
        if result.needs_confirmation and not force and not dry_run:
            raise CommandError(result.confirmation + " 取り込むには --force を付けてください。")
        prefix = "確認のみ（書き込んでいません）" if dry_run else "取り込みました"
        self.stdout.write(
            self.style.SUCCESS(f"{prefix}: {result.summary()}（{result.seconds:.1f}秒）")
        )
        if result.errors:
            self.stdout.write(
                f"問題のあった {len({p.row for p in result.errors})}行は飛ばしました。"
            )
