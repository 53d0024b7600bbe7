"""manage.py bench: every figure of DESIGN.md's budgets, from a database of its own.

The figures themselves are not asserted (no timed tests, DESIGN.md "Testing"):
only that each one is there, is a number, and that the bench never writes to the
database it was started with. The throughput section is tested without a load:
a stand-in ``wrk`` answers with a recorded run, against a real gunicorn.
"""

from __future__ import annotations

import io
import json
import os
import socket
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bench import bench, database, search, throughput
from bench.measure import Context
from portal.models import Area
from resources.models import Category, Resource

FIGURES = (
    "p50",
    "p95",
    "cold_p50",
    "cold_p95",
    "bare_p50",
    "ratio_bare",
    "ratio_bare_cold",
    "naive_p50",
    "ratio_naive",
    "ratio_naive_cold",
)

# What wrk 4.1 printed with throughput.WRK_SCRIPT against the S bench (two seconds).
WRK_OUTPUT = """\
Running 2s test @ http://127.0.0.1:40841
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.99ms   11.38ms 107.80ms   92.44%
    Req/Sec   744.45    373.07     1.29k    70.00%
  1483 requests in 2.00s, 42.40MB read
Requests/sec:    740.21
Transfer/sec:     21.17MB
bench-wrk {"requests": 1483, "duration_us": 2003493, "non_200": 0, "connect": 0, "read": 0, \
"write": 0, "timeout": 0, "p50_us": 6431, "p99_us": 67739, "max_us": 107800}
"""


