"""manage.py import_activities PATH [--dry-run] (DESIGN.md: Contract)."""

from __future__ import annotations

from coordinators.importing import activities_import_path
from coordinators.management.commands._report import ImportCommand


class Command(ImportCommand):
    help = (
        "生活支援コーディネーターの活動記録を CSV（UTF-8・Shift_JIS）や Excel（.xlsx）から取り込みます。"
        "1行でも問題があれば何も書き込まず、行と列を示して終了コード 1 で終わります。"
    )

    def run_import(self, path: str, **kwargs):
        return activities_import_path(path, **kwargs)
