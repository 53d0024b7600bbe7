"""The 圏域 table: which 町丁 each 圏域 (日常生活圏域, 地区, 中学校区) holds.

Columns (Japanese headers, read by the sheet engine: CSV in UTF-8 or cp932, or
XLSX, title rows above the header allowed): ``圏域``, ``町丁``, and ``第1層``
(the ward) for cities with wards. One row per 町丁, as the 担当地区 list of each
地域包括支援センター names them:

- names compare as addresses do (``normalize_address``): 本町１丁目, 本町一丁目
  and 本町1丁目 are one 町丁; the city's (and ward's) name in front is dropped;
  大字 may be written or left out (大字赤山 = 赤山);
- a 町丁 given without 丁目 (本町) takes all its 丁目 (本町1丁目 … 本町4丁目), and the
  大字 of that name if there is one; a row naming one of them (本町3丁目) wins
  over that, so 「本町」 in one 圏域 and 「本町3丁目」 in another is fine;
- 本町1～3丁目 and 本町1・2丁目 name several 丁目 in one row;
- a blank 圏域 (or 第1層) is the one of the row above, as Excel's merged cells
  read.

Problems, each with its row, column and value (and nothing written): a 町丁 that
matches none (with the nearest spellings), a 町丁 given to two 圏域, a ward
that does not exist, a 圏域 whose 町丁 lie in two wards. 町丁 that the table
does not name are reported as warnings (they stay in their tier-1 area).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from portal import parsers
from portal.sheets import Columns, Problem, SheetColumn, SheetFileError, lay_out, read_table
from portal.text import name_key, normalize_address
from resources.citysetup.chome import Chome
from resources.citysetup.outline import Outline

TABLE_COLUMNS = Columns(
    [
        SheetColumn(
            "district",
            "圏域",
            ("圏域名", "日常生活圏域", "第2層", "第2層の区域", "地区", "地区名", "中学校区"),
            help="第2層の区域の名前（例: 青木圏域）",
        ),
        SheetColumn(
            "chome",
            "町丁",
            ("町丁名", "町丁目", "町名", "町丁・字", "大字・町丁目", "担当地区", "担当町丁"),
            help="町丁（本町1丁目）、または丁目のない大字・町名（本町: そのすべての丁目）",
        ),
        SheetColumn(
            "ward",
            "第1層",
            ("区", "区名", "行政区", "第1層の区域"),
            help="区のある市で、その圏域のある区（例: 北区）",
        ),
    ],
    anchor="chome",
)

OAZA = "大字"
_NUMBER = r"[0-9０-９]+|[〇一二三四五六七八九十]+"
# 本町1～3丁目, 本町1丁目～3丁目, 本町1・2丁目, 本町1、3丁目
_RANGE = re.compile(
    rf"^(?P<town>.+?)(?P<a>{_NUMBER})(?:丁目)?\s*[~〜～\-－−‐ー]\s*(?P<b>{_NUMBER})丁目$"
)
_LIST = re.compile(
    rf"^(?P<town>.+?)(?P<numbers>(?:{_NUMBER})(?:\s*[・,、，]\s*(?:{_NUMBER}))+)丁目$"
)
_KANJI = "〇一二三四五六七八九"


@dataclass
class TableRow:
    number: int
    district: str
    chome: str
    ward: str


@dataclass
class District:
    name: str
    tier1: str  # the code of its tier-1 area
    first_row: int
    chome: list[Chome] = field(default_factory=list)


@dataclass
class Assignment:
    districts: list[District] = field(default_factory=list)
    unnamed: list[Chome] = field(default_factory=list)  # 町丁 the table does not name
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows: int = 0

    def district_of(self) -> dict[str, District]:
        """町丁 code → its 圏域."""
        return {c.row.code: d for d in self.districts for c in d.chome}


def table_read(data: bytes, filename: str) -> tuple[list[TableRow], list[Problem], list[Problem]]:
    """The rows of the table, its problems and its warnings."""
    try:
        sheet = lay_out(read_table(data, filename, columns=TABLE_COLUMNS), TABLE_COLUMNS)
    except SheetFileError as exc:
        return [], [exc.problem], []
    problems: list[Problem] = []
    if "district" not in sheet.index:
        problems.append(
            Problem(
                sheet.header_row, "圏域", "圏域の列がありません。見出しを「圏域」にしてください。"
            )
        )
    records, _blank = sheet.records()
    rows: list[TableRow] = []
    for record in records:
        row = TableRow(
            record.number,
            record.text("district"),
            record.text("chome"),
            record.text("ward"),
        )
        previous = rows[-1] if rows else None
        # A merged cell of Excel is read as blank below its first row: the
        # 圏域 (and its 第1層) of the row above.
        if previous and not row.district:
            row.district, row.ward = previous.district, row.ward or previous.ward
        elif previous and not row.ward and row.district == previous.district:
            row.ward = previous.ward
        for key, value in (("district", row.district), ("chome", row.chome)):
            if not value and key in sheet.index:
                problems.append(
                    Problem(row.number, sheet.header(key), f"{TABLE_COLUMNS.header(key)}が空です。")
                )
        rows.append(row)
    return rows, problems, list(sheet.warnings)


def _to_int(numeral: str) -> int:
    numeral = unicodedata.normalize("NFKC", numeral)
    if numeral.isdigit():
        return int(numeral)
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return (_KANJI.index(tens) if tens else 1) * 10 + (_KANJI.index(ones) if ones else 0)
    value = 0
    for ch in numeral:
        value = value * 10 + _KANJI.index(ch)
    return value


def expand(value: str) -> list[str]:
    """The 町丁 names one cell gives: 本町1～3丁目 → 本町1丁目, 本町2丁目, 本町3丁目."""
    text = unicodedata.normalize("NFKC", value).strip()
    found = _RANGE.match(text)
    if found:
        first, last = _to_int(found["a"]), _to_int(found["b"])
        if 0 < first <= last <= first + 30:
            return [f"{found['town']}{n}丁目" for n in range(first, last + 1)]
    found = _LIST.match(text)
    if found:
        numbers = re.split(r"\s*[・,、，]\s*", found["numbers"])
        return [f"{found['town']}{_to_int(n)}丁目" for n in numbers]
    return [text]


class _Index:
    """The city's 町丁 by name key, in each tier-1 area."""

    def __init__(self, chome: list[Chome], outline: Outline, city_name: str, prefecture: str):
        self.by_key: dict[str, list[Chome]] = defaultdict(list)
        for item in chome:
            self.by_key[item.key].append(item)
            if item.key.startswith(OAZA):
                self.by_key[item.key[len(OAZA) :]].append(item)
        self.towns: dict[str, list[Chome]] = defaultdict(list)  # 本町 → 本町N丁目
        for item in chome:
            town = re.fullmatch(r"(.+?)\d+丁目", item.key)
            if town:
                self.towns[town.group(1)].append(item)
        self.names = {item.key: f"{item.row.ward}{item.row.name}" for item in chome}
        prefixes = [prefecture + city_name, city_name, prefecture]
        prefixes += [f"{city_name}{a.name}" for a in outline.areas] + [
            a.name for a in outline.areas
        ]
        self.prefixes = sorted({normalize_address(p) for p in prefixes if p}, key=len, reverse=True)

    def key(self, name: str) -> str:
        key = normalize_address(name)
        for prefix in self.prefixes:
            if key.startswith(prefix) and len(key) > len(prefix):
                return key[len(prefix) :]
        return key

    def find(self, name: str) -> tuple[list[Chome], list[Chome]]:
        """(the 町丁 of that name, the 丁目 it takes as a 大字 or town name)."""
        key = self.key(name)
        exact = list(self.by_key.get(key, ()))
        bare = key[len(OAZA) :] if key.startswith(OAZA) else key
        towns = [] if key.endswith("丁目") else list(self.towns.get(bare, ()))
        return exact, towns

    def near(self, name: str, tier1: str | None, chome: list[Chome]) -> list[str]:
        keys = [c.key for c in chome if tier1 is None or c.tier1 == tier1]
        close = difflib.get_close_matches(self.key(name), keys, n=3, cutoff=0.6)
        return [self.names[k] for k in close]


