from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.address_points import load_address_points
from portal.cache import data_changed
from portal.geo import locator
from portal.models import AddressPoint, Area


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "町丁の代表点を e-Stat 小地域 または 位置参照情報（大字・町丁目）の CSV から読み込みます。"
        "区の名前で区域を決め、決まらない町丁は代表点を含む区域（第2層を優先）にします。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで書き込みません")

    def handle(self, *args, path: str, dry_run: bool = False, **options):
        wards = {area.name: area for area in Area.objects.tier1()}
        try:
            with transaction.atomic():
                count = load_address_points(path, areas_by_ward=wards)
                placed = self._place_by_boundary()
                missing = AddressPoint.objects.filter(area=None).count()
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write(
                f"確認のみ（書き込んでいません）: 町丁 {count} 件、区域の決まらない町丁 {missing} 件"
            )
            return
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        message = f"町丁 {count} 件を読み込みました。"
        if placed:
            message += f"うち {placed} 件は代表点の位置で区域を決めました。"
        if missing:
            message += f"区域の決まらない町丁が {missing} 件あります。"
        self.stdout.write(self.style.SUCCESS(message))

    @staticmethod
    def _place_by_boundary() -> int:
        """町丁 whose ward name matched no area: the area containing their point."""
        points = list(AddressPoint.objects.filter(area=None))
        if not points:
            return 0
        index = locator()  # the areas as of this load (it moved the data version)
        for point in points:
            point.area_id = index.area_containing(point.lat, point.lng)
        placed = [p for p in points if p.area_id]
        AddressPoint.objects.bulk_update(placed, ["area"], batch_size=500)
        data_changed()
        return len(placed)
