"""The route sweep's machinery: the URL patterns of the project, the values for
their parameters, and every response format decoded to text.

``tests/security/test_route_sweep.py`` walks every pattern the resolver knows
(not a hand list) as each role and searches the decoded responses for canary
values that role may not read.
"""

from __future__ import annotations

import html
import io
import json
import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

JSON_SCRIPT = re.compile(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.S)
KWARG = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route, URL name and default kwargs."""

    route: str
    name: str
    defaults: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def kwargs(self) -> list[str]:
        return [m.group("name") or m.group("group") for m in KWARG.finditer(self.route)]

    def segment_before(self, kwarg: str) -> str:
        """The literal path segment in front of ``<kwarg>`` (``activities`` for
        ``staff/activities/<int:pk>/``)."""
        head = self.route.split(f":{kwarg}>")[0] if f":{kwarg}>" in self.route else ""
        head = head or self.route.split(f"<{kwarg}>")[0]
        literal = [s for s in re.sub(r"<[^>]*$", "", head).split("/") if s and "<" not in s]
        return literal[-1] if literal else ""

    def fill(self, values: dict[str, object]) -> str:
        def one(match: re.Match) -> str:
            return str(values[match.group("name") or match.group("group")])

        path = KWARG.sub(one, self.route)
        # Regex routes (re_path) of the admin: drop the anchors.
        return "/" + path.lstrip("^").rstrip("$").replace("\\", "")


def all_routes() -> list[Route]:
    """Every URL pattern of the project, from the resolver."""
    found: list[Route] = []

    def walk(resolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                name = entry.name or ""
                if namespace and name:
                    name = f"{namespace}:{name}"
                found.append(Route(prefix + str(entry.pattern), name, dict(entry.default_args)))

    walk(get_resolver(), "", "")
    return found


# --- decoding --------------------------------------------------------------------


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def decoded(response) -> str:
    """Everything a reader can get out of a response, as text: headers that carry
    data, and the body decoded by its type (HTML with its JSON data, JSON,
    GeoJSON, PDF text, CSV in UTF-8 or cp932, XLSX cells, iCal)."""
    body = body_of(response)
    kind = response.get("Content-Type", "").split(";")[0].strip().lower()
    parts = [response.get("Location", ""), response.get("Content-Disposition", "")]
    parts.append(_decode_body(body, kind))
    return "\n".join(parts)


def _text(body: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", errors="replace")


def _json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _decode_body(body: bytes, kind: str) -> str:
    if not body:
        return ""
    if body.startswith(b"%PDF") or kind == "application/pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if body.startswith(b"PK"):  # XLSX (or another zip)
        return _xlsx_text(body)
    text = _text(body)
    if "json" in kind:
        try:
            return text + "\n" + _json_text(json.loads(text))
        except ValueError:
            return text
    if kind == "text/calendar":
        unfolded = re.sub(r"\r?\n[ \t]", "", text)
        return unfolded.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")
    if "html" in kind or "xml" in kind:
        scripts = []
        for raw in JSON_SCRIPT.findall(text):
            try:
                scripts.append(_json_text(json.loads(raw)))
            except ValueError:
                scripts.append(raw)
        return html.unescape(text) + "\n" + "\n".join(scripts)
    return text


def _xlsx_text(body: bytes) -> str:
    import zipfile

    try:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True, data_only=False)
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells += [str(v) for v in row if v is not None]
        return "\n".join(cells)
    except Exception:  # not a workbook: any zip's text members
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(_text(archive.read(n)) for n in archive.namelist())
