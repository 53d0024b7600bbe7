"""manage.py bench [--json] [--size N ...] [--repeat R] [--only SECTION ...]: DESIGN.md's
performance figures."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from bench.bench import DEFAULT_REPEAT, DEFAULT_SIZES, SECTIONS, render_report, run_bench


class Command(BaseCommand):
    help = (
        "性能予算（DESIGN.md）を測ります: 別のデータベースに地域資源を生成し（既定 S=1,500 と "
        "L=100,000）、検索ページの5つの条件と地図 GeoJSON を匿名で繰り返し実行して p50/p95 と比を表示します。"
        "検索ページはキャッシュあり（温、SEARCH_CACHE_SECONDS のとおり）となし（冷、0）の両方で測り、"
        "冷の1回が送る SQL そのもの（bare）と比べます。"
        "S では印刷 PDF と取込の速さ、gunicorn（2 workers）に wrk で負荷をかけた毎秒リクエスト数も"
        "測ります（wrk は make bench で入ります。ないときは飛ばします）。"
        "設定中のデータベースには書き込みません。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="結果を JSON で出力します"
        )
        parser.add_argument(
            "--size",
            type=int,
            action="append",
            dest="sizes",
            metavar="N",
            help=f"地域資源の件数（複数可、既定 {' と '.join(f'{s:,}' for s in DEFAULT_SIZES)}）",
        )
        parser.add_argument(
            "--repeat",
            type=int,
            default=DEFAULT_REPEAT,
            metavar="R",
            help=f"1つのケースを測る回数（既定 {DEFAULT_REPEAT}）",
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=[section.key for section in SECTIONS],
            metavar="SECTION",
            help=(
                "測る部分を選びます（shapes, geojson, pdf, import, throughput, jobs, analysis。"
                "複数可、既定はすべて）"
            ),
        )
        parser.add_argument(
            "--regenerate",
            action="store_true",
            help="生成済みのデータがあっても作り直します（生成時間を測るとき）",
        )

    def handle(self, *args, as_json=False, sizes=None, repeat=DEFAULT_REPEAT, **options):
        sizes = sizes or list(DEFAULT_SIZES)
        if repeat < 1 or any(size < 1 for size in sizes):
            raise CommandError("--size と --repeat には 1 以上の数を指定してください。")
        # Progress goes to stderr with --json, so that stdout is exactly one JSON object.
        progress = self.stderr if as_json else self.stdout
        quiet = options["verbosity"] == 0
        report = run_bench(
            sizes=sizes,
            repeat=repeat,
            regenerate=options["regenerate"],
            only=options["only"],
            say=(lambda message: None) if quiet else (lambda message: progress.write(message, str)),
        )
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_report(report))