def table_assign(
    rows: list[TableRow],
    chome: list[Chome],
    outline: Outline,
    *,
    city_name: str,
    prefecture: str,
    header: dict[str, str] | None = None,
) -> Assignment:
    """Each 町丁 in the 圏域 the table gives it; problems with row, column and value."""
    headers = {"district": "圏域", "chome": "町丁", "ward": "第1層", **(header or {})}
    result = Assignment(rows=len(rows))
    index = _Index(chome, outline, city_name, prefecture)
    wards = parsers.Lookup("第1層の区域")
    for area in outline.areas:
        wards.add(area.code, area.code, area.name, f"{city_name}{area.name}")
        wards.examples.append(area.name)
    if len(outline.areas) == 1:
        wards.add(outline.areas[0].code, city_name)

    # Every claim on a 町丁: (strength, row, district key); 2 = named, 1 = by its town.
    claims: dict[str, list[tuple[int, int, tuple[str, str | None]]]] = defaultdict(list)
    spelled: dict[tuple[str, str | None], str] = {}
    first_row: dict[tuple[str, str | None], int] = {}
    by_code = {c.row.code: c for c in chome}
    for row in rows:
        if not row.district or not row.chome:
            continue  # reported by table_read
        ward = None
        if row.ward:
            try:
                ward = wards.resolve(row.ward)
            except parsers.ParseError as exc:
                result.problems.append(Problem(row.number, headers["ward"], str(exc)))
                continue
        district = (name_key(row.district), ward)
        spelled.setdefault(district, parsers.text(row.district))
        first_row.setdefault(district, row.number)
        for name in expand(row.chome):
            exact, towns = index.find(name)
            if ward is not None:
                exact = [c for c in exact if c.tier1 == ward]
                towns = [c for c in towns if c.tier1 == ward]
            if not exact and not towns:
                near = index.near(name, ward, chome)
                hint = f"（近い町丁: {'、'.join(near)}）" if near else ""
                result.problems.append(
                    Problem(
                        row.number, headers["chome"], f"「{name}」に当たる町丁がありません{hint}。"
                    )
                )
                continue
            in_wards = {c.tier1 for c in exact or towns}
            if ward is None and len(in_wards) > 1:
                names = "、".join(a.name for a in outline.areas if a.code in in_wards)
                result.problems.append(
                    Problem(
                        row.number,
                        headers["chome"],
                        f"「{name}」は{names}のどれにもあります。第1層の列で区を指定してください。",
                    )
                )
                continue
            for item in exact:
                claims[item.row.code].append((2, row.number, district))
            for item in towns:
                claims[item.row.code].append((1, row.number, district))

    chosen: dict[str, tuple[str, str | None]] = {}
    for code, found in claims.items():
        strongest = max(strength for strength, _row, _d in found)
        winners = [(row, d) for strength, row, d in found if strength == strongest]
        first_number, first_district = winners[0]
        for number, district in winners[1:]:
            if district != first_district:
                item = by_code[code]
                result.problems.append(
                    Problem(
                        number,
                        headers["chome"],
                        f"「{item.row.ward}{item.row.name}」は{first_number}行目で"
                        f"「{spelled[first_district]}」に入っています。1つの町丁は1つの圏域にだけ入れてください。",
                    )
                )
                break
        chosen[code] = first_district

    districts: dict[tuple[str, str], District] = {}
    for district_key in sorted(first_row, key=first_row.get):
        members = [c for c in chome if chosen.get(c.row.code) == district_key]
        if not members:
            if not result.problems:
                result.warnings.append(
                    Problem(
                        first_row[district_key],
                        headers["district"],
                        f"圏域「{spelled[district_key]}」の町丁はすべてほかの行の圏域に入ったため、この圏域は作りません。",
                    )
                )
            continue
        tier1s = sorted({c.tier1 for c in members})
        if len(tier1s) > 1:
            names = "、".join(a.name for a in outline.areas if a.code in tier1s)
            result.problems.append(
                Problem(
                    first_row[district_key],
                    headers["district"],
                    f"圏域「{spelled[district_key]}」の町丁が{names}にまたがっています。"
                    "第2層の圏域は1つの区の中に置いてください（第1層の列で区を指定できます）。",
                )
            )
            continue
        merged = (district_key[0], tier1s[0])
        if merged in districts:
            districts[merged].chome.extend(members)
        else:
            districts[merged] = District(
                spelled[district_key], tier1s[0], first_row[district_key], members
            )
    result.districts = list(districts.values())
    result.unnamed = [c for c in chome if c.row.code not in chosen]
    return result
