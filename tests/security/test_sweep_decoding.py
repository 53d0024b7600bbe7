"""The sweep's decoders find a value in every format a route answers with."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.html import json_script

from tests.security.sweep import Route, decoded

TOKEN = "cnry9999q"


def test_html_and_the_json_inside_it_with_escaped_non_ascii():
    page = "<p>&lt;b&gt;</p>" + json_script({"name": f"名前<{TOKEN}>"}, "data")
    # json_script escapes < > &; a writer may escape any character as \\uXXXX.
    response = HttpResponse(page.replace(TOKEN, "cnry\\u0039999q"), content_type="text/html")
    assert TOKEN in decoded(response)


def test_json_with_escaped_characters():
    response = HttpResponse('{"a": "\\u540d cnry\\u0039999q"}', content_type="application/geo+json")
    assert TOKEN in decoded(response)


def test_csv_in_cp932_and_icalendar_folded_lines():
    csv = HttpResponse(f"名前,{TOKEN}\r\n".encode("cp932"), content_type="text/csv")
    assert TOKEN in decoded(csv)
    ical = HttpResponse("SUMMARY:abc cnry99\r\n 99q\\, x\r\n", content_type="text/calendar")
    assert TOKEN in decoded(ical)


def test_xlsx_cells():
    from openpyxl import Workbook

    book = Workbook()
    book.active["B2"] = f"内容 {TOKEN}"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.ms-excel")
    assert TOKEN in decoded(response)


def test_pdf_text():
    from portal.pdf import html_to_pdf

    pdf = html_to_pdf(f"<p>内容 {TOKEN}</p>")
    assert TOKEN in decoded(HttpResponse(pdf, content_type="application/pdf"))


def test_routes_are_filled_by_kwarg_name_and_regex_group():
    assert Route("staff/activities/<int:pk>/edit/", "x").segment_before("pk") == "activities"
    assert Route("admin/(?P<url>.*)$", "x").fill({"url": "a/"}) == "/admin/a/"
    assert Route("areas/<slug:code>/map.pdf", "x").fill({"code": "27127"}) == "/areas/27127/map.pdf"
