"""Japanese text normalisation: the one place that decides when two strings match.

``normalize`` makes ｻﾛﾝ, サロン and さろん the same search text; ``normalize_address``
also makes 港南一丁目, 港南１丁目 and 港南1丁目 the same place.

The comparison keys, each the form in which one kind of value is compared:
``name_key`` (names with synonyms: categories, areas, 所属, the column headers of
every sheet), ``code_key`` (codes: 27127-1) and ``address_key`` (an address
against the 町丁 table).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_KATAKANA_START = ord("ァ")
_KATAKANA_END = ord("ヶ")
_HIRAGANA_OFFSET = ord("ぁ") - ord("ァ")
_TO_HIRAGANA = {code: code + _HIRAGANA_OFFSET for code in range(_KATAKANA_START, _KATAKANA_END + 1)}

# Characters kept by ``normalize``: letters and digits of every script, the
# prolonged sound mark (ー in さーくる is part of the word) and the iteration mark.
_KEEP_EXTRA = {"ー", "々", "〆", "ゝ", "ゞ"}


def katakana_to_hiragana(text: str) -> str:
    return text.translate(_TO_HIRAGANA)


def _is_kept(ch: str) -> bool:
    if ch in _KEEP_EXTRA:
        return True
    category = unicodedata.category(ch)
    # L* letters, N* numbers, M* combining marks (dakuten after NFKC are composed,
    # but marks of other scripts stay attached to their letters).
    return category[0] in {"L", "N", "M"}


class _Fold(dict):
    """str.translate table: katakana to hiragana, characters not kept dropped.
    Filled on demand, one entry per character ever seen (imports are long)."""

    def __missing__(self, code: int) -> int | None:
        folded = _TO_HIRAGANA.get(code, code) if _is_kept(chr(code)) else None
        self[code] = folded
        return folded


_FOLD = _Fold()


def normalize(text: str | None) -> str:
    """Search form of ``text``: NFKC, lower case, hiragana, no spaces or punctuation."""
    if not text:
        return ""
    # Hyphen-like characters that NFKC leaves alone are punctuation here, but the
    # prolonged sound mark after kana is a letter of the word.
    kept = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    # A separate sound mark (ハ゜ from old spreadsheets) becomes a combining one
    # under NFKC; NFC joins it to its kana (パ).
    return unicodedata.normalize("NFC", kept)


_KANJI_DIGITS = {
    "〇": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_NUMBER = re.compile(r"([〇一二三四五六七八九十]+)(?=丁目|番町|番地|番|号|条|線)")


def _kanji_to_int(numeral: str) -> int:
    if "十" not in numeral:
        value = 0
        for ch in numeral:
            value = value * 10 + _KANJI_DIGITS[ch]
        return value
    tens, _, ones = numeral.partition("十")
    return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)


def normalize_address(text: str | None) -> str:
    """Address form: as ``normalize``, with kanji numerals before 丁目/番/号 in digits."""
    if not text:
        return ""
    nfkc = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    digits = _KANJI_NUMBER.sub(lambda m: str(_kanji_to_int(m.group(1))), nfkc)
    # ケ/ヶ/が in place names (霞ケ関, 霞ヶ関, 霞が関) are one place.
    digits = re.sub(r"(?<=[\u4e00-\u9fff])[ケヶがヵ](?=[\u4e00-\u9fff])", "が", digits)
    return normalize(digits)


# Comparison keys -------------------------------------------------------------


def code_key(value: str) -> str:
    """The form codes are compared in: NFKC, no spaces, lower case (27127-1 ≠ 271271)."""
    return re.sub(r"[\s\x00-\x1f\x7f]+", "", unicodedata.normalize("NFKC", value or "")).lower()


_KANJI_ORDINAL = re.compile(r"第([一二三四五六七八九十])")


@lru_cache(maxsize=65536)
def name_key(value: str) -> str:
    """The form names are compared in: normalised, 第一 → 第1 (北区第一圏域 = 北区 第1圏域)."""
    numbered = _KANJI_ORDINAL.sub(
        lambda m: "第" + str("一二三四五六七八九十".index(m.group(1)) + 1), value or ""
    )
    return normalize(numbered)


# Addresses written 片町1-2-3 mean 片町1丁目2番3号: the first number becomes 丁目 so
# that they match the 町丁 name.
_BLOCK_NUMBER = re.compile(r"(?<=[^\d\s])(\d+)\s*[-‐−–－ー](?=\d)")


def address_key(address: str) -> str:
    """The form an address is matched against the 町丁 table in."""
    text = unicodedata.normalize("NFKC", address or "")
    return normalize_address(_BLOCK_NUMBER.sub(r"\1丁目", text, count=1))


# Search variants ---------------------------------------------------------------
#
# ``search_key`` is ``normalize`` with the spelling variants a resident does not
# notice folded away, applied alike to the indexed text and to each query word:
# 百歳体操 = 100歳体操, 買物 = 買い物, たいそう = たいそー = タイソー, ヴ = ぶ,
# 霞ケ関 = 霞が関. It is a search form only (never shown, never a name key).

_NUMERAL_CHARS = "〇一二三四五六七八九十百千"
# Kanji numerals before a counter: 百歳, 三丁目, 十人. Left alone elsewhere (一緒, 千里).
_NUMERAL_COUNTED = re.compile(
    rf"([{_NUMERAL_CHARS}]+)(?=歳|才|丁目|番|号|回|人|名|年|か月|ヶ月|ヵ月|月|日|時|分|円|条|線)"
)
# Okurigana that a word is written with or without (買い物 = 買物, 申し込み = 申込).
_OKURIGANA = re.compile(
    r"(?<=[買申取引受売貸付添話立持預払見聞乗読書組込])[いりしちきみえけ](?=[\u4e00-\u9fff])"
)
_GA_BETWEEN_KANJI = re.compile(r"(?<=[\u4e00-\u9fff])[けゖがゕ](?=[\u4e00-\u9fff])")
_O_ROW = "おこごそぞとどのほぼぽもよょろを"
_U_ROW = "うくぐすずつづぬふぶぷむゆゅる"
# A long vowel written ー, う or お after an o- or u-row kana is one sound: そう = そー = そお.
_LONG_VOWEL = re.compile(rf"(?<=[{_O_ROW}])[うおー]|(?<=[{_U_ROW}])[うー]")
_VU = {"ゔぁ": "ば", "ゔぃ": "び", "ゔぇ": "べ", "ゔぉ": "ぼ", "ゔ": "ぶ"}
_VU_PATTERN = re.compile("|".join(sorted(_VU, key=len, reverse=True)))


def _numeral_value(numeral: str) -> int | None:
    """一 → 1, 十二 → 12, 百 → 100, 三百五 → 305, 二〇二 → 202; None if not a number."""
    if not any(ch in "十百千" for ch in numeral):
        return _kanji_to_int(numeral)
    total, current = 0, 0
    for ch in numeral:
        if ch in _KANJI_DIGITS:
            current = current * 10 + _KANJI_DIGITS[ch]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


def fold_variants(text: str) -> str:
    """The variant folding of an already normalised text (see above)."""
    if not text:
        return ""
    text = _NUMERAL_COUNTED.sub(lambda m: str(_numeral_value(m.group(1))), text)
    text = _OKURIGANA.sub("", text)
    text = _GA_BETWEEN_KANJI.sub("が", text)
    text = _VU_PATTERN.sub(lambda m: _VU[m.group(0)], text)
    return _LONG_VOWEL.sub("ー", text)


def search_key(text: str | None) -> str:
    """The form the search compares text in: ``normalize`` and ``fold_variants``."""
    return fold_variants(normalize(text))


_KANA = re.compile(r"^[\u3041-\u309fー]+$")


def is_kana(text: str) -> bool:
    """Whether a normalised text is all hiragana (a reading)."""
    return bool(_KANA.match(text))
