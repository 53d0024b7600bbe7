"""The performance figures of DESIGN.md "Performance budgets", for ``manage.py bench``.

``run_bench`` generates a synthetic city with N resources in a database of its own,
runs each case through the real views (anonymous, ``django.test.Client``) many
times, and returns every figure with the budget it is held to. ``render_report``
turns that into the table the command prints; ``--json`` prints it as is.

The work is a list of sections (``SECTIONS``), each with the same three methods
(run, checks, render): search (five query shapes), the map GeoJSON, and at S the
PDF, import and throughput figures.

The search page is measured twice: warm (the cache of anonymous search pages as
configured, ``SEARCH_CACHE_SECONDS``, the same URL repeated) and cold
(``SEARCH_CACHE_SECONDS=0``: every request does all the work). Its "bare" figure
is the view's own SQL: the statements one cold request sends, replayed.

Throughput is the search page served the way it is deployed: gunicorn with two
workers on a free local port, against the bench database, driven by ``wrk``
(``scripts/system-deps.sh bench`` installs it; without it the figure is skipped).

The configured database is never written to. Each size has its own bench
database beside it (PostgreSQL: ``<name>_bench_<N>``; SQLite:
``<stem>_bench_<N>.sqlite3`` next to the file), so that S and L are both kept and
reused on the next run; a bench database that does not hold exactly the N
generated resources is wiped and regenerated.

The modules: ``measure`` (sizes, timing, checks), ``database`` (the bench
databases), ``data`` (the synthetic city), ``search`` (search page and map),
``pdf_figures`` and ``import_figures`` (printing and import, at S),
``throughput`` (gunicorn and wrk), ``job_figures`` (a real db_worker: job latency,
the booklet as a job, search while it runs; at S); this one runs them and
renders the report.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

from bench.analysis_figures import AnalysisSection
from bench.data import bench_data_ready, ensure_city, generate_resources, wipe_resources
from bench.database import bench_database, bench_database_settings, ensure_database, vendor
from bench.import_figures import ImportSection
from bench.job_figures import JobsSection
from bench.measure import DEFAULT_SIZES, WARMUPS, Check, Context, size_label
from bench.pdf_figures import PdfSection
from bench.search import MapSection, SearchSection
from bench.throughput import ThroughputSection

__all__ = ["DEFAULT_REPEAT", "DEFAULT_SIZES", "SECTIONS", "render_report", "run_bench"]

DEFAULT_REPEAT = 30

SECTIONS: list = [
    SearchSection(),
    MapSection(),
    PdfSection(),
    ImportSection(),
    ThroughputSection(),
    JobsSection(),
    AnalysisSection(),
]


# Orchestration -------------------------------------------------------------


def run_bench(
    *,
    sizes: tuple[int, ...] | list[int] = DEFAULT_SIZES,
    repeat: int = DEFAULT_REPEAT,
    regenerate: bool = False,
    only: list[str] | None = None,
    say: Callable[[str], None] = lambda message: None,
) -> dict:
    """Every figure of every section for every size, as one JSON-ready dict."""
    base = connections[DEFAULT_DB_ALIAS].settings_dict
    report: dict = {
        "database": {"vendor": vendor(base), "configured": str(base["NAME"])},
        "repeat": repeat,
        "warmups": WARMUPS,
        "load_average_before": _load_average(),
        "sizes": [],
    }
    with warnings.catch_warnings():
        # WhiteNoise warns about a missing STATIC_ROOT on every new client; not ours.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        for size in sizes:
            report["sizes"].append(_run_size(base, size, repeat, regenerate, say, only))
    # Other processes on the machine skew every figure: say how busy it was.
    report["load_average_after"] = _load_average()
    return report


def _load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _run_size(
    base: dict, size: int, repeat: int, regenerate: bool, say, only: list[str] | None = None
) -> dict:
    settings = bench_database_settings(base, size)
    created = ensure_database(settings)
    label = size_label(size)
    say(f"== {label} = {size:,} 件: {settings['NAME']}{'（新規作成）' if created else ''}")
    with bench_database(settings) as wrapper:
        call_command("migrate", database=DEFAULT_DB_ALIAS, interactive=False, verbosity=0)
        city = ensure_city()
        reused = not regenerate and bench_data_ready(city, size)
        seconds = None
        if reused:
            say("  生成済みのデータを再利用します。")
        else:
            say("  地域資源を生成しています…")
            start = time.perf_counter()
            wipe_resources()
            generate_resources(city, size, say=say)
            seconds = round(time.perf_counter() - start, 1)
            say(f"  生成 {seconds} 秒")
        if wrapper.vendor == "postgresql":
            # Fresh statistics, as autovacuum keeps them in production: without
            # them the planner guesses how many rows a bigram phrase matches.
            with wrapper.cursor() as cursor:
                cursor.execute("ANALYZE")
        ctx = Context(size=size, label=label, repeat=repeat, vendor=wrapper.vendor, say=say)
        entry: dict = {
            "size": size,
            "label": label,
            "database": settings["NAME"],
            "server_version": _server_version(wrapper),
            "reused": reused,
            "generation_seconds": seconds,
        }
        checks: list[Check] = []
        for section in SECTIONS:
            if only and section.key not in only:
                continue
            figures = section.run(ctx)
            entry[section.key] = figures
            checks += section.checks(figures, ctx)
        entry["checks"] = [check.as_dict() for check in checks]
        return entry


def _server_version(wrapper) -> str:
    with wrapper.cursor() as cursor:
        if wrapper.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0])


def render_report(report: dict) -> str:
    lines: list[str] = []
    vendor = report["database"]["vendor"]
    for entry in report["sizes"]:
        ctx = Context(
            size=entry["size"],
            label=entry["label"],
            repeat=report["repeat"],
            vendor=vendor,
            say=lambda message: None,
            client=None,  # type: ignore[arg-type]
        )
        generated = (
            "reused (generated earlier)"
            if entry["reused"]
            else f"generated in {entry['generation_seconds']} s"
        )
        lines += [
            "",
            f"== {entry['label']} = {entry['size']:,} resources — {vendor} "
            f"{entry['server_version']} ({entry['database']}) — {generated}",
        ]
        checks = {
            c["name"]: Check(c["name"], c["value"], c["limit"], c["op"], c["unit"])
            for c in entry["checks"]
        }
        for section in SECTIONS:
            if section.key in entry:
                lines += ["", *section.render(entry[section.key], ctx, checks)]
        failed = [c for c in checks.values() if not c.passed]
        lines += [
            "",
            f"budgets: {len(checks) - len(failed)} PASS, {len(failed)} FAIL"
            + (": " + ", ".join(c.name for c in failed) if failed else ""),
        ]
    load = report.get("load_average_before"), report.get("load_average_after")
    if None not in load:
        lines += ["", f"load average (1, 5, 15 min): before {load[0]}, after {load[1]}"]
    if vendor != "postgresql":
        lines += ["", "Note: the budgets are set for PostgreSQL; SQLite figures are for reference."]
    return "\n".join(lines).lstrip("\n")
