"""manage.py import_resources PATH [--dry-run] [--json] [--mapping FILE.json]
[--skip-outside] [--publish] [--force] [--skip-invalid] [--column 見出し=項目]
[--user LOGIN] (DESIGN.md: Contract).

``--json`` prints one object: rows, new, updated, unchanged, written, layout,
problems [{row, column, message}], unresolved [{column, value, rows}], outside,
warnings (a count). The exit status is 0 when nothing needs a decision.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError

from portal.sheets.commands import SheetImportCommand
from resources.importing.profiles import MappingFileError, mapping_from_json, result_json


class Command(SheetImportCommand):
    kind = "resources"
    help = (
        "地域資源を CSV（UTF-8・Shift_JIS）や Excel（.xlsx）から取り込みます。"
        "1行でも問題があれば何も書き込まず、行と列を示して終了コード 1 で終わります。"
        "公開範囲の列がなければ、新しい資源は関係者限定です（--publish で公開）。"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--json", action="store_true", help="結果を1つの JSON で出力します")
        parser.add_argument(
            "--mapping",
            metavar="FILE.json",
            help='列と値の割り当て（{"columns": {...}, "values": {...}}、取込画面で保存したもの）',
        )
        parser.add_argument(
            "--skip-outside", action="store_true", help="市外の行を飛ばして取り込みます"
        )
        parser.add_argument(
            "--drop-unknown",
            action="store_true",
            help="割り当てのない値を空にして取り込みます（注意として表示、既定は確認待ち）",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="公開範囲の列がないとき、新しい資源を公開にします（既定は関係者限定）",
        )

    def handle(self, *args, path: str, dry_run: bool, force: bool, skip_invalid: bool, **options):
        columns: dict[int | str, str] = {}
        values: dict = {}
        if options.get("mapping"):
            try:
                text = Path(options["mapping"]).read_text(encoding="utf-8-sig")
                columns, values = mapping_from_json(text)
            except OSError as exc:
                raise CommandError(f"割り当てのファイルを開けません: {exc}") from exc
            except MappingFileError as exc:
                raise CommandError(str(exc)) from exc
        columns.update(self.column_options(options["column"]))
        user = self.user_option(options.get("user"))
        try:
            result = self.run_import(
                path,
                dry_run=dry_run,
                force=force,
                skip_invalid=skip_invalid,
                mapping=columns,
                user=user,
                values=values,
                publish=options["publish"],
                skip_outside=options["skip_outside"],
                drop_unknown=options["drop_unknown"],
            )
        except OSError as exc:
            raise CommandError(f"ファイルを開けません: {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(result_json(result), ensure_ascii=False))
            decided = not result.errors or (skip_invalid and result.written)
            if not decided or (result.confirmation and not force and not dry_run):
                sys.exit(1)
            return
        if getattr(result, "layout", "") and options["verbosity"] >= 1:
            self.stdout.write(f"見出しから「{result.layout}」と判断しました。")
        self.report(
            result,
            path=path,
            dry_run=dry_run,
            force=force,
            skip_invalid=skip_invalid,
            verbosity=options["verbosity"],
        )
