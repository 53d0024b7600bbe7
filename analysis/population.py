"""Reading population tables and matching them to the 町丁 (``import_population``).

Two layouts, recognised by their headers:

- **e-Stat 国勢調査 小地域 年齢別** as published (e.g. 2020 T001082 年齢5歳階級):
  cp932, a row of codes (KEY_CODE, HYOSYO, CITYNAME, NAME, …, T001082001 …) and
  a row of labels (総数、年齢「不詳」含む, 総数６５歳以上 …). HYOSYO 1 is a ward's
  total (kept as a cross-check), 3 a 町 that the following 丁目 rows (4) split,
  2 a 町 without 丁目; the rows read are 2 and 4. ``X`` is a figure kept secret
  (秘匿) and added to the 町丁 named in HTKSAKI, ``-`` is none: both read as 0.
- **デジタル庁 自治体標準 「地域・年齢別人口」**: 地域コード, 市区町村名, 地域名,
  総人口, then 5-year bands by sex (0-4歳の男性 …, 85歳以上の女性); 65歳以上 is
  the sum of the bands from 65-69 up.

Rows are matched to the 町丁 (AddressPoint) by code first, by normalised name
(as addresses are normalised: 本町１丁目 = 本町一丁目) within the ward second; a
丁目 whose code matches no 町丁 but whose 町 does (2015 町丁 that 2020 splits)
adds to that 町. Rows that match nothing are reported, never guessed.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from analysis.models import ChomePopulation
from portal.cache import data_changed
from portal.models import AddressPoint
from portal.sheets.problems import Problem, SheetFileError
from portal.sheets.reading import read_table
from portal.text import code_key, normalize_address
from portal.wareki import WarekiError, parse_date

ESTAT = "e-Stat 国勢調査 小地域"
STANDARD = "地域・年齢別人口（自治体標準オープンデータ）"
CENSUS_2020_DAY = date(2020, 10, 1)

_WARD_OF_CITY = re.compile(r"(.+?市)(.+区)")
_BAND = re.compile(r"^(\d+)(?:[-~〜～－ー](\d+)歳|歳以上)")
_SECRET = {"x", "X", "ｘ", "Ｘ", "秘匿"}
_NONE = {"", "-", "－", "‐", "―", "…", "0"}


@dataclass
class PopulationRow:
    line: int
    code: str
    ward: str
    name: str
    total: int
    aged_65: int
    aged_75: int | None = None


@dataclass
class PopulationFile:
    layout: str
    rows: list[PopulationRow] = field(default_factory=list)
    # e-Stat's ward rows (HYOSYO 1): ward name -> (total, 65歳以上)
    ward_totals: dict[str, tuple[int, int]] = field(default_factory=dict)
    surveyed_on: date | None = None
    problems: list[Problem] = field(default_factory=list)
    secret_rows: int = 0


@dataclass
class Unmatched:
    line: int
    ward: str
    name: str
    code: str
    aged_65: int


@dataclass
class PopulationResult:
    layout: str
    read: int = 0
    matched: int = 0
    written: int = 0
    unmatched: list[Unmatched] = field(default_factory=list)
    points_without_figures: int = 0
    # ward, its total in the file, the file's 町丁 summed, the matched 町丁 summed (65歳以上)
    ward_checks: list[tuple[str, int, int, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False


def _nfkc(text) -> str:
    return unicodedata.normalize("NFKC", "" if text is None else str(text)).strip()


def _ward_of(city_text: str) -> str:
    found = _WARD_OF_CITY.fullmatch(_nfkc(city_text))
    return found.group(2) if found else ""


class _Cells:
    """Numbers of one row, with the problems they raise."""

    def __init__(self, file: PopulationFile, line: int, cells: list, labels: list[str]):
        self.file, self.line, self.cells, self.labels = file, line, cells, labels
        self.secret = False

    def number(self, index: int) -> int:
        raw = self.cells[index] if index < len(self.cells) else ""
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            if raw < 0 or raw != int(raw):
                return self._bad(index, raw)
            return int(raw)
        text = _nfkc(raw).replace(",", "")
        if text in _SECRET:
            self.secret = True
            return 0
        if text in _NONE:
            return 0
        if not text.isdigit():
            return self._bad(index, raw)
        return int(text)

    def _bad(self, index: int, raw) -> int:
        self.file.problems.append(
            Problem(self.line, self.labels[index], f"人数として読めない値です（{raw}）。")
        )
        return 0


def read_population(data: bytes, filename: str = "") -> PopulationFile:
    """The rows of a population table; SheetFileError when it is neither layout."""
    table = read_table(data, filename)
    for position, (_number, cells) in enumerate(table.rows[:20]):
        heads = [_nfkc(c) for c in cells]
        if "KEY_CODE" in heads and "HYOSYO" in heads:
            return _read_estat(table.rows, position)
        if "地域名" in heads and ("総人口" in heads or "総数" in heads):
            return _read_standard(table.rows, position)
    raise SheetFileError(
        "人口の表として読めません。e-Stat 国勢調査 小地域（KEY_CODE・HYOSYO の見出し）か、"
        "地域・年齢別人口（地域名・総人口の見出し）の表を選んでください。"
    )


def _read_estat(rows: list[tuple[int, list]], position: int) -> PopulationFile:
    codes = [_nfkc(c) for c in rows[position][1]]
    labels = [_nfkc(c) for c in rows[position + 1][1]] if position + 1 < len(rows) else []
    labels += [""] * (len(codes) - len(labels))
    shown = (
        [str(c or "").strip() for c in rows[position + 1][1]] if position + 1 < len(rows) else []
    )
    shown += [""] * (len(codes) - len(shown))
    names = [label or code for label, code in zip(shown, codes, strict=False)]
    column = {name: index for index, name in enumerate(codes)}

    def label_index(*wanted: str) -> int | None:
        for want in wanted:
            for index, label in enumerate(labels):
                if label.replace("、", "").startswith(want):
                    return index
        return None

    total_at = label_index("総数年齢「不詳」含む", "総数")
    aged_65_at = label_index("総数65歳以上")
    aged_75_at = label_index("総数75歳以上")
    missing = [
        text
        for text, index in (("総数", total_at), ("総数６５歳以上", aged_65_at))
        if index is None
    ]
    if missing or "NAME" not in column:
        raise SheetFileError(
            "e-Stat の表に「" + "」「".join(missing or ["NAME"]) + "」の列がありません。"
            "年齢別（年齢5歳階級・4区分）の表か確かめてください。"
        )
    file = PopulationFile(layout=ESTAT, surveyed_on=CENSUS_2020_DAY)
    for line, cells in rows[position + 2 :]:
        if not any(_nfkc(c) for c in cells):
            continue
        get = lambda i, cells=cells: _nfkc(cells[i]) if i < len(cells) else ""  # noqa: E731
        level = get(column["HYOSYO"])
        numbers = _Cells(file, line, cells, names)
        total = numbers.number(total_at)
        aged_65 = numbers.number(aged_65_at)
        aged_75 = numbers.number(aged_75_at) if aged_75_at is not None else None
        city_text = get(column["CITYNAME"]) if "CITYNAME" in column else ""
        ward = _ward_of(city_text)
        if level == "1":
            file.ward_totals[ward or city_text] = (total, aged_65)
            continue
        if level not in ("2", "4"):
            continue  # 3: a 町 whose 丁目 follow; 0 and others: not a 町丁
        name = get(column["NAME"])
        if not name:
            if total:  # a 水面調査区 (water) has no name and no one living there
                file.problems.append(Problem(line, "NAME", "町丁の名前がありません。"))
            continue
        if aged_65 > total:
            file.problems.append(
                Problem(line, names[aged_65_at], "65歳以上の人数が総数より多くなっています。")
            )
        file.secret_rows += numbers.secret
        file.rows.append(
            PopulationRow(
                line=line,
                code=get(column["KEY_CODE"]),
                ward=ward,
                name=name,
                total=total,
                aged_65=aged_65,
                aged_75=aged_75,
            )
        )
    return file


def _bands(heads: list[str]) -> list[tuple[int, int]]:
    """(column, lower age) of the 5-year bands: by sex if the table has them."""
    found = []
    for index, head in enumerate(heads):
        match = _BAND.match(head.replace(" ", ""))
        if match:
            found.append((index, int(match.group(1)), "男" in head or "女" in head))
    by_sex = [item for item in found if item[2]]
    return [(index, low) for index, low, _sex in (by_sex or found)]


def _read_standard(rows: list[tuple[int, list]], position: int) -> PopulationFile:
    heads = [_nfkc(c) for c in rows[position][1]]
    column = {head: index for index, head in enumerate(heads) if head}
    total_at = column.get("総人口", column.get("総数"))
    bands = _bands(heads)
    if not any(low >= 65 for _index, low in bands):
        raise SheetFileError(
            "年齢の列（65-69歳の男性 など5歳ごとの列）がないため、65歳以上の人数がわかりません。"
        )
    file = PopulationFile(layout=STANDARD)
    code_at = column.get("地域コード")
    city_at = column.get("市区町村名")
    day_at = column.get("調査年月日")
    for line, cells in rows[position + 1 :]:
        if not any(_nfkc(c) for c in cells):
            continue
        get = lambda i, cells=cells: _nfkc(cells[i]) if i is not None and i < len(cells) else ""  # noqa: E731
        name = get(column["地域名"])
        if not name:
            file.problems.append(Problem(line, "地域名", "地域名がありません。"))
            continue
        numbers = _Cells(file, line, cells, heads)
        total = numbers.number(total_at)
        aged_65 = sum(numbers.number(i) for i, low in bands if low >= 65)
        aged_75 = sum(numbers.number(i) for i, low in bands if low >= 75)
        if aged_65 > total:
            file.problems.append(
                Problem(
                    line, "総人口", "65歳以上の人数（年齢の列の合計）が総人口より多くなっています。"
                )
            )
        day_raw = cells[day_at] if day_at is not None and day_at < len(cells) else None
        if isinstance(day_raw, date) and file.surveyed_on is None:
            file.surveyed_on = day_raw if type(day_raw) is date else day_raw.date()
        day_text = "" if isinstance(day_raw, date) else get(day_at)
        if day_text and file.surveyed_on is None:
            try:
                file.surveyed_on = parse_date(day_text)
            except (WarekiError, ValueError):
                file.problems.append(
                    Problem(line, "調査年月日", f"日付として読めません（{day_text}）。")
                )
        file.rows.append(
            PopulationRow(
                line=line,
                code=get(code_at),
                ward=_ward_of(get(city_at)),
                name=name,
                total=total,
                aged_65=aged_65,
                aged_75=aged_75,
            )
        )
    return file


# Matching and writing ---------------------------------------------------------------


class _Points:
    def __init__(self) -> None:
        points = list(AddressPoint.objects.only("pk", "code", "ward", "normalized_name"))
        self.by_code = {code_key(p.code): p.pk for p in points}
        self.by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.by_bare_name: dict[str, list[int]] = defaultdict(list)
        for p in points:
            self.by_name[(p.ward, p.normalized_name)].append(p.pk)
            self.by_bare_name[p.normalized_name].append(p.pk)
        self.count = len(points)

    def find(self, row: PopulationRow) -> tuple[int | None, bool]:
        """(the 町丁's id, whether it adds to a 町 as one of its 丁目)."""
        code = code_key(row.code)
        if code and code in self.by_code:
            return self.by_code[code], False
        name = normalize_address(row.name)
        found = self.by_name.get((row.ward, name)) if row.ward else self.by_bare_name.get(name)
        if found and len(found) == 1:
            return found[0], False
        if len(code) == 11 and code[:9] in self.by_code:
            return self.by_code[code[:9]], True
        return None, False


def import_population(
    data: bytes, filename: str = "", *, dry_run: bool = False, source: str = ""
) -> PopulationResult:
    """Read, match and (unless ``dry_run`` or a row has a problem) replace every
    町丁's figures with the file's, in one transaction."""
    file = read_population(data, filename)
    result = PopulationResult(layout=file.layout, read=len(file.rows), dry_run=dry_run)
    result.problems = list(file.problems)
    points = _Points()
    figures: dict[int, list[int]] = {}
    exact: dict[int, int] = {}
    for row in file.rows:
        pk, adds = points.find(row)
        if pk is None:
            result.unmatched.append(Unmatched(row.line, row.ward, row.name, row.code, row.aged_65))
            continue
        if not adds:
            if pk in exact:
                result.problems.append(
                    Problem(row.line, "", f"「{row.name}」は {exact[pk]}行目と同じ町丁です。")
                )
                continue
            exact[pk] = row.line
        sums = figures.setdefault(pk, [0, 0, 0 if row.aged_75 is not None else None])
        sums[0] += row.total
        sums[1] += row.aged_65
        if sums[2] is not None and row.aged_75 is not None:
            sums[2] += row.aged_75
        result.matched += 1
    result.points_without_figures = points.count - len(figures)
    ward_of = dict(AddressPoint.objects.filter(pk__in=figures).values_list("pk", "ward"))
    matched_65: dict[str, int] = defaultdict(int)
    for pk, sums in figures.items():
        matched_65[ward_of.get(pk, "")] += sums[1]
    in_file_65: dict[str, int] = defaultdict(int)
    for row in file.rows:
        in_file_65[row.ward] += row.aged_65
    result.ward_checks = [
        (ward, aged_65, in_file_65.get(ward, 0), matched_65.get(ward, 0))
        for ward, (_total, aged_65) in sorted(file.ward_totals.items())
    ]
    if result.problems or dry_run:
        return result
    label = source or file.layout
    with transaction.atomic():
        ChomePopulation.objects.all().delete()
        ChomePopulation.objects.bulk_create(
            [
                ChomePopulation(
                    address_point_id=pk,
                    total=sums[0],
                    aged_65=sums[1],
                    aged_75=sums[2],
                    surveyed_on=file.surveyed_on,
                    source=label[:200],
                )
                for pk, sums in figures.items()
            ],
            batch_size=500,
        )
        data_changed()  # the analysis keeps figures per data version
    result.written = len(figures)
    return result


# The city-wide cross-check: 第1号被保険者数 (65歳以上) of the 介護保険事業状況報告 --------

INSURED_FILE = Path(settings.BASE_DIR) / "fixtures/population/mhlw_nenpo_r5_dai1go_hihokensha.csv"
INSURED_SOURCE = "厚生労働省「介護保険事業状況報告（年報）」令和5年度末 第1号被保険者数"


@lru_cache(maxsize=1)
def _insured() -> dict[tuple[str, str], int]:
    with INSURED_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            (row["都道府県"], row["保険者"]): int(row["第1号被保険者数"])
            for row in csv.DictReader(handle)
        }


def insured_aged_65(prefecture: str, city_name: str) -> int | None:
    """The city's 第1号被保険者数 (people aged 65+ insured by the city), or None
    when the 年報 has no such 保険者 (a ward of a 政令市 is not one, nor is a city
    in a 広域連合)."""
    return _insured().get((prefecture, city_name))
