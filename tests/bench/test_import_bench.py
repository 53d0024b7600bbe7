"""import_bench_figures(): the import figure that manage.py bench reports."""

from __future__ import annotations

import pytest

from bench.import_figures import import_bench_figures
from resources.models import Resource
from tests.conftest import make_resource
from tests.resources.import_files import WAM_OSAKA

pytestmark = pytest.mark.slow


def test_bench_figures_leave_the_database_as_it_was(areas):
    make_resource(code="KEEP", name="残る会")

    figures = import_bench_figures(WAM_OSAKA)

    assert figures["rows"] == 841
    assert figures["real"]["written"] is True
    assert figures["dry_run"]["rows_per_second"] > 0
    assert set(figures) >= {"dry_run", "real", "budget_rows_per_second", "passed"}
    assert list(Resource.objects.values_list("code", flat=True)) == ["KEEP"]
