"""Value parsers for legacy spreadsheets: the one place that reads what offices type.

Every parser takes the text of one cell and returns a Python value, or raises
``ParseError`` with a Japanese message that names the value (the caller adds the
row and the column). Pure functions: no database, so they are cheap enough to run
on every cell of a 10,000-row file and easy to test with hypothesis.

What they accept (examples in the tests):

- text: half-width kana become full-width (ｻﾛﾝ → サロン), full-width letters and
  digits half-width (ＡＢＣ１２３ → ABC123), surrounding spaces (also 全角) go;
- numbers, fees (無料, 100円, １，０００円, 実費), yes/no (はい, ○, 有, True …);
- coordinates, range-checked; latitude 135 with longitude 34 is reported as
  swapped (``code == "swapped"``), never silently turned round;
- 曜日 and 開催日 text as schedule rules (``schedule``): 毎週火曜, 第2・4金曜,
  第1・3水曜 13:30～15:00, 月火水木金, 平日, 毎月15日, 不定期, and whatever
  ``ScheduleRule.describe`` writes, several rules separated by ``/``;
- names from a fixed list with synonyms (``Lookup``): categories, resource types,
  statuses, areas (by code, 全国地方公共団体コード or name).

第5水曜 (and 毎月31日) is a valid recurring rule: months without a fifth
Wednesday simply have no meeting. It is accepted with a warning, not an error.
Only a 第5水曜 tied to one month that has none (``2023年2月第5水曜``) is an
error: that date does not exist.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock
from functools import lru_cache

from django.conf import settings
from django.utils import translation

from portal.text import normalize
from portal.wareki import WarekiError, parse_date, parse_fiscal_year

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_CHARS = "月火水木金土日"
_DAY_OF_CHAR = dict(zip(_DAY_CHARS, WEEKDAY_CODES, strict=True))
_DAY_LABEL = dict(zip(WEEKDAY_CODES, _DAY_CHARS, strict=True))


class ParseError(ValueError):
    """A value that cannot be read. ``code`` tells kinds apart for callers and tests."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


# Text -----------------------------------------------------------------------

_HALF_KANA = re.compile(r"[\uff61-\uff9f]+")
_FULL_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NEEDS_WORK = re.compile(r"[\uff61-\uff9f０-９Ａ-Ｚａ-ｚ\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value: object, *, multiline: bool = False) -> str:
    """A cell as tidy text: ｻﾛﾝ → サロン, ＡＢＣ１２３ → ABC123, ends stripped.

    Full-width punctuation （）・「」 stays: it is ordinary Japanese writing.
    """
    if value is None:
        return ""
    if type(value) is str:
        result = value
    elif isinstance(value, float) and value.is_integer():
        result = str(int(value))
    elif isinstance(value, datetime):
        day = value.date() if value.time() == clock(0) else value
        result = day.isoformat()
    elif isinstance(value, date):
        result = value.isoformat()
    else:
        result = str(value)
    if _NEEDS_WORK.search(result):
        result = _HALF_KANA.sub(lambda m: unicodedata.normalize("NFKC", m.group()), result)
        result = _FULL_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), result)
        result = _CONTROL.sub("", result)
    if multiline:
        result = result.replace("\r\n", "\n").replace("\r", "\n")
        lines = [line.rstrip(" \u3000\t") for line in result.split("\n")]
        return "\n".join(lines).strip("\n \u3000\t")
    if "\n" in result or "\r" in result or "\t" in result:
        result = " ".join(re.split(r"[\r\n\t]+", result))
    return result.strip(" \u3000")


def nfkc(value: object) -> str:
    """Full NFKC (for numbers, codes, dates): ２０２２ → 2022, （ → (, 　 → space."""
    return unicodedata.normalize("NFKC", text(value)).strip()


