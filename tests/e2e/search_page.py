"""The search page's filter drawer, as a user reaches it on any screen."""

from __future__ import annotations


def open_filters(page) -> None:
    """On a phone the filters are a drawer the user opens; on a desktop (64rem and
    wider) they are always shown beside the list, with no summary to click."""
    summary = page.locator("#filters > summary")
    if summary.is_visible():
        summary.click()
