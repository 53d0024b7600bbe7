from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from demo.city import WARDS_FILE, DemoBuilder, demo_credentials
from demo.kawaguchi import DemoError, KawaguchiBuilder, kawaguchi_credentials, other_city_areas
from portal.models import Area

CITIES = {
    # name: (builder, credentials, what it is)
    "osaka": (DemoBuilder, demo_credentials, "大阪市（24区が第1層、その第2層圏域）"),
    "kawaguchi": (KawaguchiBuilder, kawaguchi_credentials, "川口市（市が第1層、20の日常生活圏域）"),
}


class Command(BaseCommand):
    help = (
        "デモ自治体を読み込みます: 大阪市（既定。24区、第2層圏域、地域資源約1,500件、デモ利用者）"
        "または --city kawaguchi で川口市（市全体が第1層、20圏域、地域資源約700件）。"
        "何度実行しても同じ結果です。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="区域が1件でもあれば何もしません（make run 用）"
        )
        parser.add_argument(
            "--city",
            choices=sorted(CITIES),
            default="osaka",
            help="読み込むデモ自治体（osaka: 大阪市、kawaguchi: 川口市）",
        )

    def handle(self, *args, if_empty: bool = False, city: str = "osaka", **options):
        if if_empty and Area.objects.exists():
            self.stdout.write("区域が登録済みのため、デモデータの読み込みを省略しました。")
            return
        builder_class, credentials, label = CITIES[city]
        if city == "osaka":
            wards = json.loads(WARDS_FILE.read_text(encoding="utf-8"))["features"]
            others = other_city_areas({f["properties"]["N03_007"] for f in wards})
            if others:
                raise CommandError(
                    f"このデータベースにはほかの自治体の区域（{'、'.join(others)}）があります。"
                    "大阪市のデモは、空のデータベースに読み込んでください。"
                )
        try:
            summary = builder_class(stdout=self.stdout if options["verbosity"] else None).build()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"デモ自治体 {label} を読み込みました: 区域 {summary['areas']}、"
                f"町丁 {summary['address_points']}、"
                f"地域資源 {summary['resources']}（今回追加 {summary['resources_created']}）"
            )
        )
        self.stdout.write("デモ用ログイン（ユーザー名 / パスワード / 役割）:")
        for username, password, role in credentials():
            self.stdout.write(f"  {username} / {password} / {role}")
