"""/staff/reports/: the report pages, and the same tables as PDF, CSV and XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

NAMES = ["councils", "creation", "monthly", "functions", "cases"]


def csv_rows(response):
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_anonymous_is_sent_to_login_and_gets_no_data(client, report_year):
    for url in ("/staff/reports/", "/staff/reports/monthly/", "/staff/reports/monthly.csv?fy=2024"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_care_manager_gets_404(client, report_year, care_manager):
    client.force_login(care_manager)

    for url in (
        "/staff/reports/",
        "/staff/reports/cases/?fy=2024",
        "/staff/reports/cases.csv?fy=2024",
    ):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "role", ["city_staff", "kita_coordinator", "kita1_coordinator", "minato_coordinator"]
)
def test_city_staff_and_coordinators_open_every_report(client, request, report_year, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get("/staff/reports/?fy=2024").status_code == 200
    for name in NAMES:
        assert client.get(f"/staff/reports/{name}/?fy=2024").status_code == 200


def test_the_index_links_every_report_in_every_format(client, report_year, city_staff):
    client.force_login(city_staff)

    html = client.get("/staff/reports/?fy=2024&area=27127").content.decode()

    for name in NAMES:
        for suffix in ("/", ".pdf", ".xlsx", ".csv"):
            assert f"/staff/reports/{name}{suffix}?fy=2024&amp;area=27127" in html
    assert "令和6年度" in html


def test_the_monthly_page_shows_the_same_numbers_as_the_csv(client, report_year, city_staff):
    client.force_login(city_staff)

    html = client.get("/staff/reports/monthly/?fy=2024").content.decode()
    rows = csv_rows(client.get("/staff/reports/monthly.csv?fy=2024"))

    assert "令和6年度 会議、訪問・相談件数等（月別）" in html
    visits = next(row for row in rows if row[0] == "訪問延件数（件）")
    assert visits == [
        "訪問延件数（件）",
        "5",
        "0",
        "5",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "10",
    ]
    assert '<td class="num num--total">10</td>' in html
    assert rows[-1][0] == "合計" and rows[-1][-1] == "24"


def test_the_contract_csvs_have_the_label_first_and_totals(client, report_year, city_staff):
    client.force_login(city_staff)

    for name, first in (
        ("councils", "区名"),
        ("creation", "区名"),
        ("monthly", "項目"),
        ("functions", "所属"),
    ):
        response = client.get(f"/staff/reports/{name}.csv?fy=2024")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = csv_rows(response)
        assert rows[0][0] == first
        assert "合計" in rows[0]
        assert rows[-1][0] == "合計"


def test_the_creation_csv_for_one_ward(client, report_year, city_staff):
    client.force_login(city_staff)

    rows = csv_rows(client.get("/staff/reports/creation.csv?fy=2024&area=27127"))

    assert [row[:2] for row in rows[1:]] == [
        ["北区", "新規立ち上げ"],
        ["", "既存資源の拡充"],
        ["合計", ""],
    ]
    assert rows[-1][-3:] == ["4", "4", "10"]


def test_the_functions_csv(client, report_year, city_staff):
    client.force_login(city_staff)

    rows = csv_rows(client.get("/staff/reports/functions.csv?fy=2024"))

    assert rows[-1] == ["合計", "3", "10", "5", "2", "3", "1", "1", "1", "4", "30"]


def test_the_xlsx_holds_every_table_with_numbers_as_numbers(client, report_year, city_staff):
    client.force_login(city_staff)

    response = client.get("/staff/reports/functions.xlsx?fy=2024")

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 2
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    total = next(row for row in values if row[0] == "合計")
    assert total[1:11] == (3, 10, 5, 2, 3, 1, 1, 1, 4, 30)
    assert "令和6年度" in values[0][0]


def test_the_creation_xlsx_merges_the_ward_cells(client, report_year, city_staff):
    client.force_login(city_staff)

    book = load_workbook(io.BytesIO(client.get("/staff/reports/creation.xlsx?fy=2024").content))

    merged = {str(r) for r in book.active.merged_cells.ranges}
    assert any(r.startswith("A") for r in merged)


def test_the_pdf_has_the_japanese_table(client, report_year, city_staff):
    from pypdf import PdfReader

    client.force_login(city_staff)

    response = client.get("/staff/reports/councils.pdf?fy=2024")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "協議体の設置状況" in text
    assert "支援ネットワーク会議" in text


def test_a_bad_year_is_refused_in_japanese(client, report_year, city_staff):
    client.force_login(city_staff)

    response = client.get("/staff/reports/monthly.csv?fy=R6")

    assert response.status_code == 400
    assert "年度" in response.content.decode()


def test_an_unknown_report_or_area_is_404(client, report_year, city_staff):
    client.force_login(city_staff)

    assert client.get("/staff/reports/salaries.csv?fy=2024").status_code == 404
    assert client.get("/staff/reports/monthly.csv?fy=2024&area=99999").status_code == 404


def test_the_case_examples_page_shows_only_what_the_reader_may_see(
    client, report_year, kita1_coordinator
):
    client.force_login(kita1_coordinator)

    html = client.get("/staff/reports/cases/?fy=2024").content.decode()

    assert "買い物できる店を知りたい" in html
    assert "集まる場所がほしい" not in html
