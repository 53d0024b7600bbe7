"""Reading text files the way Japanese offices write them."""

from __future__ import annotations

from pathlib import Path

# cp932, never shift_jis: shift_jis cannot decode ①, 髙 or ～ that Excel writes.
ENCODINGS = ("utf-8-sig", "cp932")


class UndecodableFile(ValueError):
    pass


def decode_bytes(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was written in (UTF-8 with or without BOM, or cp932)."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UndecodableFile(
        "文字コードを判別できません。UTF-8 または Shift_JIS（cp932）で保存してください。"
    )


def read_text(path: str | Path) -> str:
    return decode_bytes(Path(path).read_bytes())[0]
