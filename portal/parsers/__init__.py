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

The modules, by what they read: ``cells`` (text, numbers, yes/no, postal codes,
phones, URLs, e-mail, dates, coordinates, fees), ``schedules`` (曜日 and 開催日
text) and ``names`` (``Lookup`` and the synonyms of the fixed lists). Callers
import from the package: ``from portal import parsers; parsers.schedule(...)``.
"""

from __future__ import annotations

from portal.parsers.cells import (
    Fee,
    ParseError,
    a_date,
    blank_dash,
    boolean,
    coordinate,
    coordinates,
    email,
    fee,
    fee_text,
    integer,
    nfkc,
    outside_japan,
    phone,
    postal_code,
    split_names,
    text,
    url,
)
from portal.parsers.clock import CLOCK_EXAMPLES, clock_time
from portal.parsers.names import (
    CATEGORY_SYNONYMS,
    ORGANISER_KIND_SYNONYMS,
    ORIGIN_SYNONYMS,
    STATUS_SYNONYMS,
    TYPE_SYNONYMS,
    VISIBILITY_SYNONYMS,
    Lookup,
    choice_lookup,
    code_key,
    name_key,
)
from portal.parsers.schedules import (
    SCHEDULE_EXAMPLES,
    WEEKDAY_CODES,
    Rule,
    Schedule,
    schedule,
    weekdays_text,
)

__all__ = [
    "CATEGORY_SYNONYMS",
    "CLOCK_EXAMPLES",
    "ORGANISER_KIND_SYNONYMS",
    "ORIGIN_SYNONYMS",
    "SCHEDULE_EXAMPLES",
    "STATUS_SYNONYMS",
    "TYPE_SYNONYMS",
    "VISIBILITY_SYNONYMS",
    "WEEKDAY_CODES",
    "Fee",
    "Lookup",
    "ParseError",
    "Rule",
    "Schedule",
    "a_date",
    "blank_dash",
    "boolean",
    "choice_lookup",
    "clock_time",
    "code_key",
    "coordinate",
    "coordinates",
    "email",
    "fee",
    "fee_text",
    "integer",
    "name_key",
    "nfkc",
    "outside_japan",
    "phone",
    "postal_code",
    "schedule",
    "split_names",
    "text",
    "url",
    "weekdays_text",
]
