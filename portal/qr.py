"""QR codes on printouts, pointing at the live page (segno, as SVG).

Every printout (sheets, lists, area maps, 予定表, わたしのリスト, 確認票) carries a
QR code so that an old sheet still reaches current data. The address is built
from the SITE_URL setting, because a PDF made by a job or a command has no
request to take the host from. segno is small, pure Python and writes SVG that
WeasyPrint embeds without a raster step.
"""

from __future__ import annotations

import io

import segno
from django.conf import settings


def absolute_url(path: str) -> str:
    """The public address of a path on this site (SITE_URL + path)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def qr_svg(target: str, *, size_mm: float = 22) -> str:
    """An inline <svg> element encoding the absolute address of `target`.

    Medium error correction survives a folded or smudged sheet; the quiet zone
    is kept because scanners need it.
    """
    code = segno.make(absolute_url(target), error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True)
    svg = buffer.getvalue().decode()
    style = f'style="width:{size_mm}mm;height:{size_mm}mm"'
    return svg.replace("<svg ", f'<svg role="img" aria-label="QR" {style} ', 1)
