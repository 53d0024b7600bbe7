"""The demo city's analysis: 大阪市's real 2020 figures per 町丁 and ward."""

from __future__ import annotations

import pytest

from analysis.figures import gather
from analysis.models import ChomePopulation, Participation
from portal.models import Area

pytestmark = pytest.mark.slow


def test_the_demo_loads_the_real_2020_population(demo_city, client):
    # 1,904 町丁 of the 2015 list; 北区's 町丁 sum to the 2020 table's (its ward row
    # is 186 more, the 秘匿 cells).
    assert ChomePopulation.objects.count() == 1904
    kita = Area.objects.get(tier=1, name="北区")
    gathered = gather(2025, Area.Tier.CITY)
    assert gathered.of(kita).aged_65 == 23548
    assert gathered.of(None).aged_65 > 600_000
    assert Participation.objects.exists()
    # The page says which figures are real and which are the demo's.
    from portal.models import User

    client.force_login(User.objects.get(username="city"))
    text = client.get("/staff/analysis/?tier=1").content.decode()
    assert "令和2年国勢調査" in text and "第2層の圏域はデモ用の架空の区域" in text
