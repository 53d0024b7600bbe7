"""manage.py import_population PATH [--dry-run]: population per 町丁 (analysis.population)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from analysis.population import import_population
from portal.sheets.problems import SheetFileError
from portal.sheets.reading import read_path

SHOWN = 20


class Command(BaseCommand):
    help = (
        "町丁ごとの人口と65歳以上人口を、e-Stat 国勢調査 小地域 年齢別の表（公表のまま）か、"
        "自治体標準オープンデータの「地域・年齢別人口」から読み込みます。"
        "町丁はコード、次に正規化した名前で照合し、照合できない行を報告します。"
        "問題のある行があれば何も書き込みません。読み込むと、それまでの人口はすべて置き換わります。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで書き込みません")
        parser.add_argument(
            "--source", default="", help="出典として記録する文（例: 令和2年国勢調査）"
        )

    def handle(self, *args, path: str, dry_run: bool = False, source: str = "", **options):
        try:
            data = read_path(path)
            result = import_population(data, path, dry_run=dry_run, source=source)
        except (OSError, SheetFileError) as exc:
            raise CommandError(str(exc)) from exc
        verbose = options.get("verbosity", 1) >= 2
        out = self.stdout.write
        out(f"形式: {result.layout}、町丁の行 {result.read:,} 行")
        if result.ward_checks:
            out("65歳以上人口の区計（表の区の行）・表の町丁の計・照合できた町丁の計:")
        for ward, ward_total, chome_sum, matched in result.ward_checks:
            notes = []
            if ward_total != chome_sum:
                notes.append(
                    f"秘匿などで表の町丁の計が区計と {ward_total - chome_sum:,} 人違います"
                )
            if chome_sum != matched:
                notes.append(f"照合できない町丁の分 {chome_sum - matched:,} 人")
            note = f"（{'、'.join(notes)}）" if notes else ""
            out(f"  {ward}: {ward_total:,} ・ {chome_sum:,} ・ {matched:,}{note}")
        if result.unmatched:
            aged = sum(u.aged_65 for u in result.unmatched)
            out(f"町丁と照合できない行 {len(result.unmatched):,} 行（65歳以上 計 {aged:,} 人）:")
            for item in result.unmatched if verbose else result.unmatched[:SHOWN]:
                out(f"  {item.line}行目 {item.ward}{item.name}（{item.code or 'コードなし'}）")
            if not verbose and len(result.unmatched) > SHOWN:
                out(f"  ほか {len(result.unmatched) - SHOWN:,} 行（-v 2 ですべて表示）")
        if result.points_without_figures:
            out(f"人口のわからない町丁（表にない町丁）: {result.points_without_figures:,} 件")
        if result.problems:
            for problem in result.problems[: None if verbose else SHOWN]:
                self.stderr.write(str(problem))
            raise CommandError(
                f"問題のある行が {len(result.problems):,} 件あるため、何も書き込んでいません。"
            )
        if dry_run:
            out(f"確認のみ（書き込んでいません）: 照合した町丁 {result.matched:,} 行")
            return
        self.stdout.write(self.style.SUCCESS(f"{result.written:,} 町丁の人口を読み込みました。"))
