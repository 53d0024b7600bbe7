"""The pages in English (locale/en), Japanese by default, and a catalogue that
keeps up with the code: every string the sources mark for translation has an
English translation, none of them fuzzy (``make messages`` regenerates it)."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
from datetime import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

from portal.i18n import IGNORED
from portal.parsers import choice_lookup
from resources.models import Resource, ScheduleRule

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
COOKIE = settings.LANGUAGE_COOKIE_NAME


def _need_gettext() -> None:
    if shutil.which("msgfmt") and shutil.which("xgettext"):
        return
    if os.environ.get("CI"):
        pytest.fail("gettext is missing: CI must check the catalogues (make system-deps)")
    pytest.skip("gettext is not installed (make system-deps installs it with apt-get)")


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogues():
    """The .mo files are built, not committed: build them when missing or older than
    their .po (as ``make install`` does), and drop any catalogue already loaded."""
    mo = CATALOGUE.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < CATALOGUE.stat().st_mtime:
        _need_gettext()
        call_command("compilemessages", verbosity=0)
        translation_file_changed(None, mo)


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def salon_on_tuesdays(public_salon):
    public_salon.fee_amount = 500
    public_salon.save()
    ScheduleRule.objects.create(
        resource=public_salon,
        kind=ScheduleRule.Kind.WEEKLY,
        weekdays="TU",
        opens_at=time(10, 0),
        closes_at=time(11, 30),
    )
    return public_salon


# Japanese by default --------------------------------------------------------------


def test_a_browser_that_asks_for_nothing_gets_japanese(client, areas):
    html = page(client.get("/"))

    assert '<html lang="ja"' in html
    assert "地域の通いの場やサービスを探す" in html
    # The switch names the other language in that language.
    assert '<button type="submit" name="lang" value="en" lang="en">English</button>' in html


def test_a_language_the_portal_does_not_have_gets_japanese(client, areas):
    html = page(client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9"))

    assert '<html lang="ja"' in html and "地域の通いの場やサービスを探す" in html


# English pages ----------------------------------------------------------------------


def test_the_home_page_in_english_with_the_language_cookie(client, areas, public_salon):
    client.cookies[COOKIE] = "en"

    html = page(client.get("/"))

    assert '<html lang="en"' in html
    assert "Find community gathering places and services near you" in html
    assert "Search the community resources of Osaka City (1 listed)." in html
    assert "Staff login" in html and "スタッフログイン" not in html
    assert '<button type="submit" name="lang" value="ja" lang="ja">日本語</button>' in html
    # Data stays as entered: the ward's name is not translated.
    assert "北区" in html


def test_the_search_page_in_english_by_accept_language(client, salon_on_tuesdays):
    html = page(client.get("/resources/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8,ja;q=0.5"))

    assert '<html lang="en"' in html
    assert "Search with these conditions" in html and "この条件で探す" not in html
    assert "1 found" in html
    assert "Best match" in html and "Nearest first" in html
    assert "Every Tue 10:00〜11:30" in html
    assert "梅田ふれあいサロン" in html


def test_a_bad_search_explains_itself_in_english(client, areas):
    client.cookies[COOKIE] = "en"

    html = page(client.get("/resources/", {"area": "99999"}))

    assert "Area “99999” not found." in html


def test_a_resource_page_in_english(client, salon_on_tuesdays):
    client.cookies[COOKIE] = "en"

    html = page(client.get(salon_on_tuesdays.get_absolute_url()))

    assert "Every Tue 10:00〜11:30" in html
    assert "¥500" in html and "500円" not in html
    assert "Print a sheet about this resource (PDF)" in html
    # Staff-only fields stay out in every language.
    assert "山田 花子" not in html and "鍵は管理人室" not in html


def test_the_login_page_and_its_error_in_english(client, city_staff):
    client.cookies[COOKIE] = "en"

    html = page(client.get("/accounts/login/"))
    assert "Username" in html and "Password" in html and "Log in" in html

    failed = page(client.post("/accounts/login/", {"username": "city", "password": "wrong"}))
    assert "The username or password is incorrect." in failed


def test_a_logged_in_coordinator_reads_the_role_in_english(client, kita_coordinator):
    client.cookies[COOKIE] = "en"
    client.force_login(kita_coordinator)

    html = page(client.get("/staff/"))

    assert "(Life-support coordinator)" in html
    assert "Showing staff-only information" in html


# The switch -------------------------------------------------------------------------


def test_the_switch_sets_the_language_and_goes_back(client, areas):
    response = client.get("/settings/language/", {"lang": "en", "next": "/resources/?q=体操"})

    assert response.status_code == 302
    assert response["Location"] == "/resources/?q=%E4%BD%93%E6%93%8D"  # 体操
    assert response.cookies[COOKIE].value == "en"
    assert "Search with these conditions" in page(client.get("/resources/"))

    client.get("/settings/language/", {"lang": "ja", "next": "/"})
    assert "この条件で探す" in page(client.get("/resources/"))


def test_the_switch_ignores_unknown_languages_and_other_sites(client):
    response = client.get("/settings/language/", {"lang": "xx", "next": "https://example.com/"})

    assert response["Location"] == "/"
    assert COOKIE not in response.cookies


def test_each_language_has_its_own_cached_page(client, settings, public_salon):
    settings.SEARCH_CACHE_SECONDS = 300
    japanese = page(client.get("/resources/"))

    client.cookies[COOKIE] = "en"
    english = page(client.get("/resources/"))
    del client.cookies[COOKIE]
    again = page(client.get("/resources/"))

    assert "この条件で探す" in japanese and "Search with these conditions" in english
    assert again == japanese


# Data files stay Japanese -----------------------------------------------------------


def test_open_data_is_japanese_whatever_the_page_language(client, salon_on_tuesdays):
    client.cookies[COOKIE] = "en"

    response = client.get("/opendata/resources.csv")
    body = response.content.decode("utf-8-sig")

    assert response["Content-Language"] == "ja"
    assert "通いの場・サロン" in body and "毎週火曜" in body
    assert "Every Tue" not in body


def test_the_hsds_api_is_japanese_whatever_the_page_language(client, salon_on_tuesdays):
    response = client.get("/api/hsds/services", HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "ja"
    assert "毎週火曜" in response.content.decode()


def test_sheets_are_read_in_japanese_whatever_the_page_language():
    with translation.override("en"):
        types = choice_lookup("種別", Resource.Type.choices, {})

        assert types.get("通いの場・サロン") == Resource.Type.SALON
        assert "Community gathering place / community salon" not in types


def test_a_print_in_english_renders(client, salon_on_tuesdays):
    client.cookies[COOKIE] = "en"

    response = client.get(f"/resources/{salon_on_tuesdays.pk}/sheet.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


# The catalogue ----------------------------------------------------------------------


def _sources_copy(target: Path) -> None:
    """What makemessages reads: the sources and the catalogues, without the rest."""

    def ignored(folder: str, names: list[str]) -> list[str]:
        skip = []
        for name in names:
            path = Path(folder) / name
            if (
                any(fnmatch.fnmatch(name, pattern) for pattern in IGNORED)
                or name
                in (
                    "__pycache__",
                    "static",
                )
                or (path.is_file() and path.suffix not in (".py", ".html", ".txt", ".po"))
            ):
                skip.append(name)
        return skip

    shutil.copytree(BASE_DIR, target, ignore=ignored)


def _msgids(po: Path, *filters: str) -> list[str]:
    """The msgids msgattrib keeps with these filters (header excluded)."""
    out = subprocess.run(
        ["msgattrib", *filters, "--no-wrap", "--no-location", str(po)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [
        line.removeprefix("msgid ").strip('"')
        for line in out.splitlines()
        if line.startswith("msgid ") and line != 'msgid ""'
    ]


def test_every_string_of_the_sources_is_translated(tmp_path, settings, monkeypatch):
    """makemessages over a copy of the sources adds nothing new (untranslated) and
    changes nothing (fuzzy) in the committed catalogue. Run ``make messages`` and
    translate what it reports when this fails."""
    _need_gettext()
    copy = tmp_path / "src"
    _sources_copy(copy)
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]

    call_command("makemessages", locale=["en"], verbosity=0)

    regenerated = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    untranslated = _msgids(regenerated, "--untranslated")
    fuzzy = _msgids(regenerated, "--only-fuzzy")
    assert not untranslated, f"not translated in {CATALOGUE.name}: {untranslated}"
    assert not fuzzy, f"fuzzy (changed since translated): {fuzzy}"
    assert not list(copy.rglob("*.html.py")), "makemessages left its work files"


def test_the_committed_catalogue_is_clean():
    """No fuzzy or empty entry, and every placeholder of a msgid kept in its
    translation (msgfmt --check: a lost %(name)s would raise at render time)."""
    _need_gettext()

    subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(CATALOGUE)], check=True)
    assert not _msgids(CATALOGUE, "--untranslated")
    assert not _msgids(CATALOGUE, "--only-fuzzy")
