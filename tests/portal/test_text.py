"""portal/text.py: when two strings are the same search text or the same address."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from portal.text import (
    address_key,
    code_key,
    katakana_to_hiragana,
    name_key,
    normalize,
    normalize_address,
    search_key,
)

# Half-width katakana (ｶﾞ, ﾊﾟ, ｰ …) keyed by the full-width katakana they stand for.
HALF_WIDTH = {}
for _code in range(0xFF66, 0xFF9E):
    _half = chr(_code)
    _full = unicodedata.normalize("NFKC", _half)
    HALF_WIDTH[_full] = _half
    for _mark in ("ﾞ", "ﾟ"):
        _composed = unicodedata.normalize("NFKC", _half + _mark)
        if len(_composed) == 1:
            HALF_WIDTH[_composed] = _half + _mark
KANA_WITH_HALF_WIDTH = sorted(k for k in HALF_WIDTH if "ァ" <= k <= "ヶ")

KANJI_DIGITS = "〇一二三四五六七八九"
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")

# What names and addresses typed in a form or found in a legacy spreadsheet hold.
JAPANESE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x3041, max_codepoint=0x3096),  # hiragana
        st.characters(min_codepoint=0x30A1, max_codepoint=0x30FC),  # katakana, ・, ー
        st.characters(min_codepoint=0xFF61, max_codepoint=0xFF9F),  # half-width kana
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),  # full-width ASCII
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),  # ASCII
        st.sampled_from("体操教室港南梅田丁目番号々〆　、。「」（）〜゛゜"),
    ),
    max_size=20,
)


def kanji_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 20 → 二十, 47 → 四十七 (how addresses write them)."""
    tens, ones = divmod(n, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else KANJI_DIGITS[tens]) + "十"
    if ones:
        text += KANJI_DIGITS[ones]
    return text


def to_hiragana(katakana: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in katakana)


@given(JAPANESE_TEXT)
@example("ハ゜ソコン教室")
def test_normalize_is_idempotent(text):
    once = normalize(text)

    assert normalize(once) == once


@given(JAPANESE_TEXT)
@example("梅田ハ゜ソコン教室")
def test_normalize_address_is_idempotent(text):
    once = normalize_address(text)

    assert normalize_address(once) == once


@given(st.lists(st.sampled_from(KANA_WITH_HALF_WIDTH), min_size=1, max_size=12))
def test_hiragana_katakana_and_half_width_forms_of_a_word_normalise_equal(letters):
    katakana = "".join(letters)
    hiragana = to_hiragana(katakana)
    half_width = "".join(HALF_WIDTH[ch] for ch in letters)

    assert normalize(katakana) == normalize(hiragana) == normalize(half_width) == hiragana


@given(st.integers(min_value=0, max_value=10**12))
def test_full_width_digits_normalise_to_ascii_digits(number):
    ascii_digits = str(number)

    assert normalize(ascii_digits.translate(FULL_WIDTH_DIGITS)) == ascii_digits


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=1))
def test_full_width_latin_letters_normalise_to_lower_case_ascii(word):
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in word)

    assert normalize(full_width) == word.lower()


@given(
    st.sampled_from(["港南", "梅田", "天満", "築港", "南港北"]),
    st.integers(min_value=1, max_value=99),
)
def test_kanji_full_width_and_ascii_block_numbers_are_the_same_address(town, number):
    kanji = normalize_address(f"{town}{kanji_numeral(number)}丁目")
    full_width = normalize_address(f"{town}{str(number).translate(FULL_WIDTH_DIGITS)}丁目")
    ascii_form = normalize_address(f"{town}{number}丁目")

    assert kanji == full_width == ascii_form == f"{town}{number}丁目"


def test_konan_itchome_is_written_three_ways():
    assert (
        normalize_address("港南一丁目")
        == normalize_address("港南１丁目")
        == normalize_address("港南1丁目")
        == "港南1丁目"
    )


def test_kanji_numbers_before_ban_and_go_become_digits():
    assert normalize_address("梅田一丁目二番三号") == normalize_address("梅田1丁目2番3号")


