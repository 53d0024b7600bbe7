"""和暦 (Japanese era) dates and 年度 (fiscal years, April to March).

``format_date`` writes 令和8年11月22日; ``parse_date`` reads the ways legacy
spreadsheets write dates: 平成30年3月, H30.3.1, 平成31年4月30日, 令和元年,
2021/12/01, R4.4 …; ``parse_fiscal_year`` reads 令和4年度 or 2022年度.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from portal import weekdays


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: date
    last_year: int | None  # the era's last year number; None while it lasts

    def to_gregorian(self, year: int) -> int:
        return self.start.year + year - 1


ERAS = (
    Era("令和", "R", date(2019, 5, 1), None),
    Era("平成", "H", date(1989, 1, 8), 31),
    Era("昭和", "S", date(1926, 12, 25), 64),
    Era("大正", "T", date(1912, 7, 30), 15),
    Era("明治", "M", date(1868, 1, 25), 45),
)
_BY_NAME = {era.name: era for era in ERAS} | {era.letter: era for era in ERAS}


class WarekiError(ValueError):
    """A date that cannot be read; the message is Japanese and names the value."""


def era_of(day: date) -> Era:
    for era in ERAS:
        if day >= era.start:
            return era
    raise WarekiError(f"{day.isoformat()} は明治より前の日付です。")


def era_year(day: date) -> str:
    """The era and year of ``day``: 令和8年, 令和元年 for an era's first year."""
    era = era_of(day)
    number = day.year - era.start.year + 1
    return f"{era.name}{'元' if number == 1 else number}年"


def format_date(day: date, *, with_weekday: bool = False) -> str:
    """令和8年11月22日 (元年 for the first year)."""
    text = f"{era_year(day)}{day.month}月{day.day}日"
    if with_weekday:
        text += f"（{weekdays.char_of_date(day)}）"
    return text


def format_both(day: date) -> str:
    """令和8年（2026年）11月22日: what printed documents show."""
    return f"{era_year(day)}（{day.year}年）{day.month}月{day.day}日"


def format_year_month(day: date) -> str:
    """平成29年11月."""
    return f"{era_year(day)}{day.month}月"


def format_months(months: Iterable[tuple[int, int]]) -> str:
    """(year, month) pairs as the city's tables write 開催時期:
    平成29年4月、6月、平成30年2月～3月.

    Consecutive months join with ～; the era year is written when it changes.
    """
    ordered = sorted(set(months))
    if not ordered:
        return ""
    runs: list[list[tuple[int, int]]] = [[ordered[0]]]
    for year, month in ordered[1:]:
        last_year, last_month = runs[-1][-1]
        follows = (year, month) == (
            (last_year, last_month + 1) if last_month < 12 else (last_year + 1, 1)
        )
        if follows:
            runs[-1].append((year, month))
        else:
            runs.append([(year, month)])
    parts: list[str] = []
    shown = None
    for run in runs:
        (start_year, start_month), (end_year, end_month) = run[0], run[-1]
        start_era = era_year(date(start_year, start_month, 1))
        text = f"{start_era if start_era != shown else ''}{start_month}月"
        shown = start_era
        if len(run) > 1:
            end_era = era_year(date(end_year, end_month, 1))
            text += f"～{end_era if end_era != shown else ''}{end_month}月"
            shown = end_era
        parts.append(text)
    return "、".join(parts)


# 年度: April to March ------------------------------------------------------------

