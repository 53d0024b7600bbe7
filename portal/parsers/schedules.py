"""曜日 and 開催日 text as schedule rules (毎週火曜, 第2・4金曜 13:30～15:00 …).

Part of ``portal.parsers`` (read the package's docstring); import from there.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from datetime import time as clock

from portal import weekdays as vocabulary
from portal.parsers.cells import ParseError, a_date, text

# The kernel's one weekday vocabulary (portal/weekdays.py).
WEEKDAY_CODES = vocabulary.CODES
_DAY_CHARS = vocabulary.CHARS
_DAY_OF_CHAR = vocabulary.CODE_OF_CHAR
_DAY_LABEL = vocabulary.CHAR_OF

# Schedules ------------------------------------------------------------------


@dataclass
class Rule:
    """One ScheduleRule's data, before there is a resource to attach it to."""

    kind: str  # ScheduleRule.Kind values: weekly, monthly_nth, monthly_date, irregular
    weekdays: list[str] = field(default_factory=list)
    weeks: list[int] = field(default_factory=list)
    day: int | None = None
    opens_at: clock | None = None
    closes_at: clock | None = None
    note: str = ""

    def key(self) -> tuple:
        """What makes two rules the same (the note compared in NFKC: （ = ( )."""
        return (
            self.kind,
            vocabulary.joined(self.weekdays),
            ",".join(str(n) for n in self.weeks),
            self.day,
            self.opens_at,
            self.closes_at,
            unicodedata.normalize("NFKC", self.note).strip(),
        )

    def model_fields(self) -> dict:
        return {
            "kind": self.kind,
            "weekdays": vocabulary.joined(self.weekdays),
            "weeks_of_month": ",".join(str(n) for n in self.weeks),
            "day_of_month": self.day,
            "opens_at": self.opens_at,
            "closes_at": self.closes_at,
            "note": self.note,
        }


@dataclass
class Schedule:
    rules: list[Rule]
    warnings: list[str] = field(default_factory=list)


SCHEDULE_EXAMPLES = (
    "例: 毎週火曜 10:00～11:30、第1・3水曜 13:30～15:00、月火水木金、毎月15日、不定期"
)
_DASH = r"(?:~|〜|-|‐|−|–|—|ー|から)"
_CLOCK = r"(?:(?:午前|午後|am|pm|AM|PM)\s*)?\d{1,2}\s*(?::\s*\d{2}|時\s*(?:\d{1,2}\s*分|半)?)"
_TIME_RANGE = re.compile(rf"(?P<open>{_CLOCK})\s*(?:{_DASH}\s*(?P<close>{_CLOCK})?\s*(?:まで)?)?")
_IRREGULAR = re.compile(r"^(不定期|随時|要問い?合わ?せ|応相談|相談に応じて|未定|その都度)")
_TIMES_A_PERIOD = re.compile(r"^(?:毎月|月|年|隔月|週)\s*\d+\s*回(?:程度)?")


def schedule(value: object, *, times: object = None) -> Schedule:
    """Schedule rules from 曜日/開催日 text; ``times`` is a separate 時間 column."""
    raw = text(value, multiline=True)
    protected, notes = _protect_notes(raw)
    cleaned = _schedule_normalise(protected)
    result = Schedule(rules=[])
    if cleaned:
        for segment in _segments(cleaned):
            _parse_segment(segment, result, raw, notes)
    time_text = _schedule_normalise(text(times))
    if time_text:
        opens, closes, rest = _take_time(time_text, raw=text(times))
        if opens is None or rest.strip(" ,、"):
            raise ParseError(f"「{text(times)}」を時刻として読み取れません（例: 13:30～15:00）。")
        if not result.rules:
            result.rules.append(Rule(kind="irregular"))
        for rule in result.rules:
            if rule.opens_at is None:
                rule.opens_at, rule.closes_at = opens, closes
    for rule in result.rules:
        if 5 in rule.weeks:
            days = "・".join(_DAY_LABEL[c] for c in rule.weekdays)
            result.warnings.append(
                f"第5{days}曜がない月は開催がありません（年に4回ほどの開催になります）。"
            )
        if rule.day and rule.day > 28:
            result.warnings.append(f"{rule.day}日がない月は開催がありません。")
    return result


