"""/accounts/login/: staff log in; five wrong passwords lock the account (django-axes)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from tests.conftest import PASSWORD

LOGIN_URL = "/accounts/login/"


def log_in(client, username: str, password: str, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_login_page_is_in_japanese(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "スタッフログイン" in html
    assert "ユーザー名" in html and "パスワード" in html


def test_the_right_password_logs_in_and_goes_home(client, care_manager):
    response = log_in(client, "caremanager", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_logged_in(client)
    assert "caremanager さん（関係者）でログイン中" in client.get("/").content.decode()


def test_login_returns_to_the_page_asked_for(client, care_manager):
    response = log_in(client, "caremanager", PASSWORD, next="/resources/?q=体操")

    assert unquote(response["Location"]) == "/resources/?q=体操"


def test_login_does_not_redirect_to_another_site(client, care_manager):
    response = log_in(client, "caremanager", PASSWORD, next="https://evil.example/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_shows_a_japanese_error(client, care_manager):
    response = log_in(client, "caremanager", "wrong-password")

    assert response.status_code == 200
    assert "ユーザー名またはパスワードが正しくありません" in response.content.decode()
    assert not is_logged_in(client)


def test_an_unknown_user_gets_the_same_error_as_a_wrong_password(client, care_manager):
    response = log_in(client, "nobody", "wrong-password")

    assert "ユーザー名またはパスワードが正しくありません" in response.content.decode()


def test_four_failures_still_let_the_right_password_in(client, care_manager):
    for _ in range(4):
        log_in(client, "caremanager", "wrong-password")

    log_in(client, "caremanager", PASSWORD)

    assert is_logged_in(client)


def test_five_failures_lock_the_account_even_with_the_right_password(client, care_manager):
    for _ in range(5):
        log_in(client, "caremanager", "wrong-password")

    response = log_in(client, "caremanager", PASSWORD)

    assert "しばらくログインできません" in response.content.decode()
    assert response.status_code != 302
    assert not is_logged_in(client)


def test_the_lock_is_per_account(client, care_manager, city_staff):
    for _ in range(5):
        log_in(client, "caremanager", "wrong-password")

    log_in(client, "city", PASSWORD)

    assert is_logged_in(client)


@pytest.mark.parametrize(("role", "home"), [("care_manager", "/"), ("city_staff", "/staff/")])
def test_a_logged_in_user_visiting_login_goes_to_their_start_page(client, request, role, home):
    client.force_login(request.getfixturevalue(role))

    response = client.get(LOGIN_URL)

    assert response.status_code == 302
    assert response["Location"] == home


def test_logout_is_a_post_and_ends_the_session(client, care_manager):
    client.force_login(care_manager)

    client.post("/accounts/logout/")

    assert not is_logged_in(client)
