"""Reading text files the way Japanese offices write them."""

from __future__ import annotations

import re
from pathlib import Path

# cp932, never shift_jis: shift_jis cannot decode ①, 髙 or ～ that Excel writes.
ENCODINGS = ("utf-8-sig", "cp932")
# A file whose first bytes already hold this many non-ASCII characters of valid
# UTF-8 is UTF-8 with a broken byte further on, not cp932: decoding it as cp932
# would turn it into mojibake instead of failing.
_UTF8_EVIDENCE = 3


# Bytes that no Shift_JIS text holds but Python's cp932 still maps (0x80, 0xA0,
# 0xFD-0xFF): a file with them is not cp932 either.
_CP932_UNDEFINED = re.compile("[\x80\uf8f0-\uf8f3]")


class UndecodableFile(ValueError):
    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


def decode_bytes(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was written in (UTF-8 with or without BOM, or cp932)."""
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as utf8_error:
        error = utf8_error
        prefix = data[: utf8_error.start].decode("utf-8-sig", errors="ignore")
        if sum(1 for ch in prefix if ord(ch) > 127) < _UTF8_EVIDENCE:
            try:
                text = data.decode("cp932")
            except UnicodeDecodeError as cp932_error:
                error = cp932_error
            else:
                undefined = _CP932_UNDEFINED.search(text)
                if not undefined:
                    return text, "cp932"
                _raise_at(text, undefined.start())
    line_start = data.rfind(b"\n", 0, error.start) + 1
    line = data.count(b"\n", 0, error.start) + 1
    column = data.count(b",", line_start, error.start) + 1
    raise _undecodable(line, column)


def _raise_at(text: str, position: int):
    line_start = text.rfind("\n", 0, position) + 1
    raise _undecodable(text.count("\n", 0, position) + 1, text.count(",", line_start, position) + 1)


def _undecodable(line: int, column: int) -> UndecodableFile:
    where = f"{line}行目" + (f" {column}列目付近" if column > 1 else "")
    return UndecodableFile(
        f"文字コードを判別できません（{where}に読めない文字があります）。"
        "UTF-8 または Shift_JIS（cp932）で保存し直してください。",
        line=line,
        column=column,
    )


def read_text(path: str | Path) -> str:
    return decode_bytes(Path(path).read_bytes())[0]
