"""Cells: text, numbers, yes/no, codes, addresses on the web, dates, coordinates, fees.

Part of ``portal.parsers`` (read the package's docstring); import from there.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock
from functools import lru_cache

from portal.wareki import WarekiError, parse_date, parse_fiscal_year


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


_DASHES = {"-", "－", "ー", "―", "‐", "—"}


def blank_dash(value: str) -> str:
    """「-」 in a cell means nothing was written there."""
    return "" if value.strip() in _DASHES else value


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
