"""わたしのリスト: /mylist/?ids=… and its PDF — public resources only."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from resources.services import resource_update
from tests.conftest import add_schedule


def names(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(
        r'<h2 class="result__name"><a href="/resources/\d+/">([^<]+)</a>', response.content.decode()
    )


def test_the_shared_list_shows_public_resources_in_the_order_given(
    client, public_salon, minato_salon
):
    response = client.get(f"/mylist/?ids={minato_salon.pk},{public_salon.pk}")
    assert names(response) == ["築港いきいき百歳体操", "梅田ふれあいサロン"]
    body = response.content.decode()
    assert f"/mylist/?ids={minato_salon.pk},{public_salon.pk}" in body
    assert f'href="/mylist/print.pdf?ids={minato_salon.pk},{public_salon.pk}"' in body
    assert "https://social-plugins.line.me/lineit/share?url=" in body
    assert "mailto:?subject=" in body


def test_staff_only_and_missing_ids_are_silently_left_out(
    client, public_salon, staff_only_cafe, care_manager
):
    url = f"/mylist/?ids={staff_only_cafe.pk},999999,abc,{public_salon.pk},{public_salon.pk}"
    for user in (None, care_manager):
        if user:
            client.force_login(user)
        response = client.get(url)
        assert names(response) == ["梅田ふれあいサロン"]
        body = response.content.decode()
        for secret in (
            "非公開の準備中カフェ",
            "山田 花子",
            "090-1111-2222",
            "鍵は管理人室",
            "佐藤 次郎",
        ):
            assert secret not in body
        assert f'/mylist/?ids={public_salon.pk}"' in body  # the link shares only what it shows


def test_five_thousand_ids_answer_clearly(client, public_salon):
    ids = ",".join([str(public_salon.pk)] + [str(n) for n in range(100000, 105000)])
    response = client.get(f"/mylist/?ids={ids}")
    assert names(response) == ["梅田ふれあいサロン"]
    assert (
        "リストに入れられるのは200件までです。はじめの200件を表示しています。"
        in response.content.decode()
    )


def test_an_empty_list_says_how_to_fill_it(client, db):
    body = client.get("/mylist/").content.decode()
    assert "リストはまだ空です。" in body
    assert (
        "このリンクのリストには、表示できる地域資源がありません。"
        in client.get("/mylist/?ids=5,6").content.decode()
    )


def test_the_buttons_are_hidden_without_javascript(client, public_salon):
    detail = client.get(f"/resources/{public_salon.pk}/").content.decode()
    assert re.search(
        rf'<button type="button" class="button mylist-toggle" data-mylist-id="{public_salon.pk}"[^>]* hidden>',
        detail,
    )
    search = client.get("/resources/").content.decode()
    assert f'class="button mylist-toggle" data-mylist-id="{public_salon.pk}"' in search
    assert "<script>" not in detail  # no inline script
    assert 'src="/static/js/mylist.js"' in detail


def test_staff_only_resources_offer_no_list_button(client, staff_only_cafe, care_manager):
    client.force_login(care_manager)
    body = client.get(f"/resources/{staff_only_cafe.pk}/").content.decode()
    assert "mylist-toggle" not in body


def test_the_printed_list_has_each_resource_with_its_next_dates(
    client, public_salon, minato_salon, staff_only_cafe, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 4, 1))
    add_schedule(resource=public_salon, kind="weekly", weekdays="WE", opens_at=dt.time(10))
    resource_update(resource=public_salon, contact_phone="06-1234-5678")
    response = client.get(
        f"/mylist/print.pdf?ids={public_salon.pk},{staff_only_cafe.pk},{minato_salon.pk}"
    )
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join("".join(page.extract_text() for page in reader.pages).split())
    assert "梅田ふれあいサロン" in text and "築港いきいき百歳体操" in text
    assert "非公開の準備中カフェ" not in text
    assert "4月1日（水）10:00〜、4月8日（水）10:00〜" in text
    assert "06-1234-5678" in text
    assert len(reader.pages) == 1  # two resources: two half pages


@pytest.mark.skipif(not shutil.which("zbarimg") or not shutil.which("pdftoppm"), reason="zbar")
def test_the_printed_list_qr_codes_lead_to_the_pages(
    client, public_salon, minato_salon, settings, tmp_path
):
    settings.SITE_URL = "https://portal.example.jp"
    response = client.get(f"/mylist/print.pdf?ids={public_salon.pk},{minato_salon.pk}")
    (tmp_path / "list.pdf").write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(tmp_path / "list.pdf"), str(tmp_path / "p")],
        check=True,
    )
    found = set()
    for image in tmp_path.glob("p*.png"):
        out = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True)
        found |= set(out.stdout.split())
    assert f"https://portal.example.jp/resources/{public_salon.pk}/" in found
    assert f"https://portal.example.jp/resources/{minato_salon.pk}/" in found
    assert f"https://portal.example.jp/mylist/?ids={public_salon.pk},{minato_salon.pk}" in found
