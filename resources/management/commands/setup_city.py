"""manage.py setup_city --name NAME --code CODE --outline PATH --chome PATH [--areas TABLE.csv] [--dry-run]."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.models import User
from resources.citysetup import CitySetupResult, city_setup

WARNINGS_SHOWN = 20
ACTIONS = {"new": "新規", "updated": "更新", "unchanged": "変更なし"}


class Command(BaseCommand):
    help = (
        "自治体を公開データから設定します: 行政区域の境界（国土数値情報 GeoJSON）で第1層（市、または区）を、"
        "町丁（e-Stat 小地域 CSV・GeoJSON、位置参照情報 CSV）で住所の表を、圏域の表（列: 圏域、町丁、"
        "区のある市は第1層）で第2層の圏域とその境界を作り、町丁を圏域に割り当てます。"
        "問題が1つでもあれば何も書き込みません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="自治体名（例: 川口市）")
        parser.add_argument(
            "--code", required=True, help="全国地方公共団体コード（5桁 11203 または 6桁 112038）"
        )
        parser.add_argument("--outline", required=True, help="行政区域の GeoJSON（国土数値情報）")
        parser.add_argument(
            "--chome", required=True, help="町丁の CSV（e-Stat 小地域・位置参照情報）か GeoJSON"
        )
        parser.add_argument("--areas", help="圏域の表（CSV か Excel。列: 圏域、町丁、第1層）")
        parser.add_argument(
            "--prefecture", default="", help="都道府県名（既定: 行政区域のファイルから）"
        )
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで書き込みません")
        parser.add_argument("--user", help="履歴に残す利用者名（ログイン名）")

    def handle(self, *args, **options):
        files = {}
        for key in ("outline", "chome", "areas"):
            path = options.get(key)
            if not path:
                continue
            try:
                files[key] = Path(path).read_bytes()
            except OSError as exc:
                raise CommandError(f"ファイルを開けません（--{key}）: {exc}") from exc
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"利用者「{options['user']}」はいません。")
        result = city_setup(
            name=options["name"],
            code=options["code"],
            outline=files["outline"],
            chome=files["chome"],
            chome_filename=Path(options["chome"]).name,
            table=files.get("areas"),
            table_filename=Path(options["areas"]).name if options.get("areas") else "",
            prefecture=options["prefecture"],
            dry_run=options["dry_run"],
            by=user,
        )
        self.report(result, verbosity=options["verbosity"])

    def report(self, result: CitySetupResult, *, verbosity: int) -> None:
        shown = result.warnings if verbosity >= 2 else result.warnings[:WARNINGS_SHOWN]
        for problem in shown:
            self.stderr.write(f"注意 {problem}")
        if len(shown) < len(result.warnings):
            self.stderr.write(
                f"注意 …ほか {len(result.warnings) - len(shown)}件（-v 2 ですべて表示）"
            )
        for problem in result.errors:
            self.stderr.write(self.style.ERROR(f"問題 {problem}"))
        if result.errors:
            raise CommandError(
                f"{len(result.errors)}件の問題があるため、何も書き込みませんでした。"
            )
        if verbosity >= 1:
            for area in result.areas:
                if area.tier == 2 or verbosity >= 2:
                    where = f"{area.parent} " if area.parent and result.has_wards else ""
                    self.stdout.write(
                        f"  {area.code} {where}{area.name}: 町丁 {area.chome}、"
                        f"人口 {area.population:,}（{ACTIONS[area.action]}）"
                    )
        prefix = (
            "確認のみ（書き込んでいません）"
            if result.dry_run
            else f"{result.city_name}を設定しました"
        )
        self.stdout.write(self.style.SUCCESS(f"{prefix}: {result.summary()}"))
