"""What a visitor can make the server do is bounded (issue 12, item 8)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

LIST_URL = "/api/hsds/services"


def test_hsds_pages_are_capped(client, public_salon):
    assert client.get(LIST_URL, {"per_page": 500}).status_code == 400
    assert client.get(LIST_URL, {"per_page": 100}).status_code == 200


def test_a_repeated_hsds_page_comes_from_the_cache(client, public_salon):
    first = client.get(LIST_URL, {"per_page": 100})
    with CaptureQueriesContext(connection) as queries:
        again = client.get(LIST_URL, {"per_page": 100})
    assert again.content == first.content
    assert len(queries) <= 2  # the data version, no search


def test_a_repeated_pdf_comes_from_the_cache_with_its_name(client, public_salon):
    url = f"/resources/{public_salon.pk}/sheet.pdf"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.content == first.content and again.content.startswith(b"%PDF")
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert len(queries) <= 2


def test_one_address_asking_for_many_different_pdfs_is_slowed(client, settings, public_salon):
    settings.PUBLIC_PDF_RATE = "3/m"
    url = f"/resources/{public_salon.pk}/sheet.pdf"
    answers = [client.get(url, {"large": str(n)}).status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get(url, {"large": "9"})
    assert "しばらくお待ちください" in refused.content.decode()
    # A page already kept is still served.
    assert client.get(url, {"large": "0"}).status_code == 200


def test_staff_are_not_slowed(client, settings, public_salon, care_manager):
    settings.PUBLIC_PDF_RATE = "1/m"
    client.force_login(care_manager)
    url = f"/resources/{public_salon.pk}/sheet.pdf"
    assert [client.get(url, {"large": str(n)}).status_code for n in range(3)] == [200] * 3


def test_one_address_asking_for_many_hsds_pages_is_slowed(client, settings, public_salon):
    settings.PUBLIC_API_RATE = "2/m"
    answers = [client.get(LIST_URL, {"page": n}).status_code for n in (1, 2, 3)]
    assert answers[:2] != [429, 429] and answers[2] == 429
