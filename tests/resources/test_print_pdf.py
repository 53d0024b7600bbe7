"""portal.pdf: fonts shipped with the project, static files only, Japanese file names.

The helpers at the top read PDFs the way the other print tests check them:
text with pypdf, fonts from the page resources, pixels with pypdfium2.
"""

from __future__ import annotations

import io
from urllib.parse import unquote

import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest

from portal.pdf import (
    PRINT_BASE_URL,
    RefusedURL,
    StaticOnlyFetcher,
    content_disposition,
    html_to_pdf,
    safe_filename,
)

FONT_NAME = "BIZ-UDPGothic"


# Helpers for the print tests ----------------------------------------------------


def pdf_reader(content: bytes) -> pypdf.PdfReader:
    assert content[:5] == b"%PDF-", content[:200]
    return pypdf.PdfReader(io.BytesIO(content))


def pdf_pages_text(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pdf_reader(content).pages]


def pdf_text(content: bytes) -> str:
    return "\n".join(pdf_pages_text(content))


def pdf_fonts(content: bytes) -> set[str]:
    """Base font names used by the pages (subset prefixes removed)."""
    names = set()
    for page in pdf_reader(content).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1])
    return names


def embedded_fonts(content: bytes) -> set[str]:
    """Fonts whose program is inside the PDF (FontFile2/3 in a descriptor)."""
    names = set()
    for page in pdf_reader(content).pages:
        for ref in page.get("/Resources", {}).get("/Font", {}).values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(descriptor["/FontName"]).lstrip("/").split("+")[-1])
    return names


def page_size_mm(content: bytes, index: int = 0) -> tuple[float, float]:
    box = pdf_reader(content).pages[index].mediabox
    return float(box.width) * 25.4 / 72, float(box.height) * 25.4 / 72


def raster(content: bytes, index: int = 0, scale: float = 0.5) -> np.ndarray:
    """Page ``index`` as an RGB array."""
    document = pdfium.PdfDocument(content)
    try:
        bitmap = document[index].render(scale=scale)
        pixels = bitmap.to_numpy()
    finally:
        document.close()
    return pixels[:, :, :3].astype(int)


def ink_ratio(pixels: np.ndarray) -> float:
    """Share of pixels that are not (nearly) white."""
    return float((pixels.min(axis=2) < 235).mean())


def colour_pixels(pixels: np.ndarray, hex_colour: str, tolerance: int = 30) -> int:
    """How many pixels are within ``tolerance`` of ``hex_colour``. WeasyPrint writes
    the RGB sRGB values as given; pdfium may return BGR, so both orders count."""
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    near = np.abs(pixels - rgb).max(axis=2) <= tolerance
    near_bgr = np.abs(pixels - rgb[::-1]).max(axis=2) <= tolerance
    return int(max(near.sum(), near_bgr.sum()))


def assert_in_order(text: str, needles: list[str]) -> None:
    position = -1
    for needle in needles:
        found = text.find(needle, position + 1)
        assert found > position, f"{needle!r} missing or out of order"
        position = found


def assert_japanese_font_embedded(content: bytes) -> None:
    used = pdf_fonts(content)
    assert used, "no fonts"
    assert all(name.startswith(FONT_NAME) for name in used), used
    assert embedded_fonts(content) >= used, (used, embedded_fonts(content))


# The helper itself ------------------------------------------------------------


def test_the_shipped_font_renders_rare_glyphs_in_regular_and_bold():
    html = (
        '<html lang="ja"><head><link rel="stylesheet" href="/static/css/print.css"></head>'
        "<body><p>①②③ 髙橋 ～ 〜 﨑</p><p><b>太字 ① 髙 ～</b></p></body></html>"
    )
    pdf = html_to_pdf(html)
    assert_japanese_font_embedded(pdf)
    assert pdf_fonts(pdf) == {FONT_NAME, f"{FONT_NAME}-Bold"}
    text = pdf_text(pdf)
    for glyph in ("①", "髙", "～", "〜", "﨑", "太字"):
        assert glyph in text
    assert ink_ratio(raster(pdf, scale=1)) > 0.001


def test_bold_is_visibly_heavier_than_regular():
    def ink(weight: str) -> float:
        html = (
            '<html><head><link rel="stylesheet" href="/static/css/print.css"></head><body>'
            f'<p style="font-size: 40pt; font-weight: {weight}">地域資源マップ</p></body></html>'
        )
        return ink_ratio(raster(html_to_pdf(html), scale=1))

    assert ink("700") > ink("400") * 1.15


def test_the_fetcher_serves_static_files_and_refuses_the_network():
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch(PRINT_BASE_URL + "static/css/print.css")
    assert b"@font-face" in response.read()
    assert response.content_type == "text/css"
    for url in (
        "https://cyberjapandata.gsi.go.jp/xyz/pale/1/1/1.png",
        "http://example.com/static/css/print.css",
        "file:///etc/passwd",
        PRINT_BASE_URL + "static/../portal/settings.py",
        PRINT_BASE_URL + "media/secret.pdf",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_a_network_image_in_a_template_is_not_fetched(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "urllib.request.OpenerDirector.open", lambda *args, **kwargs: calls.append(args)
    )
    pdf = html_to_pdf('<p>地図</p><img src="https://tile.openstreetmap.org/1/1/1.png">')
    assert "地図" in pdf_text(pdf)
    assert calls == []


def test_the_file_name_is_japanese_with_an_ascii_fallback():
    header = content_disposition("地域資源一覧_北区・運動.pdf", fallback="resource-list.pdf")
    assert header.startswith("inline; filename=\"resource-list.pdf\"; filename*=UTF-8''")
    assert unquote(header.split("''", 1)[1]) == "地域資源一覧_北区・運動.pdf"
    assert safe_filename('北区/第1圏域:"一覧"') == "北区_第1圏域__一覧.pdf"
