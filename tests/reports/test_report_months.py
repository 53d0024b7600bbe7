"""How the council report writes months, the way seed 000 does (portal/wareki.py)."""

from __future__ import annotations

from datetime import date

import pytest

from portal.wareki import format_months, format_year_month


@pytest.mark.parametrize(
    ("months", "text"),
    [
        ([(2017, 11), (2018, 1), (2018, 2), (2018, 3)], "平成29年11月、平成30年1月～3月"),
        (
            [(2017, 4), (2017, 6), (2017, 8), (2017, 12), (2018, 2), (2018, 3)],
            "平成29年4月、6月、8月、12月、平成30年2月～3月",
        ),
        ([(2017, 9), (2017, 11), (2018, 3)], "平成29年9月、11月、平成30年3月"),
        ([(2018, 3)], "平成30年3月"),
        ([(2025, 11), (2025, 12), (2026, 1)], "令和7年11月～令和8年1月"),
        ([(2019, 4), (2019, 5)], "平成31年4月～令和元年5月"),
        ([(2024, 6), (2024, 6)], "令和6年6月"),
        ([], ""),
    ],
)
def test_months_join_runs_and_write_the_era_year_when_it_changes(months, text):
    assert format_months(months) == text


def test_a_month_in_wareki():
    assert format_year_month(date(2017, 11, 1)) == "平成29年11月"
    assert format_year_month(date(2019, 5, 1)) == "令和元年5月"
