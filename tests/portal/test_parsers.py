"""portal/parsers/: what legacy spreadsheets write, read into values or clear errors."""

from __future__ import annotations

import unicodedata
from datetime import date
from datetime import time as clock

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from portal import parsers
from portal.parsers import ParseError

FULL_WIDTH = str.maketrans("0123456789:~", "０１２３４５６７８９：～")
DAYS = "月火水木金土日"
CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def rules(text: str, **kwargs) -> list[tuple]:
    return [
        (r.kind, r.weekdays, r.weeks, r.day, r.opens_at, r.closes_at, r.note)
        for r in parsers.schedule(text, **kwargs).rules
    ]


# Schedules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("毎週火曜", [("weekly", ["TU"], [], None, None, None, "")]),
        ("毎週火曜日", [("weekly", ["TU"], [], None, None, None, "")]),
        ("第2・4金曜", [("monthly_nth", ["FR"], [2, 4], None, None, None, "")]),
        ("第2・第4金曜日", [("monthly_nth", ["FR"], [2, 4], None, None, None, "")]),
        (
            "第1・3水曜 13:30～15:00",
            [("monthly_nth", ["WE"], [1, 3], None, clock(13, 30), clock(15), "")],
        ),
        (
            "第１・３水曜日　１３：３０〜１５：００",
            [("monthly_nth", ["WE"], [1, 3], None, clock(13, 30), clock(15), "")],
        ),
        ("月火水木金", [("weekly", ["MO", "TU", "WE", "TH", "FR"], [], None, None, None, "")]),
        ("平日", [("weekly", ["MO", "TU", "WE", "TH", "FR"], [], None, None, None, "")]),
        ("月～金", [("weekly", ["MO", "TU", "WE", "TH", "FR"], [], None, None, None, "")]),
        ("月、水、金", [("weekly", ["MO", "WE", "FR"], [], None, None, None, "")]),
        ("毎月15日", [("monthly_date", [], [], 15, None, None, "")]),
        (
            "毎月1日・15日",
            [
                ("monthly_date", [], [], 1, None, None, ""),
                ("monthly_date", [], [], 15, None, None, ""),
            ],
        ),
        ("不定期", [("irregular", [], [], None, None, None, "")]),
        ("月2回", [("irregular", [], [], None, None, None, "月2回")]),
        ("最終金曜 10:00〜", [("monthly_nth", ["FR"], [-1], None, clock(10), None, "")]),
        ("第2・最終金曜", [("monthly_nth", ["FR"], [2, -1], None, None, None, "")]),
        ("隔週水曜", [("weekly", ["WE"], [], None, None, None, "隔週")]),
        ("土日祝", [("weekly", ["SA", "SU"], [], None, None, None, "祝日も開催")]),
        (
            "午後1時30分～3時",
            [("irregular", [], [], None, clock(13, 30), clock(15), "")],
        ),
        (
            "毎週火曜（祝日除く） 10:00〜12:00",
            [("weekly", ["TU"], [], None, clock(10), clock(12), "祝日除く")],
        ),
        (
            "毎週火曜 / 第2金曜",
            [
                ("weekly", ["TU"], [], None, None, None, ""),
                ("monthly_nth", ["FR"], [2], None, None, None, ""),
            ],
        ),
        (
            "令和5年3月の第5水曜",
            [("irregular", [], [], None, None, None, "2023年3月29日（水）")],
        ),
    ],
)
def test_schedule_text_becomes_rules(text, expected):
    assert rules(text) == expected


def test_a_separate_time_column_fills_rules_without_a_time():
    assert rules("毎週火曜", times="10:00～11:30") == [
        ("weekly", ["TU"], [], None, clock(10), clock(11, 30), "")
    ]


def test_a_fifth_wednesday_is_accepted_with_a_warning():
    parsed = parsers.schedule("第5水曜")

    assert [(r.kind, r.weeks) for r in parsed.rules] == [("monthly_nth", [5])]
    assert parsed.warnings == ["第5水曜がない月は開催がありません（年に4回ほどの開催になります）。"]


def test_a_fifth_wednesday_in_a_month_without_one_is_an_error():
    with pytest.raises(ParseError) as error:
        parsers.schedule("2023年2月第5水曜")

    assert error.value.code == "no_such_day"
    assert "2023年2月に第5水曜日はありません" in str(error.value)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("第6水曜", "week"),
        ("毎週火曜 12:00～11:00", "time"),
        ("毎週火曜 25:00～26:00", "time"),
        ("毎月32日", "day"),
        ("ほげ", "invalid"),
    ],
)
def test_unreadable_schedules_are_errors_naming_the_value(text, code):
    with pytest.raises(ParseError) as error:
        parsers.schedule(text)

    assert error.value.code == code
    assert f"「{text}」" in str(error.value)


