"""One time of day as people type it on a phone: 13:30, 1330, 13時30分, 午後1時半.

Part of ``portal.parsers`` (read the package's docstring); import from there.
The coordinators' editor and the group's own listing read their time fields
with it, so that 「13時30分」 is never refused.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import time as clock

from portal.parsers.cells import ParseError

CLOCK_EXAMPLES = "例: 13:30、1330、13時30分、午後1時半"
_MERIDIEM = re.compile(r"^(午前|午後|am|pm|a\.m\.|p\.m\.)|(午前|午後|am|pm|a\.m\.|p\.m\.)$")
_FORMS = (
    re.compile(r"(\d{1,2})[:：.](\d{2})"),  # 13:30, 13.30
    re.compile(r"(\d{1,2})時(?:(\d{1,2})分|(半))?"),  # 13時, 13時30分, 1時半
    re.compile(r"(\d{3,4})"),  # 930, 1330
    re.compile(r"(\d{1,2})"),  # 13
)


def clock_time(value: object) -> clock | None:
    """The time of day in ``value``, None for blank; ``ParseError`` in Japanese."""
    raw = "" if value is None else str(value)
    cleaned = unicodedata.normalize("NFKC", raw).strip().lower().replace(" ", "")
    cleaned = cleaned.replace("ごろ", "").replace("頃", "").replace("から", "").replace("〜", "")
    if not cleaned:
        return None
    meridiem = ""
    m = _MERIDIEM.search(cleaned)
    if m:
        word = m.group(1) or m.group(2)
        meridiem = "pm" if word in ("午後", "pm", "p.m.") else "am"
        cleaned = cleaned[: m.start()] + cleaned[m.end() :]
    for number, form in enumerate(_FORMS):
        m = form.fullmatch(cleaned)
        if not m:
            continue
        if number == 2:
            digits = m.group(1)
            hour, minute = int(digits[:-2]), int(digits[-2:])
        else:
            hour = int(m.group(1))
            groups = m.groups()[1:]
            minute = 30 if len(groups) > 1 and groups[1] else int(groups[0] or 0) if groups else 0
        if meridiem == "pm" and hour < 12:
            hour += 12
        if meridiem == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            raise ParseError(f"「{raw}」という時刻はありません（{CLOCK_EXAMPLES}）。", code="time")
        return clock(hour, minute)
    raise ParseError(f"「{raw}」を時刻として読み取れません（{CLOCK_EXAMPLES}）。", code="time")
