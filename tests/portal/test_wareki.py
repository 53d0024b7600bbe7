"""portal/wareki.py: 和暦 dates and 年度 as legacy spreadsheets write them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.wareki import (
    ERAS,
    WarekiError,
    era_of,
    fiscal_year_of,
    format_date,
    format_fiscal_year,
    parse_date,
    parse_fiscal_year,
)

FULL_WIDTH = str.maketrans("0123456789./", "０１２３４５６７８９．／")
SINCE_MEIJI = st.dates(min_value=date(1873, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("平成30年3月", date(2018, 3, 1)),
        ("H30.3.1", date(2018, 3, 1)),
        ("h30.3.1", date(2018, 3, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("令和元年", date(2019, 5, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R4.4", date(2022, 4, 1)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("2021/12/01", date(2021, 12, 1)),
        ("2021年12月1日", date(2021, 12, 1)),
    ],
)
def test_dates_as_written(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["平成32年", "平成32年4月1日", "昭和65年", "令和0年", "平成30年2月30日", "あした", ""]
)
def test_dates_that_do_not_exist_are_errors(text):
    with pytest.raises(WarekiError):
        parse_date(text)


def test_the_error_for_heisei_32_says_where_heisei_ends():
    with pytest.raises(WarekiError) as error:
        parse_date("平成32年")
    assert "平成は31年まで" in str(error.value)


@given(SINCE_MEIJI)
def test_formatted_dates_read_back(day):
    assert parse_date(format_date(day)) == day


@given(SINCE_MEIJI)
def test_full_width_digits_read_like_half_width(day):
    assert parse_date(format_date(day).translate(FULL_WIDTH)) == day


@given(SINCE_MEIJI)
def test_letter_abbreviations_read_like_era_names(day):
    era = era_of(day)
    year = day.year - era.start.year + 1
    assert parse_date(f"{era.letter}{year}.{day.month}.{day.day}") == day


@given(st.integers(min_value=1927, max_value=2100))
def test_fiscal_years_round_trip(year):
    assert parse_fiscal_year(format_fiscal_year(year)) == year


@given(st.integers(min_value=1900, max_value=2100))
def test_western_fiscal_years(year):
    assert parse_fiscal_year(f"{year}年度") == year


@given(SINCE_MEIJI)
def test_a_day_belongs_to_the_fiscal_year_that_started_on_the_last_first_of_april(day):
    year = fiscal_year_of(day)
    assert date(year, 4, 1) <= day < date(year + 1, 4, 1)


@given(st.sampled_from([e for e in ERAS if e.last_year]), st.integers(min_value=1, max_value=30))
def test_years_past_an_era_are_refused(era, extra):
    with pytest.raises(WarekiError):
        parse_date(f"{era.name}{era.last_year + extra}年")


def test_reiwa_4_fiscal_year():
    assert parse_fiscal_year("令和4年度") == 2022
    assert parse_fiscal_year("R4年度") == 2022
    assert parse_fiscal_year("令和元年度") == 2019


@pytest.mark.parametrize(
    "text, words",
    [
        ("H31.5.1", "平成は31年4月30日まで"),
        ("平成31年5月", "令和"),
        ("S64.1.8", "昭和は64年1月7日まで"),
        ("明治元年", "旧暦"),
        ("明治5年12月1日", "旧暦"),
    ],
)
def test_dates_no_calendar_had_are_refused_in_japanese(text, words):
    with pytest.raises(WarekiError) as refused:
        parse_date(text)
    assert words in str(refused.value)


def test_the_last_day_of_an_era_and_the_first_gregorian_day_are_read():
    assert parse_date("H31.4.30") == date(2019, 4, 30)
    assert parse_date("明治6年1月1日") == date(1873, 1, 1)