@given(
    days=st.lists(st.sampled_from(CODES), min_size=1, max_size=7, unique=True),
    start=st.integers(min_value=0, max_value=22 * 60),
    length=st.integers(min_value=1, max_value=120),
    full_width=st.booleans(),
)
def test_weekly_text_round_trips(days, start, length, full_width):
    opens = clock(start // 60, start % 60)
    end = min(start + length, 23 * 60 + 59)
    closes = clock(end // 60, end % 60)
    ordered = [c for c in CODES if c in days]
    text = f"毎週{'・'.join(DAYS[CODES.index(c)] for c in ordered)}曜 {opens:%H:%M}〜{closes:%H:%M}"
    if full_width:
        text = text.translate(FULL_WIDTH)

    assert rules(text) == [("weekly", ordered, [], None, opens, closes, "")]


@given(
    weeks=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=3, unique=True),
    last=st.booleans(),
    day=st.sampled_from(CODES),
)
def test_nth_weekday_text_round_trips(weeks, last, day):
    ordered = sorted(weeks)
    text = (
        "第"
        + "・".join(map(str, ordered))
        + ("・最終" if last else "")
        + DAYS[CODES.index(day)]
        + "曜"
    )

    parsed = parsers.schedule(text)

    assert [(r.kind, r.weeks, r.weekdays) for r in parsed.rules] == [
        ("monthly_nth", ordered + ([-1] if last else []), [day])
    ]


@given(st.text(max_size=30))
@example("第")
@example("（（")
@example("毎週")
def test_any_text_is_rules_or_a_parse_error_never_a_crash(text):
    try:
        parsed = parsers.schedule(text)
    except ParseError as error:
        assert error.message
    else:
        assert all(
            r.kind in ("weekly", "monthly_nth", "monthly_date", "irregular") for r in parsed.rules
        )


def test_schedule_rule_descriptions_read_back_as_the_same_rule():
    from resources.models import ScheduleRule

    made = [
        ScheduleRule(
            kind="weekly",
            weekdays="MO,WE,FR",
            opens_at=clock(9),
            closes_at=clock(16),
            note="要予約",
        ),
        ScheduleRule(
            kind="monthly_nth", weekdays="WE", weeks_of_month="1,3", opens_at=clock(13, 30)
        ),
        ScheduleRule(kind="monthly_nth", weekdays="FR", weeks_of_month="2,-1"),
        ScheduleRule(kind="monthly_date", day_of_month=15, note="土日祝の場合は翌平日"),
        ScheduleRule(kind="irregular", note="広報紙でお知らせします"),
    ]
    text = " / ".join(rule.describe() for rule in made)

    read = parsers.schedule(text).rules

    assert [r.model_fields() for r in read] == [
        {
            "kind": rule.kind,
            "weekdays": rule.weekdays,
            "weeks_of_month": rule.weeks_of_month,
            "day_of_month": rule.day_of_month,
            "opens_at": rule.opens_at,
            "closes_at": rule.closes_at,
            "note": rule.note,
        }
        for rule in made
    ]


# Fees ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", parsers.Fee()),
        ("無料", parsers.Fee(free=True)),
        ("0円", parsers.Fee(free=True)),
        ("100円", parsers.Fee(amount=100)),
        ("１００円", parsers.Fee(amount=100)),
        ("1,000円", parsers.Fee(amount=1000)),
        ("￥500", parsers.Fee(amount=500)),
        ("300", parsers.Fee(amount=300)),
        ("100円（お茶代）", parsers.Fee(amount=100, note="お茶代")),
        ("実費", parsers.Fee(note="実費")),
        ("無料（材料費のみ実費）", parsers.Fee(free=True, note="材料費のみ実費")),
        ("100円～300円", parsers.Fee(note="100円～300円")),
    ],
)
def test_fee_text(text, expected):
    assert parsers.fee(text) == expected


@given(st.integers(min_value=1, max_value=10**7), st.booleans())
def test_fee_amounts_round_trip(amount, full_width):
    text = parsers.fee_text(False, amount)
    if full_width:
        text = text.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))

    assert parsers.fee(text) == parsers.Fee(amount=amount)


# Coordinates ------------------------------------------------------------------------


def test_swapped_coordinates_are_an_error_not_a_guess():
    with pytest.raises(ParseError) as error:
        parsers.coordinates("135", "34")

    assert error.value.code == "swapped"
    assert "逆" in str(error.value)


