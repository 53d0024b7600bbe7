"""The whole-city booklet in a real browser: the button, a progress bar that reaches
100 % as a worker makes it, and the PDF offered at the end (two wards, to keep it short)."""

from __future__ import annotations

import io
import re
import threading
import uuid

import pypdf
import pytest
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, make_resource
from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.slow


@pytest.fixture
def city(areas, exercise):
    make_resource(name="梅田ふれあいサロン", lat=34.701, lng=135.496, categories=[exercise])
    make_resource(name="港の体操教室", area=areas["minato"], lat=34.66, lng=135.44)
    return areas


@pytest.fixture
def worker(settings):
    """The database backend and its worker, in a thread of this process."""
    queue = f"e2e-{uuid.uuid4().hex[:8]}"
    settings.JOBS_QUEUE = queue
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    running = Worker(
        queue_names=[queue],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="e2e",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    yield running
    running.running = False
    thread.join(timeout=30)


def test_city_staff_make_the_booklet_and_open_it(page: Page, live_server, city, city_staff, worker):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill(city_staff.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.goto(live_server.url + "/staff/booklet/")
    page.get_by_label(re.compile("公開用（住民の方に配る資料）")).check()
    page.get_by_role("button", name="市全体の冊子を作る").click()

    expect(page).to_have_url(re.compile(r"/staff/jobs/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("市全体の冊子（公開用）")
    bar = page.locator("#job-progress")
    expect(bar).to_be_visible()
    # The worker makes it while the page polls; the page then offers the PDF.
    result = page.locator("#job-result")
    expect(result).to_be_visible(timeout=60_000)
    expect(bar).to_have_attribute("value", "100")
    expect(page.locator("#job-progress-label")).to_contain_text("2 / 2 区域（100 %）")
    assert_accessible(page)

    response = page.request.get(live_server.url + result.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.body())).pages)
    assert "北区 地域資源マップ" in text and "港区 地域資源マップ" in text

    page.goto(live_server.url + "/staff/")
    expect(page.get_by_role("heading", name="作成済みの資料")).to_be_visible()
    expect(page.get_by_role("link", name="市全体の冊子（公開用）")).to_be_visible()
