"""manage.py export_resources --format csv|xlsx|hsds [--public-only] -o PATH."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resources import hsds
from resources.exporting import registry_export


class Command(BaseCommand):
    help = (
        "地域資源を書き出します。csv（UTF-8 BOM 付き）・xlsx はすべての状態の資源を、"
        "取込（import_resources）でそのまま読み戻せる列で書き出します。"
        "hsds は HSDS 3.0 の JSON で、公開の資源と公開の項目だけです。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=["csv", "xlsx", "hsds", "kayoinoba", "jichitai"],
            default="csv",
            help="kayoinoba: 厚生労働省 通いの場のオープンデータの形式、"
            "jichitai: 自治体標準オープンデータセットの形式（どちらも公開の資源だけ）",
        )
        parser.add_argument(
            "--public-only",
            action="store_true",
            help="だれでも見られる資源と項目だけにします（関係者限定を除く）",
        )
        parser.add_argument(
            "-o", "--output", required=True, help="書き出すファイル（- で標準出力）"
        )

    def handle(self, *args, format: str, public_only: bool, output: str, **options):
        if format == "hsds":
            items = hsds.services(hsds.public_resources().order_by("pk"))
            page = {
                "total_items": len(items),
                "total_pages": 1 if items else 0,
                "page_number": 1,
                "size": len(items),
                "first_page": True,
                "last_page": True,
                "empty": not items,
                "contents": items,
            }
            content = json.dumps(page, ensure_ascii=False, indent=1).encode("utf-8")
            count = len(items)
        elif format in ("kayoinoba", "jichitai"):
            from resources import opendata_layouts

            writer = {
                "kayoinoba": opendata_layouts.kayoinoba_csv,
                "jichitai": opendata_layouts.jichitai_csv,
            }[format]
            content = writer()
            count = None
        else:
            exported = registry_export(fmt=format, public_only=public_only)
            content = exported.content
            count = None
        if output == "-":
            if format == "xlsx":
                raise CommandError(
                    "xlsx は標準出力に書き出せません。-o でファイル名を指定してください。"
                )
            sys.stdout.buffer.write(content)
            return
        try:
            Path(output).write_bytes(content)
        except OSError as exc:
            raise CommandError(f"書き出せません: {exc}") from exc
        detail = f"{count:,}件、" if count is not None else ""
        self.stdout.write(
            self.style.SUCCESS(f"{output} に書き出しました（{detail}{len(content):,} バイト）。")
        )