@pytest.mark.parametrize(
    ("lat", "lng", "code"),
    [
        ("34.7", "", "partial"),
        ("", "135.5", "partial"),
        ("95", "200", "range"),
        ("北", "135", "invalid"),
    ],
)
def test_bad_coordinates(lat, lng, code):
    with pytest.raises(ParseError) as error:
        parsers.coordinates(lat, lng)

    assert error.value.code == code


@given(
    st.floats(min_value=-90, max_value=90, allow_nan=False),
    st.floats(min_value=-180, max_value=180, allow_nan=False),
)
def test_coordinates_in_range_are_read_as_written(lat, lng):
    assert parsers.coordinates(repr(lat), repr(lng)) == (lat, lng)


def test_full_width_coordinates_and_none():
    assert parsers.coordinates("３４．７０２", "１３５．４９６") == (34.702, 135.496)
    assert parsers.coordinates("", " ") is None


# Text, numbers, dates, names --------------------------------------------------------


def test_text_makes_half_width_kana_and_full_width_letters_ordinary():
    assert parsers.text("  ｻﾛﾝ　ＡＢＣ１２３  ") == "サロン　ABC123"
    assert parsers.text("ﾊﾟｿｺﾝ教室") == "パソコン教室"
    assert parsers.text("（株）「体操」") == "（株）「体操」"


@given(st.text(alphabet=st.characters(min_codepoint=0xFF61, max_codepoint=0xFF9F), max_size=10))
def test_half_width_kana_disappears(text):
    assert not any(0xFF61 <= ord(ch) <= 0xFF9F for ch in parsers.text(text))


@given(st.integers(min_value=0, max_value=10**6))
def test_integers_in_any_width(number):
    full = f"{number:,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    assert parsers.integer(full) == number
    assert parsers.integer(f"{number}人") == number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("平成30年3月", date(2018, 3, 1)),
        ("H30.3.1", date(2018, 3, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("令和元年", date(2019, 5, 1)),
        ("令和4年度", date(2022, 4, 1)),
        ("2021/12/01", date(2021, 12, 1)),
        ("２０２１年１２月１日", date(2021, 12, 1)),
        ("2022/4/1(金)", date(2022, 4, 1)),
        ("", None),
    ],
)
def test_dates(text, expected):
    assert parsers.a_date(text) == expected


def test_heisei_32_is_a_date_error():
    with pytest.raises(ParseError) as error:
        parsers.a_date("平成32年")

    assert error.value.code == "date"
    assert "平成は31年まで" in str(error.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("〒530-0001", "530-0001"),
        ("5300001", "530-0001"),
        ("５３０－０００１", "530-0001"),
        ("", ""),
    ],
)
def test_postal_codes(text, expected):
    assert parsers.postal_code(text) == expected


def test_urls_are_tidied_or_refused():
    assert parsers.url("ＨＴＴＰ：／／ｅｘａｍｐｌｅ．ｊｐ／") == "http://example.jp/"
    assert parsers.url("www.example.jp") == "http://www.example.jp"
    with pytest.raises(ParseError):
        parsers.url("http://three.ai,jp")


def test_a_lookup_finds_codes_names_and_synonyms_in_any_width():
    lookup = parsers.choice_lookup(
        "種別", [("salon", "通いの場・サロン"), ("other", "その他")], parsers.TYPE_SYNONYMS
    )

    assert lookup.resolve("salon") == "salon"
    assert lookup.resolve("通いの場・サロン") == "salon"
    assert lookup.resolve("ｻﾛﾝ") == "salon"
    assert lookup.resolve("共同生活援助") == "other"
    with pytest.raises(ParseError) as error:
        lookup.resolve("ほげ")
    assert error.value.code == "unknown"
    assert "通いの場・サロン" in str(error.value)


def test_a_name_claimed_twice_is_ambiguous():
    lookup = parsers.Lookup("区域")
    lookup.add(1, "第1圏域")
    lookup.add(2, "第1圏域")

    with pytest.raises(ParseError) as error:
        lookup.resolve("第一圏域")
    assert error.value.code == "ambiguous"


def test_split_names_keeps_the_nakaguro():
    assert parsers.split_names("運動、交流,買い物／要支援・事業対象者") == [
        "運動",
        "交流",
        "買い物",
        "要支援・事業対象者",
    ]


def test_weekdays_text():
    assert parsers.weekdays_text(["FR", "MO", "WE"]) == "月水金"


def test_nfkc_of_text_is_what_unicodedata_gives_for_digits():
    assert parsers.nfkc("２０２２") == unicodedata.normalize("NFKC", "２０２２")
