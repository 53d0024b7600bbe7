"""Checking a meeting attachment before it is stored: size, type, never a program."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Detected types (filetype's extensions) that may be attached.
DEFAULT_TYPES = (
    "pdf",
    "jpg",
    "png",
    "gif",
    "webp",
    "heic",
    "docx",
    "xlsx",
    "pptx",
    "doc",
    "xls",
    "ppt",
    "odt",
    "ods",
    "odp",
    "rtf",
    "txt",
    "csv",
)
# Plain text has no signature: these are accepted when the content is text.
TEXT_TYPES = {"txt": "text/plain", "csv": "text/csv"}
EXECUTABLE_TYPES = {"exe", "elf", "dex", "wasm", "swf", "crx", "deb", "rpm", "ar", "cab", "nes"}
EXECUTABLE_EXTENSIONS = {
    "exe",
    "com",
    "bat",
    "cmd",
    "msi",
    "msp",
    "scr",
    "pif",
    "cpl",
    "dll",
    "sys",
    "jar",
    "js",
    "jse",
    "vbs",
    "vbe",
    "wsf",
    "wsh",
    "ps1",
    "psm1",
    "sh",
    "bash",
    "py",
    "pl",
    "rb",
    "php",
    "app",
    "apk",
    "dmg",
    "pkg",
    "run",
    "bin",
    "elf",
    "lnk",
    "hta",
    "reg",
    "docm",
    "xlsm",
    "pptm",
}
TYPE_NAMES = gettext_lazy("PDF、画像（JPEG・PNG）、Word・Excel・PowerPoint、テキスト（TXT・CSV）")


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def max_bytes() -> int:
    return int(getattr(settings, "COUNCIL_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def allowed_types() -> tuple[str, ...]:
    return tuple(getattr(settings, "COUNCIL_ATTACHMENT_TYPES", DEFAULT_TYPES))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}MB" if size >= 1024 * 1024 else f"{size // 1024}KB"


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp932"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            if error.start >= len(head) - 3:
                return True
    return False


def attachment_check(upload) -> CheckedFile:
    """The upload's type, or a ValidationError in Japanese that names the file."""
    name = Path(upload.name or "").name or "file"
    extension = Path(name).suffix.lower().lstrip(".")
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("「%(name)s」は大きすぎます（%(size)s）。添付できるのは%(limit)sまでです。")
            % {"name": name, "size": _megabytes(upload.size), "limit": _megabytes(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("「%(name)s」は空のファイルです。") % {"name": name})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    is_program = (
        extension in EXECUTABLE_EXTENSIONS
        or (kind is not None and kind.extension in EXECUTABLE_TYPES)
        or head.startswith((b"MZ", b"#!", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe"))
    )
    if is_program:
        raise ValidationError(
            _(
                "「%(name)s」は実行できるプログラムのため添付できません。添付できるのは%(types)sです。"
            )
            % {"name": name, "types": TYPE_NAMES}
        )
    allowed = allowed_types()
    if kind is None:
        if extension in TEXT_TYPES and extension in allowed and _is_text(head):
            return CheckedFile(name=name, content_type=TEXT_TYPES[extension], size=upload.size)
        raise ValidationError(
            _("「%(name)s」の種類を確認できないため添付できません。添付できるのは%(types)sです。")
            % {"name": name, "types": TYPE_NAMES}
        )
    if kind.extension not in allowed:
        raise ValidationError(
            _("「%(name)s」（%(kind)s）は添付できない種類です。添付できるのは%(types)sです。")
            % {"name": name, "kind": kind.extension.upper(), "types": TYPE_NAMES}
        )
    return CheckedFile(name=name, content_type=kind.mime, size=upload.size)
