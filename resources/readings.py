"""Hiragana readings of Japanese text, for search: 体操 → たいそう.

The analyser is SudachiPy with its small dictionary (sudachidict-small), chosen
over pykakasi because:
- it is kept up to date by Works Applications (a dictionary release every few
  months, wheels for current Pythons), where pykakasi sees a release every year
  or two;
- it is a morphological analyser, so it reads words in context (体操 たいそう,
  買い物 かいもの, 百歳 ひゃくさい) and also tells where the particles are, which
  splits a typed 「てんまのたいそう」 into てんま / たいそう;
- its core is Rust: about 25 µs for a sentence, so readings cost imports little.
The small dictionary (110 MB installed) holds the UniDic-derived common
vocabulary; place names it misreads (天満 てんまん) are still found by their
kanji, and a typed reading matches a place by its beginning (words.py).

Readings are derived at write time (``Resource.build_search_text``) and appended
to the indexed search text, so a kana query matches them through the same index.
"""

from __future__ import annotations

import threading

from portal.text import is_kana, normalize, search_key

_local = threading.local()
# Sudachi refuses inputs over about 49 KB; descriptions are far shorter.
MAX_READING_INPUT = 8000
_PARTICLES = {"の", "で", "に", "を", "へ", "と", "や", "が", "は", "から", "まで"}


def _tokenizer():
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import Dictionary

        tokenizer = _local.tokenizer = Dictionary(dict="small").tokenizer()
    return tokenizer


def _mode():
    from sudachipy import SplitMode

    return SplitMode.C


def _token_reading(morpheme) -> str:
    surface = morpheme.surface()
    # Numbers and Latin letters read as themselves (100 is not いちれいれい).
    if not any("\u3400" <= ch <= "\u9fff" or ch == "々" for ch in surface):
        return surface
    return morpheme.reading_form() or surface


def reading(text: str | None) -> str:
    """The reading of ``text`` in search form (hiragana, folded): 百歳体操 → ひゃくさいたいそー."""
    if not text:
        return ""
    text = text[:MAX_READING_INPUT]
    tokenizer, mode = _tokenizer(), _mode()
    parts = []
    for line in text.splitlines():
        if line.strip():
            parts.extend(_token_reading(m) for m in tokenizer.tokenize(line, mode))
    return search_key("".join(parts))


def split_particles(word: str) -> list[str]:
    """A kana word cut at the particles the analyser sees: てんまのたいそう → [てんま, たいそう].

    A word with no particle, or one whose parts would be single characters,
    comes back whole.
    """
    key = normalize(word)
    if not is_kana(key) or len(key) < 5:
        return [word]
    parts: list[str] = []
    current = ""
    for morpheme in _tokenizer().tokenize(key, _mode()):
        surface = morpheme.surface()
        if morpheme.part_of_speech()[0] == "助詞" and surface in _PARTICLES and current:
            parts.append(current)
            current = ""
        else:
            current += surface
    if current:
        parts.append(current)
    if len(parts) < 2 or any(len(p) < 2 for p in parts):
        return [word]
    return parts


def nouns(text: str) -> list[str]:
    """The nouns of ``text`` of two characters or more, as written (for the vocabulary)."""
    if not text:
        return []
    found = []
    for morpheme in _tokenizer().tokenize(text[:MAX_READING_INPUT], _mode()):
        surface = morpheme.surface()
        if morpheme.part_of_speech()[0] == "名詞" and len(surface) >= 2:
            found.append(surface)
    return found
