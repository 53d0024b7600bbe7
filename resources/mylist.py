"""わたしのリスト: a few resources a resident keeps, without an account.

The list lives in the browser (localStorage, static/js/mylist.js); the server
keeps nothing about who listed what. A list travels as a link,
``/mylist/?ids=12,34``, which opens the same list on another phone, and prints
as ``/mylist/print.pdf?ids=…`` (each resource on a half page, with its next
dates and a QR code to its page).

A shared link is public: it shows public resources and public fields only,
whoever opens it, and leaves out ids that do not exist or are staff-only
without saying which (so a link never tells whether a staff-only id exists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.municipality import city
from portal.pdf import html_to_pdf, pdf_response
from portal.qr import absolute_url, qr_svg
from portal.roles import Reader
from portal.wareki import format_both
from resources.models import Resource
from resources.occurrences import Occurrence, next_dates, notices, schedules_for
from resources.presenter import ResourceView, resource_fields

MAX_IDS = 200
NEXT_DATES = 5
_ID = re.compile(r"^\d{1,10}$")


def parse_ids(raw: str) -> tuple[list[int], bool]:
    """The ids of ``?ids=`` in their order, once each, and whether more than
    MAX_IDS were given (the rest are dropped). Anything not a number is skipped."""
    ids: list[int] = []
    seen: set[int] = set()
    over = False
    for part in (raw or "").replace("、", ",").split(","):
        part = part.strip()
        if not _ID.match(part):
            continue
        number = int(part)
        if number in seen:
            continue
        if len(ids) == MAX_IDS:
            over = True
            break
        seen.add(number)
        ids.append(number)
    return ids, over


@dataclass
class Item:
    resource: ResourceView
    dates: list[Occurrence]
    notices: list


def list_items(ids: list[int]) -> list[Item]:
    """The public resources among ``ids``, in the order given, as public views."""
    found = {
        r.pk: r
        for r in Resource.objects.filter(pk__in=ids, visibility=Resource.Visibility.PUBLIC)
        .select_related("area", "area__parent")
        .prefetch_related("categories", "schedules")
    }
    resources = [found[i] for i in ids if i in found]
    schedules = schedules_for(resources)
    today = timezone.localdate()
    horizon = today.replace(year=today.year + 1)
    return [
        Item(
            resource_fields(r, Reader.PUBLIC),
            next_dates(schedules[r.pk], today, count=NEXT_DATES),
            notices(schedules[r.pk], today, horizon),
        )
        for r in resources
    ]


def _share(ids: list[int]) -> dict:
    joined = ",".join(str(i) for i in ids)
    path = reverse("mylist:list") + (f"?ids={joined}" if ids else "")
    url = absolute_url(path)
    title = _("わたしのリスト（%(city)s 地域資源ポータル）") % {"city": city().display_name}
    return {
        "ids": joined,
        "share_url": url,
        "share_title": title,
        "line_url": "https://social-plugins.line.me/lineit/share?url=" + quote(url, safe=""),
        "mail_url": f"mailto:?subject={quote(title)}&body={quote(url, safe='')}",
        "print_url": reverse("mylist:print") + (f"?ids={joined}" if ids else ""),
    }


@require_GET
def mylist(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("ids", "")
    ids, over = parse_ids(raw)
    items = list_items(ids)
    shown = [item.resource["pk"] for item in items]
    context = {
        "items": items,
        "given": bool(raw.strip()),
        "over": over,
        "max_ids": MAX_IDS,
        **_share(shown),
    }
    return render(request, "resources/mylist.html", context)


@require_GET
def mylist_pdf(request: HttpRequest) -> HttpResponse:
    ids, over = parse_ids(request.GET.get("ids", ""))
    items = list_items(ids)
    today = timezone.localdate()
    share = _share([item.resource["pk"] for item in items])
    context = {
        "title": _("わたしのリスト"),
        "kind": _("わたしのリスト"),
        "printed_on": format_both(today),
        "city_name": city().display_name,
        "program_name": city().program_name,
        "items": [(item, qr_svg(item.resource["detail_url"], size_mm=24)) for item in items],
        "over": over,
        "max_ids": MAX_IDS,
        "list_qr": qr_svg(share["share_url"], size_mm=20) if items else "",
        **share,
    }
    pdf = html_to_pdf(render_to_string("resources/print_mylist.html", context, request=request))
    response = pdf_response(pdf, "わたしのリスト.pdf", fallback="my-list.pdf")
    patch_cache_control(response, private=True, max_age=0)
    return response
