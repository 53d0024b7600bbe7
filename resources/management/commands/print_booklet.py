"""manage.py print_booklet [--area CODE] [--tier 1|2|all] [--staff] -o PATH."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.models import Area
from portal.pdf import safe_filename
from resources.printing import booklet_areas, booklet_viewer, write_area_booklet


class Command(BaseCommand):
    help = (
        "区域ごとの地域資源マップ（地図と番号つき一覧）をPDFで書き出します。"
        "既定は市全体（第1層の区域ごとに1ファイル）、--area で1区域だけ。"
        "件数の上限はありません（画面からの印刷は上限があります）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", metavar="CODE", help="この区域（区域コード）だけを作ります")
        parser.add_argument(
            "--tier",
            choices=("1", "2", "all"),
            default="1",
            help="市全体のとき、どの層の区域ごとに作るか（既定 1、all は区とその圏域）",
        )
        parser.add_argument(
            "--staff",
            action="store_true",
            help="関係者用: 関係者限定の地域資源と項目を含めます（各ページに「関係者限定」）",
        )
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="PATH",
            help="出力先。複数の区域ならフォルダ、1区域なら .pdf のファイル名も可",
        )

    def handle(self, *args, area=None, tier="1", staff=False, output="", **options):
        try:
            areas = booklet_areas(area, tier)
        except Area.DoesNotExist:
            raise CommandError(f"区域コード「{area}」の区域はありません。") from None
        if not areas:
            raise CommandError(
                "区域が登録されていません（load_demo か管理画面で登録してください）。"
            )
        target = Path(output)
        single_file = len(areas) == 1 and target.suffix.lower() == ".pdf"
        folder = target.parent if single_file else target
        folder.mkdir(parents=True, exist_ok=True)
        user = booklet_viewer(staff=staff)
        params = None
        if staff:
            from django.http import QueryDict

            params = QueryDict("staff=1")
        quiet = options["verbosity"] == 0
        started = time.perf_counter()
        total_rows = total_bytes = 0
        for index, each in enumerate(areas, start=1):
            path = target if single_file else folder / safe_filename(f"{each.code}_{each.label}")
            began = time.perf_counter()
            rows, size = write_area_booklet(each, path, user=user, params=params)
            total_rows += rows
            total_bytes += size
            if not quiet:
                self.stdout.write(
                    f"[{index}/{len(areas)}] {each.label}（{each.code}）: {rows}件 → {path} "
                    f"({size / 1024:,.0f} KB, {time.perf_counter() - began:.1f}秒)"
                )
        if not quiet:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(areas)}区域・{total_rows:,}件を {folder} に書き出しました "
                    f"（{total_bytes / 1024 / 1024:.1f} MB, {time.perf_counter() - started:.1f}秒）。"
                )
            )
