"""The Content-Security-Policy: on every page, with nothing inline to allow.

The browser tests (tests/e2e) run with the policy on and fail on any violation;
these checks keep the sources free of what the policy would block.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Templates rendered only into PDFs (WeasyPrint), never served as pages.
PDF_ONLY = re.compile(r"(^|/)print_|base_print\.html$")


def page_templates() -> list[Path]:
    found = []
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" in folder.parts:
            continue
        found += [
            p for p in folder.rglob("*.html") if not PDF_ONLY.search(str(p.relative_to(folder)))
        ]
    return found


@pytest.mark.parametrize("path", ["/", "/resources/", "/accounts/login/", "/no-such-page/"])
def test_every_response_carries_a_policy_without_inline_script(client, db, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_tile_host_of_the_setting_is_allowed_for_images(settings):
    from portal.settings import tile_origin

    assert tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )
    assert (
        tile_origin(settings.TILE_URL) in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    )


def test_no_page_template_has_inline_script_handlers_or_style():
    problems = []
    for path in page_templates():
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                problems.append(f"{path}: inline {tag}")
        if re.search(r"\son[a-z]+\s*=", text):
            problems.append(f"{path}: inline event handler")
        if re.search(r"\sstyle\s*=", text):
            problems.append(f"{path}: style attribute")
        if "{% leaflet_map" in text:
            problems.append(f"{path}: leaflet_map writes an inline script (use portal_map)")
    assert problems == []


def test_no_script_builds_html_from_data():
    """Data reaches the page as text: no innerHTML, insertAdjacentHTML,
    outerHTML or document.write in the portal's scripts."""
    problems = []
    for path in (ROOT / "static" / "js").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"\.innerHTML\s*=",
            r"insertAdjacentHTML",
            r"\.outerHTML\s*=",
            r"document\.write",
        ):
            if re.search(pattern, text):
                problems.append(f"{path.name}: {pattern}")
        # Leaflet inserts a string tooltip or popup as HTML.
        for call in re.findall(r"bind(?:Tooltip|Popup)\(([^,)]*)", text):
            # A literal or a data property (props.name, el.dataset.label) is a string.
            if re.match(r"\s*[\"'`]", call) or re.fullmatch(r"\s*\w+(\.\w+)+\s*", call):
                problems.append(f"{path.name}: bindTooltip/bindPopup with a string: {call}")
    assert problems == []