def integer(value: object, *, minimum: int = 0, maximum: int = 10**9) -> int | None:
    """１，２００ / 1,200 / 20人 / 20名 → an int; blank → None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise ParseError(f"「{value}」は整数ではありません。")
        number = int(value)
    else:
        cleaned = nfkc(value).replace(",", "").replace(" ", "")
        cleaned = re.sub(r"(人|名|件|円|程度|位|くらい)$", "", cleaned)
        if not cleaned:
            return None
        if not re.fullmatch(r"[+-]?\d+(\.0+)?", cleaned):
            raise ParseError(f"「{text(value)}」を数として読み取れません。")
        number = int(float(cleaned))
    if not minimum <= number <= maximum:
        raise ParseError(f"「{number}」は {minimum}〜{maximum} の範囲にしてください。")
    return number


_TRUE = {
    "はい",
    "○",
    "〇",
    "◯",
    "●",
    "✓",
    "✔",
    "レ",
    "1",
    "true",
    "yes",
    "y",
    "有",
    "あり",
    "要",
    "可",
    "済",
}
_FALSE = {
    "いいえ",
    "×",
    "✕",
    "-",
    "0",
    "false",
    "no",
    "n",
    "無",
    "なし",
    "否",
    "不要",
    "不可",
    "未",
}


def boolean(value: object) -> bool:
    """はい/○/有/True → True; 空欄/いいえ/×/無/False → False."""
    if isinstance(value, bool):
        return value
    cleaned = nfkc(value).lower()
    if not cleaned or cleaned in {v.lower() for v in _FALSE}:
        return False
    if cleaned in {v.lower() for v in _TRUE}:
        return True
    raise ParseError(f"「{text(value)}」は「はい」か空欄で入力してください。")


def split_names(value: object) -> list[str]:
    """Names separated by 、 , ， ／ / ; or new lines ( ・ stays: 要支援・事業対象者)."""
    parts = re.split(r"[、,，/／;；\n]+", text(value, multiline=True))
    return [part.strip(" \u3000") for part in parts if part.strip(" \u3000")]


def postal_code(value: object) -> str:
    """〒530-0001 / 5300001 / ５３０－０００１ → 530-0001."""
    cleaned = nfkc(value).replace("〒", "").replace(" ", "")
    cleaned = re.sub(r"[‐−–—ー-]", "-", cleaned)
    if not cleaned:
        return ""
    digits = cleaned.replace("-", "")
    if not re.fullmatch(r"\d{7}", digits):
        raise ParseError(
            f"郵便番号「{text(value)}」は7桁の数字で入力してください（例: 530-0001）。"
        )
    return f"{digits[:3]}-{digits[3:]}"


def phone(value: object) -> str:
    """０６－１２３４－５６７８ → 06-1234-5678; a number Excel stored as 661234567 stays."""
    cleaned = text(value)
    cleaned = unicodedata.normalize("NFKC", cleaned)
    return re.sub(r"[‐−–—ー－]", "-", cleaned).strip()


def url(value: object) -> str:
    """A web address: ＨＴＴＰ：／／… → http://…, www.… → http://www.…, spaces gone."""
    return _url(nfkc(value).replace(" ", ""), text(value))


