"""manage.py import_councils PATH [--dry-run] (DESIGN.md: Contract)."""

from __future__ import annotations

from portal.sheets.commands import SheetImportCommand


class Command(SheetImportCommand):
    kind = "councils"
    help = (
        "協議体の設置状況（区名・事業開始時期・協議体設置時期・新設・既設・既存の会議体・協議体開催時期）を"
        " CSV や Excel から取り込み、開催時期に書かれた月ごとに会議を記録します。"
        "1行でも問題があれば何も書き込まず、行と列を示して終了コード 1 で終わります。"
    )
