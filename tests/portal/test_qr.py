"""The printouts' QR code encodes the live page's absolute address."""

import os
import shutil
import subprocess

import pytest

from portal.qr import absolute_url, qr_svg


def test_absolute_url_uses_site_url(settings):
    settings.SITE_URL = "https://shigen.example.jp/"
    assert absolute_url("/resources/12/") == "https://shigen.example.jp/resources/12/"
    assert absolute_url("https://other.example/x") == "https://other.example/x"


def test_qr_svg_is_an_inline_svg_element(settings):
    settings.SITE_URL = "https://shigen.example.jp"
    svg = qr_svg("/resources/12/", size_mm=20)
    assert svg.startswith("<svg ")
    assert 'aria-label="QR"' in svg and "width:20mm" in svg
    assert "<?xml" not in svg


@pytest.mark.skipif(
    not (shutil.which("zbarimg") and shutil.which("rsvg-convert")) and not os.environ.get("CI"),
    reason="zbar-tools and librsvg2-bin (make test installs them)",
)
def test_qr_decodes_to_the_page(settings, tmp_path):
    settings.SITE_URL = "https://shigen.example.jp"
    path = tmp_path / "code.svg"
    path.write_text(qr_svg("/resources/12/"))
    png = tmp_path / "code.png"
    subprocess.run(
        ["rsvg-convert", "-w", "300", "-b", "white", str(path), "-o", str(png)], check=True
    )
    out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True)
    assert out.stdout.strip() == "https://shigen.example.jp/resources/12/"
