"""The import figure of ``manage.py bench``: rows per second for the 10,386-row
cp932 WAM NET file, read with a mapping file as a city would use one."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from bench.measure import SIZE_S, Check, Context, verdict
from resources.importing import ImportResult, resources_import

BENCH_FILE = Path(settings.BASE_DIR) / "tests" / "data" / "wam_grouphome_national_2022-08_cp932.csv"
IMPORT_BUDGET_ROWS_PER_SECOND = 2_000
# A mapping as the import page saves it: columns assigned by header, values decided.
BENCH_MAPPING = {
    "columns": {"事業所の名称": "名称", "事業所番号": None, "定員": "定員"},
    "values": {"サービスの種類": {"共同生活援助": "その他"}},
}


def import_bench_figures(path: str | Path | None = None) -> dict:
    """Rows per second importing the 10,386-row cp932 WAM NET file into the
    current database with ``BENCH_MAPPING``: a dry run, then a real import in a
    transaction that is rolled back, so the database is left as it was (the
    bench reuses it). The file holds all of Japan; the figure takes every row as
    the city's (``check_outside=False``) so that all 10,386 are written, and the
    city's own import (the other rows left out) is measured beside it."""
    from resources.importing.profiles import columns_as_keys

    path = Path(path or BENCH_FILE)
    data = path.read_bytes()
    options = {
        "columns": columns_as_keys(BENCH_MAPPING["columns"]),
        "values": BENCH_MAPPING["values"],
    }
    dry = resources_import(data, filename=path.name, dry_run=True, check_outside=False, **options)
    city = resources_import(data, filename=path.name, dry_run=True, skip_outside=True, **options)
    real = None

    class _Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            real = resources_import(
                data, filename=path.name, dry_run=False, force=True, check_outside=False, **options
            )
            raise _Rollback
    except _Rollback:
        pass
    assert real is not None

    def figures(result: ImportResult) -> dict:
        return {
            "seconds": round(result.seconds, 3),
            "rows_per_second": round(result.rows_per_second(), 1),
            "cpu_seconds": round(result.cpu_seconds, 3),
            "cpu_rows_per_second": round(result.rows_total / result.cpu_seconds, 1)
            if result.cpu_seconds
            else 0.0,
            "errors": len(result.errors),
        }

    slowest = min(dry.rows_per_second(), real.rows_per_second())
    return {
        "file": path.name,
        "bytes": len(data),
        "rows": dry.rows_total,
        "database": connection.vendor,
        "mapping": BENCH_MAPPING,
        "dry_run": figures(dry),
        "city_only": {**figures(city), "outside": city.outside, "new": city.new},
        "real": {
            **figures(real),
            "written": real.written,
            "new": real.new,
            "updated": real.updated,
        },
        "budget_rows_per_second": IMPORT_BUDGET_ROWS_PER_SECOND,
        "passed": slowest >= IMPORT_BUDGET_ROWS_PER_SECOND and not dry.errors and real.written,
    }


class ImportSection:
    """Importing the 10,386-row cp932 WAM NET file (resources.importing), at S only;
    the real import is rolled back, so the bench data stays as it was."""

    key = "import"
    title = "取込（cp932 CSV 10,386行、割り当てあり）"

    def run(self, ctx: Context) -> dict | None:
        if ctx.size > SIZE_S:
            return None
        from bench.import_figures import import_bench_figures

        ctx.say("  取込 WAM NET cp932")
        return import_bench_figures()

    def checks(self, figures: dict | None, ctx: Context) -> list[Check]:
        if not figures:
            return []
        budget = figures["budget_rows_per_second"]
        return [
            Check("import dry run", figures["dry_run"]["rows_per_second"], budget, ">=", "rows/s"),
            Check("import real", figures["real"]["rows_per_second"], budget, ">=", "rows/s"),
        ]

    def render(self, figures: dict | None, ctx: Context, checks: dict[str, Check]) -> list[str]:
        if not figures:
            return []
        f = figures
        city = f.get("city_only", {})
        return [
            self.title,
            f"dry run {f['dry_run']['rows_per_second']:,.0f} rows/s ({f['dry_run']['seconds']:.1f} s) "
            f"{verdict(checks.get('import dry run'))}; real {f['real']['rows_per_second']:,.0f} rows/s "
            f"({f['real']['seconds']:.1f} s) {verdict(checks.get('import real'))}",
            f"the city's own rows only: {city.get('rows_per_second', 0):,.0f} rows/s, "
            f"{city.get('outside', 0):,} rows outside the city left out",
        ]
