"""manage.py bench: every figure of DESIGN.md's budgets, from a database of its own.

The figures themselves are not asserted (no timed tests, DESIGN.md "Testing"):
only that each one is there, is a number, and that the bench never writes to the
database it was started with.
"""

from __future__ import annotations

import io
import json
import os

import pytest
from django.core.management import call_command
from django.db import connection

from portal.models import Area
from resources import bench
from resources.models import Category, Resource

FIGURES = ("p50", "p95", "bare_p50", "ratio_bare", "naive_p50", "ratio_naive")


@pytest.fixture
def throwaway_bench_database(monkeypatch, tmp_path):
    """The bench databases at throwaway names (a temp file, or a per-process
    PostgreSQL database), dropped afterwards."""
    made: list[dict] = []
    configured = bench.bench_database_settings

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
        bench.drop_database(settings)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("bench", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
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
    assert set(entry["shapes"]) == {shape.key for shape in bench.QUERY_SHAPES}
    for key, shape in entry["shapes"].items():
        for figure in FIGURES:
            value = shape[figure]
            assert isinstance(value, int | float) and value >= 0, (key, figure, value)
        assert shape["p95"] >= shape["p50"] > 0, key
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
    assert {"keyword p95", "combined view/bare", "geojson p95", "geojson gzip"} <= names
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
    for shape in bench.QUERY_SHAPES:
        assert shape.key in table
    assert "<=30" in table
    assert "PASS" in table or "FAIL" in table
    assert "gzip" in table
    assert len(throwaway_bench_database) == 1


@pytest.mark.django_db
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
