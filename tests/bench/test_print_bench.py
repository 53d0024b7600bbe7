"""print_bench_figures(): the PDF figures that manage.py bench reports."""

from __future__ import annotations

import pytest

from bench.pdf_figures import print_bench_figures
from tests.conftest import make_resource

pytestmark = pytest.mark.slow


def test_the_figures_measure_every_case(areas, exercise):
    for n in range(6):
        make_resource(
            name=f"体操の会{n}", area=areas["kita1"], lat=34.70, lng=135.49, categories=[exercise]
        )
    make_resource(name="築港サロン", area=areas["minato1"], lat=34.66, lng=135.44)
    figures = print_bench_figures(repeat=1, warmups=0)
    for key in ("list_100", "bare_100", "list_10_pages", "area_map", "booklet"):
        assert figures[key]["seconds"] > 0, key
    assert figures["list_100"]["rows"] == 7 and figures["list_100"]["pages"] == 1
    assert figures["area_map"]["area"] == "27127" and figures["area_map"]["rows"] == 6
    assert figures["booklet"] == {**figures["booklet"], "areas": 2, "rows": 7}
    assert figures["ratio_list_to_bare"] > 0
    assert figures["budgets"]["list_100"] == 2.0
