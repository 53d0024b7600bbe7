"""The one weekday vocabulary: codes MO…SU (HSDS ``byday``, URLs, the database),
their one-character names 月…日, and the bits of a weekday set.

Monday first, as Python's ``date.weekday()`` counts: ``CODES[day.weekday()]``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
CHARS = "月火水木金土日"
# Form and filter choices: (code, 月) …, the names translatable.
CHOICES = (
    ("MO", _("月")),
    ("TU", _("火")),
    ("WE", _("水")),
    ("TH", _("木")),
    ("FR", _("金")),
    ("SA", _("土")),
    ("SU", _("日")),
)
LABELS = dict(CHOICES)
CHAR_OF = dict(zip(CODES, CHARS, strict=True))
CODE_OF_CHAR = dict(zip(CHARS, CODES, strict=True))


def bit(code: str) -> int:
    """MO=1, TU=2 … SU=64: the bits of ``Resource.schedule_days``."""
    return 1 << CODES.index(code)


def ordered(codes: Iterable[str]) -> list[str]:
    """The known codes among ``codes``, once each, Monday first."""
    wanted = set(codes)
    return [code for code in CODES if code in wanted]


def joined(codes: Iterable[str]) -> str:
    """``ordered`` as stored in ``ScheduleRule.weekdays``: MO,WE,FR."""
    return ",".join(ordered(codes))


def code_of(value: str) -> str:
    """MO…SU from MO, mo, 火, 火曜 or 火曜日; anything else comes back upper-cased
    (callers check it against ``CODES``)."""
    value = value.strip()
    name = value.removesuffix("曜日").removesuffix("曜")
    return CODE_OF_CHAR.get(name, value.upper())


def char_of_date(day) -> str:
    """月…日 of a ``date``."""
    return CHARS[day.weekday()]
