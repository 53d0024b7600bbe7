"""reports/policy.py: what each role reads of each report, in every format.

Counts are city-wide for every coordinator; free text — case examples, what was
heard and from whom, the response, notes — only of the areas the reader serves.
北区's free text holds canary values; a 港区 coordinator never receives them.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.http import Http404
from openpyxl import load_workbook

from coordinators.models import Function, Kind
from councils.models import Meeting
from reports.policy import report_reader
from reports.tables import REPORTS, build_report
from tests.conftest import log
from tests.resources.test_print_pdf import pdf_text

FY = 2024
KITA_CANARIES = (
    "北区カナリア補足",  # the tier-1 council's 事業開始の補足
    "北区カナリアの声",  # what was heard
    "北区カナリア町会長",  # from whom
    "北区カナリア対応",  # the response
    "北区カナリア議事録",  # meeting minutes
    "北区カナリア備考",  # the council's note
    "買い物できる店を知りたい",  # the case example of 北区 第1圏域 in report_year
)
MINATO_CASE = "集まる場所がほしい"
FORMATS = {
    "html": ("/", lambda r: r.content.decode()),
    "csv": (".csv", lambda r: r.content.decode("utf-8-sig")),
    "xlsx": (".xlsx", lambda r: _xlsx_text(r.content)),
    "pdf": (".pdf", lambda r: pdf_text(r.content)),
}


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


@pytest.fixture
def canaries(report_year, profiles, areas):
    kita_council = report_year["councils"][0]
    kita_council.business_start_note = "北区カナリア補足"
    kita_council.note = "北区カナリア備考"
    kita_council.save()
    Meeting.objects.filter(council=kita_council).update(minutes="北区カナリア議事録")
    log(
        profiles["kita"],
        areas["kita"],
        date(2024, 9, 1),
        Kind.CONSULTATION,
        [Function.INDIVIDUAL],
        source_note="北区カナリア町会長",
        heard="北区カナリアの声",
        response="北区カナリア対応",
        is_case_example=True,
    )
    return report_year


def read(client, name: str, fmt: str, query: str = "fy=2024") -> str:
    suffix, decode = FORMATS[fmt]
    response = client.get(f"/staff/reports/{name}{suffix}?{query}")
    assert response.status_code == 200, (name, fmt)
    return decode(response)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", REPORTS)
def test_a_minato_coordinator_never_reads_kitas_free_text(
    client, canaries, minato_coordinator, name, fmt
):
    client.force_login(minato_coordinator)

    for query in ("fy=2024", "fy=2024&area=27127"):
        body = read(client, name, fmt, query)
        for canary in KITA_CANARIES:
            assert canary not in body, (canary, name, fmt, query)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_minato_coordinator_reads_the_case_examples_of_minato(
    client, canaries, minato_coordinator, fmt
):
    client.force_login(minato_coordinator)

    assert MINATO_CASE in read(client, "cases", fmt)


def test_city_staff_read_every_free_text(client, canaries, city_staff):
    client.force_login(city_staff)

    cases = read(client, "cases", "html")
    councils = read(client, "councils", "csv")

    for canary in ("北区カナリアの声", "北区カナリア町会長", "北区カナリア対応", MINATO_CASE):
        assert canary in cases
    assert "平成29年度(北区カナリア補足)" in councils


def test_a_kita_coordinator_reads_the_free_text_of_the_ward_and_its_areas(
    client, canaries, kita_coordinator
):
    client.force_login(kita_coordinator)

    cases = read(client, "cases", "csv")

    assert "北区カナリアの声" in cases and "買い物できる店を知りたい" in cases
    assert MINATO_CASE not in cases
    assert "平成29年度(北区カナリア補足)" in read(client, "councils", "csv")


def test_a_tier2_coordinator_reads_only_the_free_text_of_their_area(
    client, canaries, kita1_coordinator
):
    client.force_login(kita1_coordinator)

    cases = read(client, "cases", "csv")

    assert "買い物できる店を知りたい" in cases
    assert "北区カナリアの声" not in cases  # the ward's own case: not 第1圏域's
    assert "北区カナリア補足" not in read(client, "councils", "csv")


def test_the_council_report_keeps_kitas_dates_and_existing_body_for_minato(
    client, canaries, minato_coordinator
):
    client.force_login(minato_coordinator)

    rows = {line.split(",")[0]: line for line in read(client, "councils", "csv").splitlines()}

    assert rows["北区"].startswith("北区,平成29年度,平成29年11月,既設,支援ネットワーク会議,")


@pytest.mark.parametrize("name", ["councils", "creation", "monthly", "functions"])
@pytest.mark.parametrize("area", [None, "kita", "minato1"])
def test_counts_are_city_wide_and_the_same_for_a_coordinator_as_for_city_staff(
    canaries, areas, city_staff, minato_coordinator, kita1_coordinator, name, area
):
    def numbers(user):
        report = build_report(
            name, fiscal_year=FY, area=areas[area] if area else None, fetched_by=user
        )
        return [
            [cell.value for cell in row if cell.is_number] for t in report.tables for row in t.rows
        ]

    expected = numbers(city_staff)

    assert any(any(row) for row in expected)
    assert numbers(minato_coordinator) == expected
    assert numbers(kita1_coordinator) == expected


def test_nobody_else_gets_a_report_reader(care_manager, anonymous):
    for user in (care_manager, anonymous):
        with pytest.raises(Http404):
            report_reader(user)


def test_a_coordinator_is_told_that_free_text_is_of_their_areas_only(
    client, canaries, minato_coordinator, city_staff
):
    note = "事例の内容・対応・補足などの記述は、担当区域のものだけを表示しています。"
    client.force_login(minato_coordinator)
    assert note in read(client, "cases", "html") and note in read(client, "councils", "html")
    client.force_login(city_staff)
    assert note not in read(client, "cases", "html")
