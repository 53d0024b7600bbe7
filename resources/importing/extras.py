"""Cells as real files write them, tidied before the parsers read them.

Excel time cells and 「09:00:00」, 「①13:00 ②14:45」 (two rules), remarks after
「ただし」「※」 (kept as a note), 定員 text (「先着20人」 → 20, 「無し」 → empty),
several phone numbers in one cell, opening hours per kind of day, and the
signs of a list of one-off events rather than of resources.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from portal import parsers
from resources.importing.columns import DAY_KINDS

_SECONDS = re.compile(r"(\d{1,2}[:：]\d{2})[:：]\d{2}")
_REMARK = re.compile(r"\s*(?:ただし|但し|※)")
_CIRCLED = re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩]")
_NUMBER = re.compile(r"\d+")
_NOTHING = {
    "",
    "-",
    "－",
    "ー",
    "―",
    "‐",
    "—",
    "無し",
    "なし",
    "無",
    "特になし",
    "定めなし",
    "未定",
}
_PHONE = re.compile(r"0\d{1,4}[-‐－ー(（)）]\d{1,4}[-‐－ー)）]\d{3,4}|0\d{9,10}")
_EVENT_DATE = re.compile(
    r"(?:\d{4}|令和|平成|R\s*\d|H\s*\d)[^/\n]{0,6}?年?\s*\d{1,2}\s*[月/.]\s*\d{1,2}\s*日?"
    r"|\d{4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{1,2}"
)
EVENT_HEADERS = ("行事名", "イベント名", "催し名", "催し物名", "行事", "イベント")


def clock_text(value: object) -> str:
    """A time cell (Excel time, 0.375, 「09:00:00」) as 「9:00」; other text as is."""
    if isinstance(value, time):
        return f"{value.hour}:{value.minute:02d}"
    if isinstance(value, datetime):
        return f"{value.hour}:{value.minute:02d}"
    if isinstance(value, float) and 0 < value < 1:
        minutes = round(value * 24 * 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    return _SECONDS.sub(r"\1", parsers.nfkc(value).strip())


def split_remark(value: str) -> tuple[str, str]:
    """「毎週水曜 10:00～12:00 ただし8月は休み」 → (schedule, 「ただし8月は休み」)."""
    match = _REMARK.search(value)
    if not match or match.start() == 0:
        return value, ""
    return value[: match.start()].strip(" 、,。"), value[match.start() :].strip()


def schedule_text(value: object) -> tuple[str, str]:
    """The schedule cell for the parser, and the remark it holds (for a note)."""
    if isinstance(value, (time, datetime)):
        return clock_text(value), ""
    raw = _SECONDS.sub(r"\1", parsers.text(value, multiline=True))
    raw, remark = split_remark(raw)
    if _CIRCLED.search(raw):
        head, *times = _CIRCLED.split(raw)
        head = head.strip(" 、,")
        times = [t.strip(" 、,") for t in times if t.strip(" 、,")]
        raw = "/".join(f"{head} {t}".strip() for t in times)
    return raw, remark


def capacity(value: object) -> tuple[int | None, str, bool]:
    """(number, note, read): 「先着20人」 → (20, 「先着20人」), 「無し」 → (None, "")."""
    if value is None or isinstance(value, bool):
        return None, "", True
    if isinstance(value, (int, float)):
        return (int(value) if value >= 0 else None), "", value >= 0
    text = parsers.nfkc(value).strip()
    if text in _NOTHING:
        return None, "", True
    numbers = _NUMBER.findall(text.replace(",", ""))
    if not numbers:
        return None, text, False
    number = int(numbers[0])
    plain = re.fullmatch(r"\d+\s*(?:人|名|席|組)?(?:程度|まで)?", text.replace(",", ""))
    return number, ("" if plain else text), True


def phones(value: object) -> tuple[str, list[str]]:
    """The first phone number of a cell and the others (「06-1234-5678／06-…」)."""
    text = parsers.nfkc(value).strip()
    found = _PHONE.findall(text)
    if len(found) <= 1:
        return text, []
    return found[0], found[1:]


def looks_like_events(cells: list[str]) -> bool:
    """Most schedule cells are one date with its year: a list of 行事, not of resources."""
    filled = [c for c in cells if c and c.strip()]
    if len(filled) < 3:
        return False
    dated = sum(1 for c in filled if _EVENT_DATE.search(parsers.nfkc(c)))
    return dated * 2 > len(filled)


def day_hours_text(raws: dict[str, object]) -> tuple[str, str]:
    """Schedule text from hours per kind of day (運営日（平日）－開始 …), and a note
    for what no weekday holds (祝日)."""
    hours: list[tuple[tuple[str, ...], str, str]] = []
    note = []
    for key, label, days in DAY_KINDS:
        span = _hours(raws, key)
        if not span:
            continue
        if not days:
            note.append(f"{label} {span}")
            continue
        hours.append((days, label, span))
    if not hours:
        return "", "、".join(note)
    by_span: dict[str, list[str]] = {}
    for days, _label, span in hours:
        by_span.setdefault(span, [])
        for day in days:
            if day not in by_span[span]:
                by_span[span].append(day)
    order = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    chars = dict(zip(order, "月火水木金土日", strict=True))
    parts = []
    for span, days in by_span.items():
        ordered = "".join(chars[d] for d in order if d in days)
        parts.append(f"毎週{'・'.join(ordered)}曜 {span}")
    return "/".join(parts), "、".join(note)


def _hours(raws: dict[str, object], key: str) -> str:
    whole = raws.get(f"hours_{key}")
    if whole not in (None, ""):
        text = clock_text(whole)
        return "" if text in _NOTHING else text
    opens = raws.get(f"opens_{key}")
    closes = raws.get(f"closes_{key}")
    opens = clock_text(opens) if opens not in (None, "") else ""
    closes = clock_text(closes) if closes not in (None, "") else ""
    if opens in _NOTHING:
        return ""
    if not closes or closes in _NOTHING or closes == opens:  # 「9:00～9:00」: the start only
        return opens
    return f"{opens}～{closes}"
