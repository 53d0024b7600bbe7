from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.address_points import load_address_points
from portal.models import Area


class Command(BaseCommand):
    help = (
        "町丁の代表点を e-Stat 小地域 または 位置参照情報（大字・町丁目）の CSV から読み込みます。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path: str, **options):
        wards = {area.name: area for area in Area.objects.tier1()}
        try:
            count = load_address_points(path, areas_by_ward=wards)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"町丁 {count} 件を読み込みました。"))