# The months of a 年度 in their order, as every monthly table lists them.
FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def fiscal_year_of(day: date) -> int:
    """The 年度 a day belongs to: 2025-03-31 is in 2024年度."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of a 年度: 2024 -> (2024-04-01, 2025-03-31)."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def fiscal_year_months(year: int) -> list[tuple[int, int]]:
    """(year, month) of each month of a 年度, April first: (2024, 4) … (2025, 3)."""
    return [(year + (month < 4), month) for month in FISCAL_MONTHS]


def fiscal_month_index(month: int) -> int:
    """Where a month stands in its 年度: April 0 … March 11."""
    return FISCAL_MONTHS.index(month)


def format_fiscal_year(year: int) -> str:
    """2022 -> 令和4年度."""
    # 2019年度 is 令和元年度: a fiscal year takes the era in force for most of it.
    return f"{era_year(date(year, 5, 1))}度"


_ERA_DATE = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\.?\s*(?P<year>元|\d{1,2})\s*[年./-]?\s*"
    r"(?:(?P<month>\d{1,2})\s*[月./-]?\s*(?:(?P<day>\d{1,2})\s*日?)?)?$",
    re.IGNORECASE,
)
_WESTERN_DATE = re.compile(
    r"^(?P<year>\d{4})\s*[年./-]\s*(?P<month>\d{1,2})\s*(?:[月./-]\s*(?:(?P<day>\d{1,2})\s*日?)?)?$"
)
_FISCAL = re.compile(
    r"^(?:(?P<era>令和|平成|昭和|[RHS])\.?\s*(?P<year>元|\d{1,2})|(?P<western>\d{4}))\s*年度$"
)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def _era_year(era_text: str, year_text: str, original: str) -> int:
    era = _BY_NAME[era_text.upper() if len(era_text) == 1 else era_text]
    number = 1 if year_text == "元" else int(year_text)
    if number < 1:
        raise WarekiError(f"「{original}」: {era.name}{number}年はありません。")
    if era.last_year is not None and number > era.last_year:
        raise WarekiError(
            f"「{original}」: {era.name}{number}年はありません（{era.name}は{era.last_year}年まで）。"
        )
    return era.to_gregorian(number)


def parse_date(text: str) -> date:
    """A date from 和暦 or 西暦 text; a month without a day means its first day."""
    cleaned = _clean(text)
    if not cleaned:
        raise WarekiError("日付が空です。")
    match = _ERA_DATE.match(cleaned)
    if match:
        year = _era_year(match["era"], match["year"], text)
    else:
        match = _WESTERN_DATE.match(cleaned)
        if not match:
            raise WarekiError(
                f"「{text}」を日付として読み取れません（例: 令和4年4月1日、2022/4/1）。"
            )
        year = int(match["year"])
    month = int(match["month"] or 1)
    day = int(match["day"] or 1)
    try:
        result = date(year, month, day)
    except ValueError:
        raise WarekiError(f"「{text}」は存在しない日付です。") from None
    era = _BY_NAME.get((match.groupdict().get("era") or "").upper()) or _BY_NAME.get(
        match.groupdict().get("era") or ""
    )
    if era is None:
        return result
    if result < GREGORIAN_START:
        # Japan counted days by the lunar calendar until 明治5年12月2日: an
        # earlier 明治 date cannot be turned into a calendar date.
        raise WarekiError(
            f"「{text}」: 明治5年以前は旧暦のため、日付に直せません（明治6年1月1日から）。"
        )
    following = _next_era(era)
    if following and result >= following.start:
        last = following.start - timedelta(days=1)
        raise WarekiError(
            f"「{text}」はありません（{era.name}は{era.last_year}年{last.month}月{last.day}日まで。"
            f"その後は{following.name}です）。"
        )
    if not match["month"] and result < era.start:
        return era.start  # 令和元年 alone: the era's first day
    return result


# The first day Japan counted by the Gregorian calendar (明治6年1月1日).
GREGORIAN_START = date(1873, 1, 1)


def _next_era(era: Era) -> Era | None:
    index = ERAS.index(era)
    return ERAS[index - 1] if index > 0 else None


def parse_fiscal_year(text: str) -> int:
    """令和4年度 / R4年度 / 2022年度 -> 2022."""
    cleaned = _clean(text)
    match = _FISCAL.match(cleaned)
    if not match:
        raise WarekiError(f"「{text}」を年度として読み取れません（例: 令和4年度、2022年度）。")
    if match["western"]:
        return int(match["western"])
    return _era_year(match["era"], match["year"], text)