@lru_cache(maxsize=4096)
def _url(cleaned: str, written: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    if not cleaned:
        return ""
    if re.match(r"^www\.", cleaned, re.IGNORECASE):
        cleaned = "http://" + cleaned
    cleaned = re.sub(
        r"^(https?)://", lambda m: m.group(1).lower() + "://", cleaned, flags=re.IGNORECASE
    )
    try:
        URLValidator(schemes=["http", "https"])(cleaned)
    except ValidationError:
        raise ParseError(f"URL「{written}」が正しくありません。", code="url") from None
    if len(cleaned) > 200:
        raise ParseError(f"URL が長すぎます（{len(cleaned)}文字、200文字まで）。", code="url")
    return cleaned


def email(value: object) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    cleaned = nfkc(value).replace(" ", "")
    if not cleaned:
        return ""
    try:
        validate_email(cleaned)
    except ValidationError:
        raise ParseError(
            f"メールアドレス「{text(value)}」が正しくありません。", code="email"
        ) from None
    return cleaned


# Dates ----------------------------------------------------------------------


def a_date(value: object) -> date | None:
    """A date from 和暦 or 西暦 text or an Excel date cell; 令和4年度 → 2022-04-01.

    A fiscal year alone means its first day (1 April): the day the 年度 counts from.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    cleaned = nfkc(value)
    if not cleaned:
        return None
    cleaned = re.sub(r"\s*[(（][月火水木金土日祝・]+[)）]\s*$", "", cleaned)  # 2022/4/1(金)
    cleaned = re.sub(r"\s+0?0:00(:00)?$", "", cleaned)  # 2022-04-01 00:00:00 from Excel
    try:
        if cleaned.endswith("年度"):
            return date(parse_fiscal_year(cleaned), 4, 1)
        return parse_date(cleaned)
    except WarekiError as exc:
        raise ParseError(str(exc), code="date") from None


# Coordinates ----------------------------------------------------------------


def coordinate(value: object) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        cleaned = nfkc(value).replace(" ", "").rstrip("°度")
        if not cleaned:
            return None
        try:
            number = float(cleaned)
        except ValueError:
            raise ParseError(f"「{text(value)}」を数として読み取れません。") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ParseError(f"「{text(value)}」を数として読み取れません。")
    return number


def coordinates(lat_value: object, lng_value: object) -> tuple[float, float] | None:
    """Latitude and longitude, both or neither; (135, 34) is reported as swapped."""
    lat, lng = coordinate(lat_value), coordinate(lng_value)
    if lat is None and lng is None:
        return None
    if lat is None or lng is None:
        raise ParseError("緯度と経度は両方入力するか、両方空欄にしてください。", code="partial")
    if abs(lat) > 90 and abs(lng) <= 90:
        raise ParseError(
            f"緯度 {lat:g}・経度 {lng:g} は緯度と経度が逆です。列を入れ替えてください。",
            code="swapped",
        )
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ParseError(
            f"緯度 {lat:g}・経度 {lng:g} は範囲外です（緯度 -90〜90、経度 -180〜180）。",
            code="range",
        )
    return lat, lng


def outside_japan(lat: float, lng: float) -> bool:
    return not (20 <= lat <= 46 and 122 <= lng <= 154)


# Fees -----------------------------------------------------------------------


@dataclass(frozen=True)
class Fee:
    free: bool = False
    amount: int | None = None
    note: str = ""


_FREE_WORDS = {"無料", "無", "なし", "不要", "0円", "0", "¥0", "タダ", "ただ", "無償", "false"}
_YEN = re.compile(r"[¥￥]?\s*(\d{1,3}(?:,\d{3})+|\d+)\s*円|[¥￥]\s*(\d{1,3}(?:,\d{3})+|\d+)")


def fee(value: object) -> Fee:
    """無料 → free; 100円 / ￥100 / 1,000円 → the amount; anything else (実費,
    材料費のみ) → a note. 「100円（お茶代）」 keeps お茶代 as the note; two amounts
    (100円〜300円) stay text, as there is no single fee to filter by.
    """
    raw = text(value, multiline=True).replace("\n", " ")
    cleaned = unicodedata.normalize("NFKC", raw).strip()
    if not cleaned:
        return Fee()
    lowered = cleaned.lower()
    if lowered in _FREE_WORDS:
        return Fee(free=True)
    free_prefix = re.match(r"^(無料|無償)[\s、,。:：]*(.*)$", cleaned)
    if free_prefix and not _YEN.search(free_prefix.group(2)):
        return Fee(free=True, note=_strip_note(free_prefix.group(2)))
    if re.fullmatch(r"\d{1,3}(,\d{3})+|\d+", cleaned):
        return Fee(amount=int(cleaned.replace(",", "")))
    amounts = list(_YEN.finditer(cleaned))
    if len(amounts) == 1:
        match = amounts[0]
        amount = int((match.group(1) or match.group(2)).replace(",", ""))
        rest = _strip_note(cleaned[: match.start()] + " " + cleaned[match.end() :])
        if amount == 0:
            return Fee(free=True, note=rest)
        return Fee(amount=amount, note=rest)
    return Fee(note=raw.strip())


def _strip_note(rest: str) -> str:
    rest = re.sub(r"\s+", " ", rest).strip(" 、,。:：")
    wrapped = re.fullmatch(r"[(（](.*)[)）]", rest)
    return (wrapped.group(1) if wrapped else rest).strip()


def fee_text(free: bool, amount: int | None) -> str:
    """The fee column as exported: 無料 / 1,000円 / blank (read back by ``fee``)."""
    if free:
        return "無料"
    if amount is not None:
        return f"{amount:,}円"
    return ""


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
            ",".join(c for c in WEEKDAY_CODES if c in self.weekdays),
            ",".join(str(n) for n in self.weeks),
            self.day,
            self.opens_at,
            self.closes_at,
            unicodedata.normalize("NFKC", self.note).strip(),
        )

    def model_fields(self) -> dict:
        return {
            "kind": self.kind,
            "weekdays": ",".join(c for c in WEEKDAY_CODES if c in self.weekdays),
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


# Names with synonyms ----------------------------------------------------------


def code_key(value: object) -> str:
    """The form codes are compared in: NFKC, no spaces, lower case (27127-1 ≠ 271271)."""
    return re.sub(r"\s+", "", nfkc(value)).lower()


def name_key(value: object) -> str:
    return _name_key(value) if type(value) is str else _name_key(text(value))


@lru_cache(maxsize=65536)
def _name_key(value: str) -> str:
    """The form names are compared in: normalised, 第一 → 第1, 大阪市 prefix kept."""
    cleaned = text(value)
    cleaned = re.sub(
        r"第([一二三四五六七八九十])",
        lambda m: "第" + str("一二三四五六七八九十".index(m.group(1)) + 1),
        cleaned,
    )
    return normalize(cleaned)


class Lookup:
    """Values by name, code or synonym, compared in ``name_key`` form.

    A key claimed by two different values is ambiguous and raises when used,
    rather than picking one.
    """

    def __init__(self, label: str, examples: Iterable[str] = (), *, key=None) -> None:
        self.label = label
        self.examples = list(examples)
        self._key = key or name_key
        self._values: dict[str, object] = {}
        self._ambiguous: set[str] = set()

    def add(self, value: object, *names: object) -> None:
        for name in names:
            key = self._key(name)
            if not key:
                continue
            if key in self._values and self._values[key] != value:
                self._ambiguous.add(key)
            else:
                self._values[key] = value

    def get(self, name: object, default=None):
        key = self._key(name)
        if key in self._ambiguous:
            return default
        return self._values.get(key, default)

    def __contains__(self, name: object) -> bool:
        return self.get(name) is not None

    def resolve(self, name: object):
        key = self._key(name)
        if key in self._ambiguous:
            raise ParseError(
                f"{self.label}「{text(name)}」は複数に当てはまります。コードで指定してください。",
                code="ambiguous",
            )
        try:
            return self._values[key]
        except KeyError:
            hint = f"（例: {'、'.join(self.examples[:6])}）" if self.examples else ""
            raise ParseError(
                f"{self.label}「{text(name)}」はありません{hint}。", code="unknown"
            ) from None


# Synonyms of the fixed lists, by code. The labels and codes themselves are
# always accepted; these are the other ways legacy lists write them.
TYPE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "salon": (
        "サロン",
        "ふれあいサロン",
        "いきいきサロン",
        "地域サロン",
        "通いの場",
        "居場所",
        "集いの場",
    ),
    "exercise": ("体操", "いきいき百歳体操", "百歳体操", "介護予防教室", "運動教室", "体操の会"),
    "dementia_cafe": ("オレンジカフェ", "認知症カフェ", "カフェ"),
    "hobby": (
        "趣味",
        "趣味の会",
        "学習",
        "交流の会",
        "サークル",
        "趣味・学習の会",
        "趣味・交流の会",
    ),
    "life_support": (
        "生活支援",
        "買い物支援",
        "家事支援",
        "外出支援",
        "移動支援",
        "住民参加型サービス",
        "有償ボランティア",
        "ゴミ出し支援",
    ),
    "meals": ("配食", "配食サービス", "会食", "食事サービス"),
    "watch": ("見守り", "見守り活動", "安否確認", "声かけ訪問"),
    # 介護保険のサービス (通所介護, 訪問介護 …) are 介護保険事業所.
    "care_office": (
        "介護保険事業所",
        "介護事業所",
        "介護サービス事業所",
        "通所介護",
        "地域密着型通所介護",
        "デイサービス",
        "訪問介護",
        "訪問看護",
        "居宅介護支援",
        "小規模多機能型居宅介護",
        "認知症対応型共同生活介護",
        "短期入所生活介護",
        "通所リハビリテーション",
        "介護老人福祉施設",
        "特別養護老人ホーム",
        "介護老人保健施設",
    ),
    "consultation": (
        "相談",
        "相談窓口",
        "地域包括支援センター",
        "包括支援センター",
        "ブランチ",
        "総合相談",
    ),
    # 障害福祉サービス (WAM NET's 共同生活援助 = グループホーム) are not 介護保険: その他.
    "other": ("共同生活援助", "障害福祉サービス", "障害福祉", "就労継続支援", "生活介護"),
}

CATEGORY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "work": ("仕事", "就労的活動", "就労支援"),
    "contribution": ("ボランティア", "地域貢献活動", "社会貢献"),
    "hobby": ("趣味活動", "趣味・文化"),
    "exercise": ("体操", "スポーツ", "健康づくり", "介護予防体操", "運動・体操"),
    "learning": ("学び", "学習会", "勉強会", "教養"),
    "social": ("交流の場", "サロン", "居場所", "集い", "茶話会"),
    "shopping": ("買物", "買い物支援", "買物支援", "移動販売"),
    "housework": ("家事支援", "生活援助", "掃除"),
    "outing": ("外出支援", "移動支援", "移送", "送迎"),
    "other": ("その他のサービス",),
}

STATUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "preparing": ("準備中", "立上げ中", "立ち上げ中", "立上支援中", "立上げ準備中"),
    "active": ("活動", "実施中", "開催中", "運営中", "継続"),
    "paused": ("休止", "休会", "休止中", "中断"),
    "ended": ("廃止", "解散", "終了済", "終了済み", "閉鎖"),
}

VISIBILITY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "public": ("公開する", "公開可", "可", "○", "はい"),
    "staff": ("非公開", "関係者のみ", "関係者", "不可", "×", "限定"),
}

ORIGIN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "new": ("新規", "新規立上げ", "新規立上", "新設", "立ち上げ", "立上げ"),
    "expanded": ("拡充", "既存の拡充", "既存資源拡充"),
    "existing": ("既存資源", "既設", "従来"),
}

ORGANISER_KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    "residents": (
        "住民",
        "住民団体",
        "自治会",
        "町会",
        "町内会",
        "地域住民",
        "老人クラブ",
        "ボランティア団体",
    ),
    "npo": ("NPO法人", "特定非営利活動法人"),
    "social_welfare": ("社福", "社会福祉法人"),
    "company": ("株式会社", "有限会社", "合同会社", "民間企業", "企業・事業者", "事業者"),
    "shakyo": ("社協", "地区社協", "区社協", "市社協"),
    "government": ("市", "区", "区役所", "市役所", "自治体"),
    "coop": ("生協", "農協", "JA", "生活協同組合"),
}


def choice_lookup(label: str, choices: Iterable[tuple[str, object]], synonyms: dict) -> Lookup:
    """A Lookup of a TextChoices: code, label and synonyms all lead to the code.

    Sheets are written in Japanese whatever language the pages are in: the labels
    are read in Japanese (``LANGUAGE_CODE``).
    """
    with translation.override(settings.LANGUAGE_CODE):
        names = [(code, str(name)) for code, name in choices]
    lookup = Lookup(label, examples=[name for _code, name in names])
    for code, name in names:
        lookup.add(code, code, name, *synonyms.get(code, ()))
    return lookup


def weekdays_text(codes: Iterable[str]) -> str:
    """MO,WE,FR → 月水金 (the 利用可能曜日 of the open data standard)."""
    wanted = set(codes)
    return "".join(_DAY_LABEL[c] for c in WEEKDAY_CODES if c in wanted)
