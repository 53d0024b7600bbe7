"""manage.py import_population: the e-Stat table as published and the デジタル庁
地域・年齢別人口 layout, matched to the 町丁 by code, then by normalised name."""

from __future__ import annotations

import csv
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from analysis.models import ChomePopulation
from analysis.population import ESTAT, STANDARD, import_population
from tests.conftest import make_address_point

ESTAT_FILE = (
    Path(settings.BASE_DIR) / "fixtures/population/osaka_city_census2020_T001082_age5_smallarea.csv"
)
STANDARD_FILE = Path(__file__).parents[1] / "data/population_kita_2020_standard_layout.csv"


def _estat_rows():
    return list(csv.reader(ESTAT_FILE.open(encoding="cp932", newline="")))


def _figures(name: str, ward: str = "大阪市北区") -> tuple[int, int]:
    """(総数, 総数６５歳以上) of a 町丁 in the published file, read independently."""
    rows = _estat_rows()
    total, aged = rows[1].index("総数、年齢「不詳」含む"), rows[1].index("総数６５歳以上")
    row = next(r for r in rows[2:] if r[2] == ward and r[3] == name)
    return int(row[total]), int(row[aged])


def _kita_cut(tmp_path, *, edit=None) -> Path:
    """The published file cut to 北区's rows (its two header rows kept), as cp932."""
    rows = _estat_rows()
    kept = rows[:2] + [r for r in rows[2:] if r[2] == "大阪市北区"]
    if edit:
        edit(kept)
    path = tmp_path / "kita.csv"
    with path.open("w", encoding="cp932", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(kept)
    return path


@pytest.fixture
def kita_chome(kita1, kita2):
    """Three 町丁 as the 2015 list names them: two with their code, one whose
    code the 2020 table does not know (matched by name: 浮田1丁目 = 浮田一丁目)."""
    return [
        make_address_point(
            code="271270010",
            city="大阪市",
            ward="北区",
            name="池田町",
            lat=34.70,
            lng=135.51,
            area=kita1,
        ),
        make_address_point(
            code="27127002001",
            city="大阪市",
            ward="北区",
            name="浮田１丁目",
            lat=34.71,
            lng=135.51,
            area=kita1,
        ),
        make_address_point(
            code="99999",
            city="大阪市",
            ward="北区",
            name="浮田2丁目",
            lat=34.71,
            lng=135.52,
            area=kita2,
        ),
    ]


def test_the_published_estat_table_gives_each_town_its_figures(kita_chome, tmp_path):
    path = _kita_cut(tmp_path)

    result = import_population(path.read_bytes(), path.name)

    assert result.layout == ESTAT
    assert not result.problems
    assert result.written == 3
    stored = {
        p.address_point.name: (p.total, p.aged_65)
        for p in ChomePopulation.objects.select_related("address_point")
    }
    assert stored == {
        "池田町": _figures("池田町"),
        "浮田１丁目": _figures("浮田一丁目"),
        "浮田2丁目": _figures("浮田二丁目"),
    }
    assert ChomePopulation.objects.get(address_point__name="池田町").surveyed_on == date(
        2020, 10, 1
    )
    # Every other 北区 row is reported, not guessed.
    unmatched = {u.name for u in result.unmatched}
    assert "梅田一丁目" in unmatched and "池田町" not in unmatched
    # The ward's own row is the cross-check: (区, 区計, 表の町丁の計, 照合した計).
    ward, ward_total, chome_sum, matched = result.ward_checks[0]
    assert ward == "北区"
    assert ward_total == 23734 and chome_sum == 23548
    assert matched == sum(_figures(n)[1] for n in ("池田町", "浮田一丁目", "浮田二丁目"))


def test_a_bad_figure_writes_nothing_and_says_where(kita_chome, tmp_path):
    def spoil(rows):
        row = next(r for r in rows if r[3] == "池田町")
        row[rows[1].index("総数６５歳以上")] = "約900"

    path = _kita_cut(tmp_path, edit=spoil)
    out = StringIO()

    with pytest.raises(CommandError, match="何も書き込んでいません"):
        call_command("import_population", str(path), stdout=out, stderr=out)

    assert ChomePopulation.objects.count() == 0
    assert "人数として読めない値です（約900）" in out.getvalue()
    assert "「総数６５歳以上」" in out.getvalue()


def test_dry_run_reports_and_writes_nothing(kita_chome, tmp_path):
    path = _kita_cut(tmp_path)
    out = StringIO()

    call_command("import_population", str(path), "--dry-run", stdout=out)

    assert ChomePopulation.objects.count() == 0
    text = out.getvalue()
    assert "確認のみ" in text
    assert "町丁と照合できない行" in text
    assert "北区: 23,734 ・ 23,548" in text


def test_the_command_replaces_earlier_figures(kita_chome, tmp_path):
    path = _kita_cut(tmp_path)
    call_command("import_population", str(path), stdout=StringIO())
    ChomePopulation.objects.filter(address_point__name="池田町").update(aged_65=1)

    call_command("import_population", str(path), stdout=StringIO())

    assert (
        ChomePopulation.objects.get(address_point__name="池田町").aged_65 == _figures("池田町")[1]
    )
    assert ChomePopulation.objects.count() == 3


def test_the_standard_layout_sums_the_bands_from_65(kita_chome):
    result = import_population(STANDARD_FILE.read_bytes(), STANDARD_FILE.name)

    assert result.layout == STANDARD
    assert not result.problems
    # 地域コード is the city's own (001 …): every match is by name, within 北区.
    stored = {
        p.address_point.name: (p.total, p.aged_65)
        for p in ChomePopulation.objects.select_related("address_point")
    }
    # The bands 65-69, 70-74 and 75歳以上 by sex add up to e-Stat's own 65歳以上.
    assert stored == {
        "池田町": _figures("池田町"),
        "浮田１丁目": _figures("浮田一丁目"),
        "浮田2丁目": _figures("浮田二丁目"),
    }
    assert len(result.unmatched) == 9
    assert ChomePopulation.objects.first().surveyed_on == date(2020, 10, 1)


def test_the_standard_layout_with_every_band_up_to_85(kita_chome):
    bands = [f"{a}-{a + 4}歳" for a in range(0, 85, 5)] + ["85歳以上"]
    header = ["地域コード", "市区町村名", "調査年月日", "地域名", "総人口", "男性", "女性"]
    header += [f"{b}の{s}" for b in bands for s in ("男性", "女性")] + ["世帯数", "備考"]
    cells = ["1", "大阪市北区", "令和6年1月1日", "池田町", "100", "50", "50"]
    cells += ["2"] * (len(bands) * 2) + ["40", ""]
    text = ",".join(header) + "\r\n" + ",".join(cells) + "\r\n"

    result = import_population(text.encode("cp932"), "pop.csv")

    assert not result.problems
    stored = ChomePopulation.objects.get(address_point__name="池田町")
    # 65-69, 70-74, 75-79, 80-84, 85+: 5 bands × 2 sexes × 2 people.
    assert (stored.total, stored.aged_65, stored.aged_75) == (100, 20, 12)
    assert stored.surveyed_on == date(2024, 1, 1)


def test_a_table_of_something_else_is_refused_in_japanese(kita_chome):
    with pytest.raises(Exception, match="人口の表として読めません"):
        import_population("名称,住所\r\nサロン,北区\r\n".encode(), "x.csv")


def test_the_standard_layout_as_an_excel_file_with_a_title_row(kita_chome, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["大阪市北区 地域・年齢別人口（令和2年10月1日）"])
    with STANDARD_FILE.open(encoding="utf-8-sig", newline="") as handle:
        for index, row in enumerate(csv.reader(handle)):
            sheet.append([int(c) if index and c.isdigit() and len(c) < 6 else c for c in row])
    path = tmp_path / "population.xlsx"
    workbook.save(path)

    result = import_population(path.read_bytes(), path.name)

    assert not result.problems
    assert result.written == 3
    assert (
        ChomePopulation.objects.get(address_point__name="浮田１丁目").aged_65
        == _figures("浮田一丁目")[1]
    )
