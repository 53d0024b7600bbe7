"""manage.py import_resources PATH [--dry-run] [--force] [--skip-invalid]
[--column 見出し=項目] [--user LOGIN] (DESIGN.md: Contract)."""

from __future__ import annotations

from portal.sheets.commands import SheetImportCommand


class Command(SheetImportCommand):
    kind = "resources"
    help = (
        "地域資源を CSV（UTF-8・Shift_JIS）や Excel（.xlsx）から取り込みます。"
        "1行でも問題があれば何も書き込まず、行と列を示して終了コード 1 で終わります。"
    )
