"""Settings and headers that keep a deployment safe (issue 12, item 5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from coordinators.models import Activity
from portal.clientip import client_ip
from tests.conftest import PASSWORD
from tests.coordinators.test_activity_create import form_data

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"


def _settings_in_a_fresh_process(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    clean["SECRET_KEY_FILE"] = "/nonexistent/secret_key"
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
            "'portal.settings'; from django.conf import settings; print(settings.SECRET_KEY[:8])",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_missing_secret_key_is_refused_whenever_debug_is_off():
    refused = _settings_in_a_fresh_process()
    assert refused.returncode != 0
    assert "SECRET_KEY is not set" in refused.stderr
    assert _settings_in_a_fresh_process(DEBUG="1").returncode == 0
    assert _settings_in_a_fresh_process(SECRET_KEY="x" * 50).returncode == 0


def test_the_key_make_install_wrote_for_this_machine_is_used(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("this-machines-own-random-key\n")
    result = _settings_in_a_fresh_process(SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0 and result.stdout.strip() == "this-mac"


def test_the_client_behind_a_trusted_proxy_is_the_address_the_proxy_saw(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(request) == "10.0.0.1"  # no proxy trusted: the header is not believed
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # the client cannot choose its address
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"


def test_behind_the_proxy_a_lockout_locks_out_only_the_guessing_address(
    client, settings, care_manager
):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    owner = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "caremanager", "password": "wrong"}, **attacker)
    locked = client.post(LOGIN, {"username": "caremanager", "password": PASSWORD}, **attacker)
    assert "しばらくログインできません" in locked.content.decode()
    response = client.post(LOGIN, {"username": "caremanager", "password": PASSWORD}, **owner)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_one_address_trying_many_usernames_is_stopped(client, settings, care_manager):
    settings.LOGIN_RATE_PER_ADDRESS = "5/h"
    for n in range(5):
        client.post(LOGIN, {"username": f"someone{n}", "password": "guess"})
    response = client.post(LOGIN, {"username": "caremanager", "password": PASSWORD})
    assert response.status_code == 429
    assert "この場所からのログインの失敗が多すぎる" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/staff/", "/resources/", "/admin/"])
def test_pages_for_staff_are_never_stored(client, city_staff, public_salon, path):
    client.force_login(city_staff)
    response = client.get(path)
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "public" not in cache_control
    detail = client.get(f"/resources/{public_salon.pk}/")
    assert "鍵は管理人室" in detail.content.decode()  # 内部メモ on the page
    assert "no-store" in detail["Cache-Control"]


def test_public_pages_for_visitors_stay_cacheable(client, public_salon):
    response = client.get(f"/resources/{public_salon.pk}/")
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/resources/", "/areas/27127/", "/healthz"])
def test_head_works_on_public_pages(client, areas, public_salon, path):
    response = client.head(path)
    assert response.status_code == 200, path


def test_the_error_pages_are_japanese(client, db, settings):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()
    for code in ("400", "403", "500"):
        from django.template.loader import get_template

        html = get_template(f"{code}.html").render({})
        assert "<html" in html and "ホームへ戻る" in html, code


def test_an_activity_of_100000_characters_is_refused_in_japanese(client, profiles, kita1):
    client.force_login(profiles["kita1"].user)
    response = client.post("/staff/activities/new/", form_data(kita1, heard="あ" * 100_000))
    assert response.status_code == 200
    assert "文字以下" in response.content.decode()
    assert not Activity.objects.filter(heard__startswith="あああ").exists()


def test_check_deploy_is_clean_with_the_readme_production_settings():
    # Only what a production host sets (the test run's own variables left out).
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        ALLOWED_HOSTS="portal.city.example.jp",
        CSRF_TRUSTED_ORIGINS="https://portal.city.example.jp",
        SECURE="1",
        STATIC_MANIFEST="1",
        DEMO_MODE="0",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
