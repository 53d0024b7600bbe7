"""The one PDF rendering helper: Django templates with print CSS, through WeasyPrint.

PDFs are the same kind of templates as the pages (``templates/base_print.html``)
rendered by WeasyPrint. Everything a template links to must come from this
project: ``/static/…`` URLs are served from the staticfiles finders (or the
collected storage), ``data:`` URLs are read inline, and every other URL —
network, ``file:`` — is refused, so that a PDF never waits on the network and
never depends on the fonts of the machine it is made on.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A made-up origin for relative URLs: nothing is ever fetched from it.
PRINT_BASE_URL = "https://print.portal.invalid/"
PDF_CONTENT_TYPE = "application/pdf"

logger = logging.getLogger(__name__)

_MIME_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class RefusedURL(ValueError):
    """A PDF asked for something outside the project's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves ``/static/…`` from the project and refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https", "http", "data"), fail_on_errors=False)
        static_url = settings.STATIC_URL or "/static/"
        absolute = urlsplit(static_url).scheme in ("http", "https")
        self._prefixes = [static_url] if absolute else [PRINT_BASE_URL.rstrip("/") + static_url]

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        for prefix in self._prefixes:
            if url.startswith(prefix):
                relative = unquote(urlsplit(url[len(prefix) :]).path)
                return self._static(relative, url)
        logger.warning("PDF: refused to fetch %s", url[:200])
        raise RefusedURL(f"PDF では外部の URL を読み込みません: {url[:200]}")

    @staticmethod
    def _static(relative: str, url: str) -> URLFetcherResponse:
        if not relative or ".." in Path(relative).parts:
            raise RefusedURL(f"静的ファイルの名前が正しくありません: {relative[:200]}")
        found = finders.find(relative)
        if found:
            body = Path(found).read_bytes()
        elif staticfiles_storage.exists(relative):
            with staticfiles_storage.open(relative) as handle:
                body = handle.read()
        else:
            raise RefusedURL(f"静的ファイルが見つかりません: {relative[:200]}")
        content_type = _MIME_TYPES.get(Path(relative).suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


# Loading the @font-face fonts (two 4.6 MB files) into Fontconfig is the slow part
# of a small PDF; one configuration per thread keeps them loaded between renders.
_local = threading.local()


def _font_config() -> FontConfiguration:
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


# Every PDF is tagged PDF/UA-1, so that a screen reader reads it in order, with
# the document's language (``<html lang>``) and title (``<title>``) in its
# metadata; WeasyPrint writes the structure tree from the HTML.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def html_to_pdf(html: str) -> bytes:
    """A PDF of ``html``: the bare WeasyPrint step (also what the benchmarks compare with)."""
    document = HTML(string=html, base_url=PRINT_BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(font_config=_font_config(), **PDF_OPTIONS)


def html_to_document(html: str):
    """``html`` laid out as pages (a WeasyPrint ``Document``), to be joined with
    others into one PDF by ``documents_write_pdf``."""
    document = HTML(string=html, base_url=PRINT_BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.render(font_config=_font_config(), **PDF_OPTIONS)


def documents_write_pdf(documents: list, target) -> None:
    """The pages of ``documents``, in order, as one PDF written to ``target`` (a
    path or a file): a booklet of several prints, each keeping its own page numbers."""
    pages = [page for document in documents for page in document.pages]
    documents[0].copy(pages).write_pdf(target, **PDF_OPTIONS)


def render_to_pdf(template: str, context: dict, request: HttpRequest | None = None) -> bytes:
    """``template`` rendered with ``context`` (and the request's context processors) as a PDF."""
    html = render_to_string(template, context, request=request)
    return html_to_pdf(html)


def content_disposition(
    filename: str, *, fallback: str = "document.pdf", inline: bool = True
) -> str:
    """A Content-Disposition header for a Japanese file name (RFC 6266 / 5987).

    Clients that do not read ``filename*`` get the ASCII ``fallback``.
    """
    disposition = "inline" if inline else "attachment"
    ascii_name = "".join(c for c in fallback if c.isascii() and (c.isalnum() or c in "-_."))
    ascii_name = ascii_name or "document.pdf"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def safe_filename(text: str, suffix: str = ".pdf") -> str:
    """``text`` as a file name: Japanese kept, path and control characters removed."""
    cleaned = "".join("_" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in text).strip(" ._")
    return (cleaned[:80] or "document") + suffix


def pdf_response(
    pdf: bytes,
    filename: str,
    *,
    fallback: str = "document.pdf",
    inline: bool = True,
    status: int = 200,
) -> HttpResponse:
    """An HTTP response carrying ``pdf``, shown in the browser (or downloaded) as ``filename``."""
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE, status=status)
    response["Content-Disposition"] = content_disposition(
        filename, fallback=fallback, inline=inline
    )
    response["Content-Length"] = str(len(pdf))
    return response
