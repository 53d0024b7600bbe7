from __future__ import annotations

from django.core.management.base import BaseCommand

from demo.city import DemoBuilder, demo_credentials
from portal.models import Area


class Command(BaseCommand):
    help = "デモ自治体（大阪市24区、第2層圏域、地域資源約1,500件、デモ利用者）を読み込みます。何度実行しても同じ結果です。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="区域が1件でもあれば何もしません（make run 用）"
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and Area.objects.exists():
            self.stdout.write("区域が登録済みのため、デモデータの読み込みを省略しました。")
            return
        summary = DemoBuilder(stdout=self.stdout if options["verbosity"] else None).build()
        self.stdout.write(
            self.style.SUCCESS(
                f"デモ自治体を読み込みました: 区域 {summary['areas']}、町丁 {summary['address_points']}、"
                f"地域資源 {summary['resources']}（今回追加 {summary['resources_created']}）"
            )
        )
        self.stdout.write("デモ用ログイン（ユーザー名 / パスワード / 役割）:")
        for username, password, label in demo_credentials():
            self.stdout.write(f"  {username} / {password} / {label}")