def _schedule_normalise(raw: str) -> str:
    cleaned = unicodedata.normalize("NFKC", raw)
    cleaned = cleaned.replace("曜日", "曜").replace("第一", "第1").replace("第二", "第2")
    cleaned = cleaned.replace("第三", "第3").replace("第四", "第4").replace("第五", "第5")
    return re.sub(r"[ \t]+", " ", cleaned).strip()


def _segments(cleaned: str) -> list[str]:
    """Split on / ; and new lines outside parentheses, then on 、 and , where a new
    rule starts (毎週…、第2…), keeping 月、水、金 together."""
    pieces, depth, current = [], 0, ""
    for ch in cleaned:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "/／;；\n":
            pieces.append(current)
            current = ""
            continue
        current += ch
    pieces.append(current)
    segments: list[str] = []
    for piece in pieces:
        for part in _split_outside(piece, "、,"):
            part = part.strip()
            if not part:
                continue
            starts_rule = re.match(r"^(毎週|毎月|第\d|最終|隔週|毎日|平日|不定期|随時|\d+日)", part)
            if segments and not starts_rule and _is_extension(part):
                segments[-1] += "・" + part
            else:
                segments.append(part)
    return segments


def _split_outside(text_: str, separators: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text_:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        if depth == 0 and ch in separators:
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    return parts


def _is_extension(part: str) -> bool:
    """月 / 水曜 / 13:00〜15:00 after a 、 continue the rule before it."""
    days = _TIME_RANGE.sub("", _NOTE_MARK.sub("", part)).strip()
    return not days or bool(re.fullmatch(r"[月火水木金土日]曜?|祝日?", days))


def _protect_notes(raw: str) -> tuple[str, list[str]]:
    """Parenthesised notes, balanced (（…（…）…）), taken out as they were written
    and replaced by a placeholder, so that normalising the rule text (NFKC, 曜日 →
    曜) never changes a note: （7・8月は休み） comes back with its full-width （）."""
    notes: list[str] = []
    out, depth, current = "", 0, ""
    for ch in raw:
        if ch in "(（":
            if depth:
                current += ch
            depth += 1
            continue
        if ch in ")）" and depth:
            depth -= 1
            if depth:
                current += ch
            else:
                out += f"\ue000{len(notes)}\ue001"
                notes.append(current.strip())
                current = ""
            continue
        if depth:
            current += ch
        else:
            out += ch
    if depth:  # an unclosed parenthesis: keep the text as written
        out += "(" + current
    return out, notes


_NOTE_MARK = re.compile(r"\ue000(\d+)\ue001")


def _take_notes(segment: str, store: list[str]) -> tuple[str, list[str]]:
    notes = [store[int(m.group(1))] for m in _NOTE_MARK.finditer(segment)]
    return _NOTE_MARK.sub(" ", segment).strip(), [n for n in notes if n]


def _clock(text_: str, raw: str) -> tuple[clock, str]:
    cleaned = text_.replace(" ", "")
    meridiem = ""
    m = re.match(r"^(午前|午後|am|pm|AM|PM)", cleaned)
    if m:
        meridiem = "pm" if m.group(1).lower() in ("午後", "pm") else "am"
        cleaned = cleaned[m.end() :]
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分|(半))?)", cleaned)
    if not m:
        raise ParseError(f"「{raw}」の時刻を読み取れません（{SCHEDULE_EXAMPLES}）。")
    hour = int(m.group(1))
    minute = int(m.group(2) or m.group(3) or (30 if m.group(4) else 0))
    if meridiem == "pm" and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        raise ParseError(f"「{raw}」の時刻 {hour}:{minute:02d} はありません。", code="time")
    return clock(hour, minute), meridiem


