"""Fixtures for the councils tests; named users and areas live in tests/conftest.py.

Councils: 北区's tier-1 council, 北区 第1圏域's and 港区 第1圏域's tier-2 ones,
each with a meeting.
"""

from __future__ import annotations

from datetime import date

import pytest

from councils.models import Council, CouncilMember, Meeting
from portal.access import GROUP_COORDINATOR
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kita2_coordinator(kita2):
    return make_user("kita2_coord", GROUP_COORDINATOR, [kita2], is_staff=True)


@pytest.fixture
def councils(areas):
    kita = Council.objects.create(
        tier=1,
        area=areas["kita"],
        name="北区生活支援体制推進会議",
        established_on=date(2017, 11, 1),
    )
    kita1 = Council.objects.create(
        tier=2,
        area=areas["kita1"],
        name="北区第1圏域 支え合い会議",
        established_on=date(2019, 6, 1),
    )
    kita2 = Council.objects.create(
        tier=2,
        area=areas["kita2"],
        name="北区第2圏域 支え合い会議",
        established_on=date(2019, 6, 1),
    )
    minato1 = Council.objects.create(
        tier=2, area=areas["minato1"], name="港区第1圏域 協議体", established_on=date(2020, 1, 1)
    )
    for council in (kita, kita1, kita2, minato1):
        CouncilMember.objects.create(
            council=council, name=f"{council.area.name}の民生委員", sector="commissioner"
        )
    return {"kita": kita, "kita1": kita1, "kita2": kita2, "minato1": minato1}


@pytest.fixture
def meetings(councils):
    return {
        name: Meeting.objects.create(
            council=council, date=date(2025, 6, 10), minutes=f"{council.name}の議事録"
        )
        for name, council in councils.items()
    }
