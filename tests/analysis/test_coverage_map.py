"""The coverage map of an area's profile and meeting pack: it reads only the
通いの場 in the map's box (clipped in SQL), draws the area's own in one path
and those around it in another, lighter one."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis.charts import SITE_AROUND_COLOR, SITE_COLOR
from analysis.profile import _coverage_map
from tests.conftest import make_resource

pytestmark = pytest.mark.django_db


def _squares(svg: str, color: str) -> int:
    path = re.search(rf'<path d="([^"]*)" fill="{color}"/>', svg)
    return path.group(1).count("z") if path else 0


def test_the_map_draws_the_sites_it_shows_and_reads_no_others(areas):
    # 北区 第1圏域 is the square 135.48–135.50 E, 34.69–34.71 N.
    for name, lat, lng, extra in (
        ("inside", 34.700, 135.490, {}),
        ("inside, staff-only", 34.705, 135.485, {"visibility": "staff"}),
        ("inside, paused", 34.695, 135.495, {"status": "paused"}),
        ("inside, not a 通いの場", 34.696, 135.486, {"resource_type": "care_office"}),
        ("east of it, on the map", 34.700, 135.505, {}),
        ("far away", 34.750, 135.600, {}),
    ):
        make_resource(name=name, lat=lat, lng=lng, area=areas["kita2"], area_locked=True, **extra)

    with CaptureQueriesContext(connection) as queries:
        svg = _coverage_map(areas["kita1"], [])

    assert _squares(svg, SITE_COLOR) == 2  # the staff read staff-only resources too
    assert _squares(svg, SITE_AROUND_COLOR) == 1
    assert svg.count("<rect") < 10  # background, legend: not one element per site
    sites = [q["sql"] for q in queries.captured_queries if '"resources_resource"."lat"' in q["sql"]]
    assert len(sites) == 1 and "BETWEEN" in sites[0]  # clipped by the map's box in SQL
    assert "区域の外の通いの場" in svg
