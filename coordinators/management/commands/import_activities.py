"""manage.py import_activities PATH [--dry-run] (DESIGN.md: Contract)."""

from __future__ import annotations

from portal.sheets.commands import SheetImportCommand


class Command(SheetImportCommand):
    kind = "activities"
    help = (
        "生活支援コーディネーターの活動記録を CSV（UTF-8・Shift_JIS）や Excel（.xlsx）から取り込みます。"
        "1行でも問題があれば何も書き込まず、行と列を示して終了コード 1 で終わります。"
    )