def _take_time(segment: str, *, raw: str) -> tuple[clock | None, clock | None, str]:
    match = None
    for candidate in _TIME_RANGE.finditer(segment):
        if re.search(r"[:時]", candidate.group("open")):
            match = candidate
            break
    if match is None:
        return None, None, segment
    opens, meridiem = _clock(match.group("open"), raw)
    closes = None
    if match.group("close"):
        closes, close_meridiem = _clock(match.group("close"), raw)
        if meridiem == "pm" and not close_meridiem and closes.hour < 12:
            closes = clock(closes.hour + 12, closes.minute)
        if closes <= opens:
            raise ParseError(
                f"「{raw}」: 終了時刻 {closes:%H:%M} は開始時刻 {opens:%H:%M} より後にしてください。",
                code="time",
            )
    rest = (segment[: match.start()] + " " + segment[match.end() :]).strip()
    return opens, closes, rest


def _days(part: str, raw: str) -> tuple[list[str], str]:
    """Weekday codes from 月・水・金曜 / 月火水木金 / 月～金 / 平日 / 土日祝 / 毎日."""
    note = ""
    work = part.replace("曜", "").replace(" ", "")
    if re.search(r"祝日?", work):
        work = re.sub(r"[・,、と]?祝日?", "", work)
        note = "祝日も開催"
    work = work.replace("平日", "月火水木金").replace("毎日", "月火水木金土日")
    range_match = re.fullmatch(rf"([{_DAY_CHARS}]){_DASH}([{_DAY_CHARS}])", work)
    if range_match:
        start = _DAY_CHARS.index(range_match.group(1))
        end = _DAY_CHARS.index(range_match.group(2))
        if end < start:
            raise ParseError(f"「{raw}」の曜日の範囲を読み取れません。")
        return list(WEEKDAY_CODES[start : end + 1]), note
    work = re.sub(r"[・,、と]", "", work)
    if not work or any(ch not in _DAY_CHARS for ch in work):
        raise ParseError(f"「{raw}」を開催日時として読み取れません（{SCHEDULE_EXAMPLES}）。")
    codes = [_DAY_OF_CHAR[ch] for ch in work]
    return [c for c in WEEKDAY_CODES if c in codes], note


def _weeks(prefix: str, raw: str) -> list[int]:
    weeks: list[int] = []
    for token in re.findall(r"最終|\d+", prefix):
        number = -1 if token == "最終" else int(token)
        if number != -1 and not 1 <= number <= 5:
            raise ParseError(
                f"「{raw}」: 第{number}週はありません（第1〜第5、または最終）。", code="week"
            )
        if number not in weeks:
            weeks.append(number)
    return sorted(n for n in weeks if n > 0) + ([-1] if -1 in weeks else [])


