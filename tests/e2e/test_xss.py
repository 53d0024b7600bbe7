"""Script planted in a public resource's text runs for nobody (stored XSS), nor
script in the search's ``near`` parameter (reflected XSS).

A coordinator or an imported spreadsheet can set any text field of a public
resource; every page a visitor (or an admin) opens must show it as text. The
browser runs with the Content-Security-Policy on, and the e2e fixture fails a
test on any CSP violation, so a payload that is only stopped by the policy
fails the test as well.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import models
from playwright.sync_api import Page, expect

from resources.models import Area, Category, Resource, ScheduleRule
from tests.conftest import add_schedule, make_resource
from tests.e2e.search_page import open_filters

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=1</script>"
SHORT = "<svg onload=window.__xss=1>"
PAYLOAD = IMG + SCRIPT

# Fields whose value is checked by a validator (codes, e-mail, URL) or chosen.
_NOT_FREE_TEXT = {"code", "contact_email", "url", "postal_code"}


def planted(max_length: int | None, label: str) -> str:
    """The longest payload that fits the column, tagged with the field's name."""
    for value in (f"{label}{PAYLOAD}", PAYLOAD, IMG, SHORT):
        if max_length is None or len(value) <= max_length:
            return value
    return ""


def free_text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and f.editable
        and not f.choices
        and f.name not in _NOT_FREE_TEXT
    ]


@pytest.fixture
def poisoned(areas):
    """A public resource with a payload in every free-text field, its area and
    category named with one too."""
    kita1 = areas["kita1"]
    Area.objects.filter(pk=kita1.pk).update(name="北区第1" + SHORT)
    category = Category.objects.get(code="exercise")
    Category.objects.filter(pk=category.pk).update(name="運動" + SHORT)
    fields = {
        f.name: planted(f.max_length, f.name)
        for f in free_text_fields(Resource)
        if planted(f.max_length, f.name)
    }
    fields["name"] = "梅田" + IMG + SCRIPT
    resource = make_resource(**fields, lat=34.701, lng=135.496, categories=[category], area=kita1)
    add_schedule(
        resource=resource,
        kind="weekly",
        weekdays="TU",
        note=planted(ScheduleRule._meta.get_field("note").max_length, "note"),
    )
    return resource


def assert_no_script_ran(page: Page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined", "planted script ran"


@pytest.fixture
def watched(page: Page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield page
    assert dialogs == [], f"a dialog opened: {dialogs}"


def hover_and_click_markers(page: Page) -> list[str]:
    """Hover and click every marker; the texts of the tooltips and popups shown."""
    shown = []
    # Circle markers (detail, the searched point) and the search map's numbered icons.
    markers = page.locator("path.leaflet-interactive, .leaflet-marker-icon")
    for i in range(markers.count()):
        marker = markers.nth(i)
        marker.hover(force=True)
        page.wait_for_timeout(100)
        shown += page.locator(".leaflet-tooltip").all_inner_texts()
        marker.click(force=True)
        page.wait_for_timeout(100)
        shown += page.locator(".leaflet-popup").all_inner_texts()
    return shown


def test_planted_script_never_runs_on_the_detail_page(watched: Page, live_server, poisoned):
    page = watched
    page.goto(f"{live_server.url}/resources/{poisoned.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("<img")
    page.locator("#detail-map path.leaflet-interactive").first.wait_for()
    assert any("onerror" in text for text in hover_and_click_markers(page))
    assert_no_script_ran(page)


def test_planted_script_never_runs_on_the_search_list_and_map(watched: Page, live_server, poisoned):
    page = watched
    page.goto(f"{live_server.url}/resources/?q=梅田")
    expect(page.locator("#results")).to_contain_text("<img")
    page.locator("#resource-map .leaflet-marker-icon").first.wait_for()
    assert any("onerror" in text for text in hover_and_click_markers(page))
    # The list as the script replaces it (a filter changed, in the drawer).
    open_filters(page)
    page.locator("#search-form select").first.select_option(index=0)
    page.get_by_role("button", name="探す").first.click()
    page.wait_for_load_state("networkidle")
    assert_no_script_ran(page)


def test_script_in_the_near_parameter_never_runs(watched: Page, live_server, poisoned):
    page = watched
    near = quote(IMG + SCRIPT)
    page.goto(f"{live_server.url}/resources/?near={near}&lat=34.7014&lng=135.4966&radius_km=1")
    page.locator("#resource-map .leaflet-marker-icon").first.wait_for()
    shown = hover_and_click_markers(page)
    assert any(text.startswith("<img") for text in shown), shown
    assert_no_script_ran(page)
    page.goto(f"{live_server.url}/resources/?near={near}")
    assert_no_script_ran(page)


def test_planted_script_never_runs_on_the_home_map_and_area_pages(
    watched: Page, live_server, poisoned
):
    page = watched
    for path in (
        "/",
        "/resources/?view=map",
        f"/areas/{poisoned.area.code}/",
        f"/areas/{poisoned.area.parent.code}/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        if "view=map" in path:
            page.locator("#resource-map .leaflet-marker-icon").first.wait_for()
            assert any("onerror" in text for text in hover_and_click_markers(page))
        assert_no_script_ran(page)


def test_print_links_serve_pdfs_not_pages_with_the_planted_text(
    watched: Page, live_server, poisoned
):
    """The print pages are PDFs (no script runs in them); what the browser gets is a
    PDF, not an HTML page carrying the payload."""
    page = watched
    for path in (
        f"/resources/{poisoned.pk}/sheet.pdf",
        "/resources/print.pdf?q=梅田",
        f"/areas/{poisoned.area.code}/map.pdf",
    ):
        response = page.request.get(live_server.url + path)
        assert response.status == 200, path
        assert response.headers["content-type"] == "application/pdf", path
