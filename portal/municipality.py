"""The city this deployment serves, read in one place.

Its name, prefecture, local-government code, map centre and zoom, the wording
of the 事業 and whether it has wards live in the database (``Municipality``,
one row, edited in the admin and filled by ``manage.py setup_city``); the
environment (``CITY_NAME``, ``PREFECTURE_NAME``, ``LOCAL_GOVERNMENT_CODE``,
``MAP_CENTER_LAT``/``MAP_CENTER_LNG``, ``CITY_HAS_WARDS``) is the first default of each field left
blank. Whether the 地域分析 has a public summary page is the city's choice
alone (``public_analysis``, off unless turned on). ``city()`` is kept in each process under the data version
(portal/cache.py), so an edit shows on the next page in every process.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.cache import data_changed, versioned_value

DEFAULT_ZOOM = 12


@dataclass(frozen=True)
class City:
    name: str
    name_en: str
    prefecture: str
    code: str  # 全国地方公共団体コード, 6 digits with the check digit ("" when unknown)
    center_lat: float
    center_lng: float
    zoom: int
    program: str  # the 事業 as the city names it; "" for the translated default
    has_wards: bool
    public_analysis: bool = False  # the public summary of 地域分析 at /analysis/

    @property
    def display_name(self) -> str:
        """The name in the language of the page."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def program_name(self) -> str:
        return self.program or _("生活支援体制整備事業")


def check_digit(code5: str) -> str:
    """The check digit of a 5-digit 全国地方公共団体コード (総務省の方式)."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def code_with_check_digit(code: str) -> str:
    """11203 → 112038; a 6-digit code is returned as given; anything else as ""."""
    code = (code or "").strip()
    if len(code) == 5 and code.isdigit():
        return code + check_digit(code)
    return code if len(code) == 6 and code.isdigit() else ""


@versioned_value
def city() -> City:
    """The city's settings as of the current data version."""
    from portal.models import Municipality

    row = Municipality.objects.filter(pk=1).first() or Municipality()
    lat, lng = settings.MAP_CENTER
    has_wards = row.has_wards
    if has_wards is None:
        has_wards = getattr(settings, "CITY_HAS_WARDS", True)
    name = row.name or settings.CITY_NAME
    # The English name of the environment belongs to the city of the environment.
    name_en = row.name_en or (settings.CITY_NAME_EN if name == settings.CITY_NAME else "")
    return City(
        name=name,
        name_en=name_en,
        prefecture=row.prefecture or getattr(settings, "PREFECTURE_NAME", ""),
        code=row.code or getattr(settings, "LOCAL_GOVERNMENT_CODE", ""),
        center_lat=row.center_lat if row.center_lat is not None else lat,
        center_lng=row.center_lng if row.center_lng is not None else lng,
        zoom=row.zoom or settings.LEAFLET_CONFIG.get("DEFAULT_ZOOM", DEFAULT_ZOOM),
        program=row.program_name,
        has_wards=has_wards,
        public_analysis=row.public_analysis,
    )


def municipality_save(**fields) -> None:
    """Write the city's settings (the one row) and move the data version."""
    from portal.models import Municipality

    row = Municipality.objects.filter(pk=1).first() or Municipality(pk=1)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    data_changed()