def _parse_segment(segment: str, result: Schedule, raw: str, store: list[str]) -> None:
    body, notes = _take_notes(segment, store)
    opens, closes, body = _take_time(body, raw=raw)
    body = body.strip(" 、,・")
    note = "、".join(notes)

    def add(rule: Rule) -> None:
        rule.opens_at, rule.closes_at = opens, closes
        rule.note = "、".join(p for p in (rule.note, note) if p)
        result.rules.append(rule)

    if not body:
        if opens is None:
            if note:
                add(Rule(kind="irregular"))
                return
            raise ParseError(f"「{raw}」を開催日時として読み取れません（{SCHEDULE_EXAMPLES}）。")
        if not result.rules:
            add(Rule(kind="irregular"))
            return
        for rule in result.rules:  # a time after the days: 月・水 、10:00～12:00
            if rule.opens_at is None:
                rule.opens_at, rule.closes_at = opens, closes
        return

    irregular = _IRREGULAR.match(body) or _TIMES_A_PERIOD.match(body)
    if irregular:
        rest = body[irregular.end() :].strip(" 、,・")
        word = irregular.group(0)
        if word.startswith("週") and rest:  # 週1回 火曜: weekly, with the count as a note
            days, day_note = _days(rest, raw)
            add(
                Rule(kind="weekly", weekdays=days, note="、".join(p for p in (word, day_note) if p))
            )
            return
        kept = "" if word == "不定期" else word
        add(Rule(kind="irregular", note="、".join(p for p in (kept, rest) if p)))
        return

    one_month = re.match(
        r"^(?P<ym>(?:令和|平成|R|H)\s*(?:元|\d{1,2})\s*年\s*\d{1,2}\s*月|\d{4}\s*[年/.-]\s*\d{1,2}\s*月?)\s*の?\s*(?P<rest>.+)$",
        body,
    )
    if one_month and re.match(r"^(第|最終)", one_month.group("rest")):
        add(_one_month(one_month.group("ym"), one_month.group("rest"), raw))
        return

    monthly_date = re.fullmatch(r"(?:毎月)?\s*((?:\d{1,2}\s*日\s*[・,、と]?\s*)+)", body)
    if monthly_date:
        for number in re.findall(r"\d+", monthly_date.group(1)):
            day = int(number)
            if not 1 <= day <= 31:
                raise ParseError(f"「{raw}」: {day}日はありません。", code="day")
            add(Rule(kind="monthly_date", day=day))
        return

    nth = re.match(
        r"^(?:毎月)?\s*((?:(?:第\s*\d+|最終)\s*(?:週)?\s*[・,、と]?\s*(?:\d+\s*[・,、と]?\s*)*)+)",
        body,
    )
    if nth:
        weeks = _weeks(nth.group(1), raw)
        days, day_note = _days(body[nth.end() :].strip(" ・"), raw)
        add(Rule(kind="monthly_nth", weekdays=days, weeks=weeks, note=day_note))
        return

    biweekly = body.startswith("隔週")
    weekly_body = re.sub(r"^(毎週|隔週|毎(?=[月火水木金土日]曜))", "", body).strip(" ・")
    days, day_note = _days(weekly_body, raw)
    extra = "隔週" if biweekly else ""
    add(Rule(kind="weekly", weekdays=days, note="、".join(p for p in (extra, day_note) if p)))


def _one_month(ym: str, rest: str, raw: str) -> Rule:
    """2023年2月第5水曜: one meeting on that date, or an error when there is none."""
    try:
        first = a_date(ym if ym.endswith("月") else ym + "月")
    except ParseError as exc:
        raise ParseError(f"「{raw}」: {exc}", code="date") from None
    assert first is not None
    prefix = re.match(r"^((?:第\s*\d+|最終)(?:\s*[・,、と]\s*(?:第\s*)?\d+)*)\s*(?:週)?", rest)
    if not prefix:
        raise ParseError(f"「{raw}」を開催日時として読み取れません（{SCHEDULE_EXAMPLES}）。")
    weeks = _weeks(prefix.group(1), raw)
    days, _note = _days(rest[prefix.end() :].strip(" ・"), raw)
    dates = []
    for code in days:
        weekday = WEEKDAY_CODES.index(code)
        matching = [
            day
            for day in range(1, calendar.monthrange(first.year, first.month)[1] + 1)
            if date(first.year, first.month, day).weekday() == weekday
        ]
        for week in weeks:
            if week == -1:
                dates.append(date(first.year, first.month, matching[-1]))
            elif week > len(matching):
                raise ParseError(
                    f"「{raw}」: {first.year}年{first.month}月に第{week}{_DAY_LABEL[code]}曜日はありません。",
                    code="no_such_day",
                )
            else:
                dates.append(date(first.year, first.month, matching[week - 1]))
    note = "、".join(
        f"{d.year}年{d.month}月{d.day}日（{_DAY_CHARS[d.weekday()]}）" for d in sorted(dates)
    )
    return Rule(kind="irregular", note=note)


def weekdays_text(codes: Iterable[str]) -> str:
    """MO,WE,FR → 月水金 (the 利用可能曜日 of the open data standard)."""
    return "".join(_DAY_LABEL[c] for c in vocabulary.ordered(codes))
