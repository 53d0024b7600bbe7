"""manage.py print_booklet and the staff page /staff/booklet/."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import make_resource
from tests.resources.test_print_pdf import pdf_pages_text, pdf_reader


@pytest.fixture
def city(areas, public_salon, staff_only_cafe, minato_salon):
    return areas


def run(*args) -> str:
    out = StringIO()
    call_command("print_booklet", *args, stdout=out)
    return out.getvalue()


def test_the_whole_city_gives_one_pdf_per_ward_with_progress(city, tmp_path):
    output = run("-o", str(tmp_path / "booklet"))
    files = sorted(p.name for p in (tmp_path / "booklet").iterdir())
    assert files == ["27107_港区.pdf", "27127_北区.pdf"]
    assert "[1/2] 港区（27107）: 1件" in output
    assert "[2/2] 北区（27127）: 1件" in output
    assert "2区域・2件" in output
    kita = (tmp_path / "booklet" / "27127_北区.pdf").read_bytes()
    pages = pdf_pages_text(kita)
    assert "北区 地域資源マップ" in pages[0]
    assert "梅田ふれあいサロン" in "\n".join(pages)
    # For residents by default: no staff-only resource or field.
    assert "非公開の準備中カフェ" not in "\n".join(pages)
    assert "山田 花子" not in "\n".join(pages)


def test_one_area_to_one_file(city, tmp_path):
    target = tmp_path / "kita1.pdf"
    output = run("--area", "27127-1", "-o", str(target))
    assert target.exists() and "[1/1]" in output
    assert "北区 第1圏域 地域資源マップ" in pdf_pages_text(target.read_bytes())[0]


def test_tier_all_adds_the_tier_2_areas(city, tmp_path):
    run("--tier", "all", "-o", str(tmp_path))
    assert len(list(tmp_path.glob("*.pdf"))) == 5


def test_the_staff_booklet_has_staff_data_on_every_page(city, tmp_path):
    run("--area", "27127", "--staff", "-o", str(tmp_path / "staff.pdf"))
    pages = pdf_pages_text((tmp_path / "staff.pdf").read_bytes())
    assert "非公開の準備中カフェ" in "\n".join(pages) and "山田 花子" in "\n".join(pages)
    assert all("関係者限定" in page for page in pages)


def test_the_command_has_no_row_limit(city, tmp_path, settings):
    settings.PRINT_MAX_ROWS = 1
    for n in range(3):
        make_resource(name=f"追加の会{n}", area=city["kita1"], lat=34.70 + n / 1000, lng=135.49)
    run("--area", "27127", "-o", str(tmp_path / "kita.pdf"))
    text = "\n".join(pdf_pages_text((tmp_path / "kita.pdf").read_bytes()))
    assert "追加の会2" in text and "print_booklet" not in text


def test_an_unknown_area_is_an_error(city, tmp_path):
    with pytest.raises(CommandError, match="99999"):
        run("--area", "99999", "-o", str(tmp_path))


def test_the_staff_page_needs_a_staff_login(client, city, care_manager):
    response = client.get("/staff/booklet/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(care_manager)
    response = client.get("/staff/booklet/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/areas/27127/map.pdf?public=1"' in body
    assert 'href="/areas/27127-1/map.pdf?staff=1"' in body
    assert "print_booklet" in body


def test_the_staff_page_is_404_for_a_plain_user(client, city, django_user_model):
    user = django_user_model.objects.create_user(username="plain", password="x-1234-abcd")
    client.force_login(user)
    assert client.get("/staff/booklet/").status_code == 404


def test_the_staff_page_sends_big_areas_to_the_command(client, city, city_staff, settings):
    settings.PRINT_MAX_ROWS = 0
    client.force_login(city_staff)
    body = client.get("/staff/booklet/").content.decode()
    assert "print_booklet --area 27127 -o 27127.pdf" in body


def test_the_staff_home_links_to_the_booklet(client, city, city_staff):
    client.force_login(city_staff)
    assert 'href="/staff/booklet/"' in client.get("/staff/").content.decode()


def test_the_area_page_links_to_its_map(client, city):
    body = client.get("/areas/27127/").content.decode()
    assert 'href="/areas/27127/map.pdf"' in body
    assert "この区域の地域資源マップ（PDF）" in body


def test_booklet_pdfs_are_valid(city, tmp_path):
    run("--area", "27107", "-o", str(tmp_path / "minato.pdf"))
    assert len(pdf_reader((tmp_path / "minato.pdf").read_bytes()).pages) == 2
