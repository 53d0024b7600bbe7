"""Browser tests: pytest-playwright driving Debian's Chromium (no downloaded browser)."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: CI must run the browser tests")
        pytest.skip("Chromium is not installed (make test installs it with apt-get)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser(browser):
    """Every context a Japanese browser's (Accept-Language: ja-JP), as a resident's
    phone in the city is: Chromium's own default asks for en-US, and the portal
    answers that in English. A test passes locale= for another language."""
    new_context = browser.new_context

    def japanese_context(**kwargs):
        kwargs.setdefault("locale", "ja-JP")
        context = new_context(**kwargs)
        context.on("console", _note_csp_violation)
        return context

    browser.new_context = japanese_context
    return browser


# Every page runs with the Content-Security-Policy on; a violation (an inline
# script or style, a host the policy does not allow) fails the test that caused it.
CSP_VIOLATIONS: list[str] = []


def _note_csp_violation(message) -> None:
    text = message.text
    if "Content Security Policy" in text or "Content-Security-Policy" in text:
        CSP_VIOLATIONS.append(f"{message.page.url if message.page else ''}: {text}")


@pytest.fixture(autouse=True)
def _no_csp_violations():
    CSP_VIOLATIONS.clear()
    yield
    violations = list(CSP_VIOLATIONS)
    CSP_VIOLATIONS.clear()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def phone_context_args():
    return {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """live_server tests flush the database after each test; put back what the
    migrations seed (categories, targets, features, role groups)."""
    from portal.roles import ensure_role_groups
    from resources.reference import seed_reference_data

    seed_reference_data()
    ensure_role_groups()