@pytest.fixture
def throwaway_bench_database(monkeypatch, tmp_path):
    """The bench databases at throwaway names (a temp file, or a per-process
    PostgreSQL database), dropped afterwards."""
    made: list[dict] = []
    configured = database.bench_database_settings

    def throwaway(base: dict, size: int) -> dict:
        settings = configured(base, size)
        if settings["ENGINE"].endswith("sqlite3"):
            settings["NAME"] = str(tmp_path / f"bench_{size}.sqlite3")
        else:
            settings["NAME"] = f"{settings['NAME']}_{os.getpid()}"
        if settings["NAME"] not in {s["NAME"] for s in made}:
            made.append(settings)
        return settings

    monkeypatch.setattr(bench, "bench_database_settings", throwaway)
    yield made
    for settings in made:
        database.drop_database(settings)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("bench", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.slow
def test_bench_reports_every_shape_and_the_map_from_its_own_database(throwaway_bench_database):
    before = (Resource.objects.count(), Area.objects.count(), Category.objects.count())
    test_database = connection.settings_dict["NAME"]

    report = json.loads(
        run("--json", "--size", "200", "--repeat", "3", "--only", "shapes", "--only", "geojson")
    )

    assert report["database"]["vendor"] == connection.vendor
    assert report["repeat"] == 3
    [entry] = report["sizes"]
    assert (entry["size"], entry["label"], entry["reused"]) == (200, "S", False)
    assert entry["generation_seconds"] > 0
    assert set(entry["shapes"]) == {shape.key for shape in search.QUERY_SHAPES}
    for key, shape in entry["shapes"].items():
        for figure in FIGURES:
            value = shape[figure]
            assert isinstance(value, int | float) and value >= 0, (key, figure, value)
        assert shape["p95"] >= shape["p50"] > 0, key
        assert shape["cold_p95"] >= shape["cold_p50"] > 0, key
        # "bare" is the SQL of one cold request; a warm one sends no more than that.
        assert shape["bare_statements"] >= 1, key
        assert 0 <= shape["warm_statements"] <= shape["bare_statements"], key
    # The keyword and the nearby search find some of the 200, so real pages are timed.
    assert entry["shapes"]["keyword"]["hits"] > 0
    assert entry["shapes"]["nearby"]["hits"] > 0

    geojson = entry["geojson"]
    assert geojson["area"].startswith("B")
    assert geojson["features"] > 0
    assert geojson["gzip"] is True
    assert 0 < geojson["gzip_kb"] < geojson["raw_kb"]
    assert geojson["p95"] >= geojson["p50"] > 0

    names = {check["name"] for check in entry["checks"]}
    assert {
        "keyword p95",
        "keyword p95 cold",
        "combined view/bare",
        "combined view/bare cold",
        "geojson p95",
        "geojson gzip",
    } <= names
    assert all(isinstance(check["passed"], bool) for check in entry["checks"])

    # Its own database only: the test database is the one in use again, unchanged.
    assert [s["NAME"] for s in throwaway_bench_database] == [entry["database"]]
    assert connection.settings_dict["NAME"] == test_database
    assert (Resource.objects.count(), Area.objects.count(), Category.objects.count()) == before
    assert not Area.objects.filter(code="B01").exists()

    # A second run finds the 200 generated resources and reuses them; the table
    # shows every shape with its budgets.
    table = run("--size", "200", "--repeat", "1", "--only", "shapes", "--only", "geojson")

    assert "reused" in table
    for shape in search.QUERY_SHAPES:
        assert shape.key in table
    assert "<=30" in table
    assert "温 warm" in table and "冷 cold" in table
    assert "PASS" in table or "FAIL" in table
    assert "gzip" in table
    assert len(throwaway_bench_database) == 1


@pytest.mark.django_db
@pytest.mark.slow
def test_bench_measures_the_cp932_import_and_leaves_the_bench_data_alone(
    throwaway_bench_database,
):
    report = json.loads(run("--json", "--size", "200", "--repeat", "1", "--only", "import"))

    [entry] = report["sizes"]
    figures = entry["import"]
    assert figures["rows"] == 10386
    assert figures["dry_run"]["rows_per_second"] > 0
    assert figures["real"]["written"] and figures["dry_run"]["errors"] == 0
    assert {"import dry run", "import real"} <= {c["name"] for c in entry["checks"]}
    # The real import was rolled back: the bench database holds its 200 again.
    again = json.loads(run("--json", "--size", "200", "--repeat", "1", "--only", "geojson"))
    assert again["sizes"][0]["reused"] is True


def test_the_wrk_figures_are_read_from_the_line_its_script_writes():
    figures = throughput.parse_wrk(WRK_OUTPUT.replace("\\\n", ""))

    assert figures == {
        "requests": 1483,
        "seconds": 2.0,
        "rps": 740.2,
        "non_200": 0,
        "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
        "errors": 0,
        "p50_ms": 6.4,
        "p99_ms": 67.7,
        "max_ms": 107.8,
    }
    script = throughput.wrk_script(throughput.search_paths())
    assert '"/resources/?q=%E4%BD%93%E6%93%8D"' in script
    assert throughput.WRK_MARKER in script


def test_non_200_answers_and_socket_errors_are_errors():
    line = (
        'bench-wrk {"requests": 100, "duration_us": 1000000, "non_200": 3, "connect": 1, '
        '"read": 2, "write": 0, "timeout": 4, "p50_us": 1000, "p99_us": 2000, "max_us": 3000}'
    )

    figures = throughput.parse_wrk(line)

    assert (figures["rps"], figures["non_200"], figures["errors"]) == (100.0, 3, 10)
    [rps, errors] = throughput.ThroughputSection().checks({"warm": figures}, context("S"))
    assert rps.passed is False and errors.passed is False


def test_wrk_output_without_the_figures_is_an_error():
    with pytest.raises(CommandError):
        throughput.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")


def context(label: str) -> Context:
    return Context(size=200, label=label, repeat=1, vendor="sqlite", say=lambda m: None)


def test_throughput_is_skipped_with_a_message_without_wrk(monkeypatch):
    monkeypatch.setattr(throughput.shutil, "which", lambda name: None)
    section = throughput.ThroughputSection()

    figures = section.run(context("S"))

    assert "wrk" in figures["skipped"]
    assert section.checks(figures, context("S")) == []
    assert "skipped" in "\n".join(section.render(figures, context("S"), {}))
    # A prefecture's data is not served by one city's two workers: L is not measured.
    assert section.run(context("L")) is None


@pytest.mark.parametrize(
    ("configured", "url"),
    [
        (
            {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/b_bench_200.sqlite3"},
            "sqlite:////tmp/b_bench_200.sqlite3",
        ),
        (
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "portal_bench_1500",
                "USER": "portal",
                "PASSWORD": "p@ss:word",
                "HOST": "db",
                "PORT": "5432",
                "OPTIONS": {"sslmode": "require"},
            },
            "postgres://portal:p%40ss%3Aword@db:5432/portal_bench_1500?sslmode=require",
        ),
    ],
)
def test_gunicorn_is_pointed_at_the_bench_database(configured, url):
    assert database.database_url(configured) == url


@pytest.mark.django_db
@pytest.mark.slow
def test_throughput_runs_gunicorn_on_the_bench_database_and_stops_it(
    throwaway_bench_database, monkeypatch, tmp_path
):
    """A stand-in wrk records how it was called and prints the recorded run."""
    tools = tmp_path / "bin"
    tools.mkdir()
    (tmp_path / "output.txt").write_text(WRK_OUTPUT.replace("\\\n", ""))
    wrk = tools / "wrk"
    wrk.write_text(
        f'#!/bin/sh\necho "$@" >> {tmp_path / "calls.txt"}\ncat {tmp_path / "output.txt"}\n'
    )
    wrk.chmod(wrk.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")

    report = json.loads(run("--json", "--size", "200", "--repeat", "1", "--only", "throughput"))

    [entry] = report["sizes"]
    figures = entry["throughput"]
    assert figures["workers"] == 2
    assert figures["warm"]["rps"] == figures["cold"]["rps"] == 740.2
    checks = {check["name"]: check for check in entry["checks"]}
    assert checks["throughput rps"]["passed"] and checks["throughput errors"]["passed"]
    # Warm and cold each had a server of their own, on a local port; both are gone.
    calls = (tmp_path / "calls.txt").read_text().splitlines()
    assert len(calls) == 2
    for call in calls:
        assert "--connections 8" in call
        base = call.split()[-1]
        host, port = base.removeprefix("http://").split(":")
        assert host == "127.0.0.1"
        with pytest.raises(OSError), socket.create_connection((host, int(port)), timeout=2):
            pass
