"""Every printout is a tagged PDF (PDF/UA-1) with its language and title set."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader


@pytest.fixture
def urls(public_salon) -> dict[str, str]:
    return {
        "sheet": f"/resources/{public_salon.pk}/sheet.pdf",
        "list": "/resources/print.pdf?area=27127",
        "map": "/areas/27127/map.pdf",
        "calendar": "/areas/27127/calendar.pdf?month=2026-09",
        "mylist": f"/mylist/print.pdf?ids={public_salon.pk}",
    }


@pytest.mark.parametrize("kind", ["sheet", "list", "map", "calendar", "mylist"])
def test_the_pdf_is_tagged_with_language_and_title(client, urls, kind):
    response = client.get(urls[kind])
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "ja"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert "地域資源ポータル" in reader.metadata.title