def test_ke_ga_and_small_ke_in_place_names_are_one_place():
    assert normalize_address("霞ケ関") == normalize_address("霞ヶ関") == normalize_address("霞が関")


def test_salon_in_half_width_katakana_and_hiragana_are_the_same_word():
    assert normalize("ｻﾛﾝ") == normalize("サロン") == normalize("さろん") == "さろん"


def test_spaces_and_punctuation_do_not_matter():
    assert normalize("いきいき 百歳・体操！（梅田）") == normalize("いきいき百歳体操梅田")


def test_prolonged_sound_mark_stays_part_of_the_word():
    assert normalize("ｻｰｸﾙ") == "さーくる"


def test_voiced_kana_written_with_a_separate_dakuten_is_the_voiced_kana():
    # Legacy spreadsheets write パ as ハ゜ (a spacing handakuten) and ガ as カ゛.
    assert normalize("ハ゜ソコン") == normalize("パソコン")
    assert normalize("カ゛ーデニンク゛") == normalize("ガーデニング")


def test_nothing_normalises_to_nothing():
    assert normalize(None) == normalize("") == normalize("　・！") == ""
    assert normalize_address(None) == ""


def test_katakana_to_hiragana_leaves_other_text_alone():
    assert katakana_to_hiragana("サロンABC体操") == "さろんABC体操"


@given(st.text())
def test_normalize_folds_each_character_as_the_rule_says(text):
    """The translate table gives what the rule says, character by character."""
    from portal.text import _is_kept

    folded = katakana_to_hiragana(unicodedata.normalize("NFKC", text).lower())
    expected = unicodedata.normalize("NFC", "".join(ch for ch in folded if _is_kept(ch)))
    assert normalize(text) == expected


# Comparison keys ------------------------------------------------------------------


def test_a_code_key_ignores_width_case_and_spaces_but_not_hyphens():
    assert code_key("２７１２７－１") == code_key(" 27127-1 ") == "27127-1"
    assert code_key("ab-1") == code_key("ＡＢ－１")
    assert code_key("27127-1") != code_key("271271")


def test_a_name_key_reads_kanji_ordinals_as_digits():
    assert name_key("北区第一圏域") == name_key("北区 第1圏域") == name_key("北区　第１圏域")
    assert name_key("ｻﾛﾝ") == name_key("サロン") == name_key("さろん")
    assert name_key("北区第一圏域") != name_key("北区第二圏域")


@pytest.mark.parametrize(
    "address", ["大阪市北区梅田1-2-3", "大阪市北区梅田１－２－３", "大阪市北区梅田一丁目2番3号"]
)
def test_an_address_key_reads_a_block_number_as_its_chome(address):
    assert address_key(address).startswith(normalize_address("大阪市北区梅田1丁目"))


# Search variants (search_key) ----------------------------------------------------


@given(JAPANESE_TEXT)
def test_search_key_is_idempotent(text):
    assert search_key(search_key(text)) == search_key(text)


@given(st.integers(min_value=1, max_value=9999))
def test_kanji_numerals_before_a_counter_are_the_number(number):
    digits = "〇一二三四五六七八九"

    def kanji(n: int) -> str:
        out = ""
        for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
            count, n = divmod(n, value)
            if count:
                out += ("" if count == 1 else digits[count]) + unit
        return out + (digits[n] if n else "")

    assert search_key(f"{kanji(number)}歳体操") == search_key(f"{number}歳体操")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("百歳体操", "100歳体操"),
        ("いきいき百歳体操", "いきいき１００歳体操"),
        ("買い物", "買物"),
        ("申し込み", "申込み"),
        ("タイソー", "たいそう"),
        ("たいそお", "たいそう"),
        ("ヴァイオリン", "バイオリン"),
        ("霞ケ関", "霞が関"),
        ("霞ヶ関", "霞が関"),
    ],
)
def test_spelling_variants_have_one_search_key(one, other):
    assert search_key(one) == search_key(other)


def test_kanji_numerals_without_a_counter_stay_words():
    assert search_key("一緒に") == "一緒に"
    assert search_key("千里") == "千里"
