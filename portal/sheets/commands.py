"""The base of every ``manage.py import_*`` command of a sheet (DESIGN.md: Contract).

A command names its kind (``kind = "activities"``) and its help; the arguments
and the report are the same for all: ``PATH [--dry-run] [--force]
[--skip-invalid] [--column 見出し=項目] [--user LOGIN]``, the file's format and
header row, warnings (20 unless ``-v 2``), problems by row and column, and exit
status 1 when nothing was written because of a problem.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.models import User
from portal.sheets.kinds import SheetKind, sheet_kind
from portal.sheets.results import SheetResult
from portal.sheets.runner import sheet_import_path

WARNINGS_SHOWN = 20


class SheetImportCommand(BaseCommand):
    kind = ""  # the slug of a registered SheetKind

    def sheet_kind(self) -> SheetKind:
        found = sheet_kind(self.kind)
        if found is None:
            raise CommandError(f"取込の種類「{self.kind}」は登録されていません。")
        return found

    def add_arguments(self, parser):
        keys = ", ".join(self.sheet_kind().columns.importable_keys)
        parser.add_argument("path", help="取り込むファイル")
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで書き込みません")
        parser.add_argument(
            "--force",
            action="store_true",
            help="登録済みの半数を超える行が変わる取込も、確認なしで行います",
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
            help=f"知らない見出しの列を割り当てます（項目: {keys}、空で取り込まない）",
        )
        parser.add_argument("--user", help="記録者・履歴に残す利用者名（ログイン名）")

    def run_import(self, path: str, **kwargs) -> SheetResult:
        return sheet_import_path(self.sheet_kind().run, path, **kwargs)

    def column_options(self, items: list[str]) -> dict[int | str, str]:
        """``--column 見出し=項目`` options as a header → column mapping."""
        keys = self.sheet_kind().columns.importable_keys
        mapping: dict[int | str, str] = {}
        for item in items:
            header, sep, key = item.partition("=")
            if not sep or (key and key not in keys):
                raise CommandError(f"--column は「見出し=項目」で指定してください: {item}")
            mapping[header.strip()] = key.strip()
        return mapping

    def user_option(self, username: str | None) -> User | None:
        """The ``--user`` the import is recorded as, if given."""
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"利用者「{username}」はいません。")
        return user

    def handle(self, *args, path: str, dry_run: bool, force: bool, skip_invalid: bool, **options):
        mapping = self.column_options(options["column"])
        user = self.user_option(options.get("user"))
        try:
            result = self.run_import(
                path,
                dry_run=dry_run,
                force=force,
                skip_invalid=skip_invalid,
                mapping=mapping,
                user=user,
            )
        except OSError as exc:
            raise CommandError(f"ファイルを開けません: {exc}") from exc
        self.report(
            result,
            path=path,
            dry_run=dry_run,
            force=force,
            skip_invalid=skip_invalid,
            verbosity=options["verbosity"],
        )

    def report(
        self,
        result: SheetResult,
        *,
        path: str,
        dry_run: bool,
        force: bool,
        skip_invalid: bool,
        verbosity: int,
    ) -> None:
        if verbosity >= 1:
            where = result.kind.upper()
            if result.kind == "csv":
                where += "（Shift_JIS）" if result.encoding == "cp932" else "（UTF-8）"
            if result.header_row:
                where += f"、見出しは{result.header_row}行目"
            self.stdout.write(f"{path}: {where}、{result.rows_total:,}行")
        shown = result.warnings if verbosity >= 2 else result.warnings[:WARNINGS_SHOWN]
        for problem in shown:
            self.stderr.write(f"注意 {problem}")
        if len(shown) < len(result.warnings):
            more = len(result.warnings) - len(shown)
            self.stderr.write(f"注意 …ほか {more:,}件（-v 2 ですべて表示）")
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
            rows = len({p.row for p in result.errors})
            self.stdout.write(f"問題のあった {rows}行は飛ばしました。")
