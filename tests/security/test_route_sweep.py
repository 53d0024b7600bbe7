"""The proof of the visibility invariant: every URL pattern × every role.

Every pattern the resolver knows is requested (GET) as an anonymous visitor, a
logged-in user with no role, a care manager, a tier-2 coordinator of 北区第1圏域,
the tier-1 coordinator of 港区 and city staff, with canary values in every free
text field of staff-only and public resources (by field tier), other areas'
activities, councils, meetings, 地域課題, attachments and jobs. Each response is
decoded (HTML with its json_script data, JSON, GeoJSON, PDF text, CSV, XLSX,
iCal) and searched for the canaries the role may not read; an object the role
may not read answers 404 (a login redirect for visitors who are not logged in).

A pattern whose parameters the sweep cannot fill, and which is not in
``EXEMPT`` with a reason, fails the test: a new route is covered, or said why
not, by whoever adds it. Parameter values come from the canary objects, by the
kwarg's name and the path segment before it (``activities/<pk>`` → activities).
"""

from __future__ import annotations

import itertools
import re
import time
from datetime import date, timedelta
from datetime import time as clock

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.utils import timezone

from coordinators.models import Affiliation, Coordinator
from coordinators.services import activity_log
from councils.models import Council, CouncilMember, Meeting, MeetingAttachment, RegionalIssue
from portal.models import Job
from portal.municipality import municipality_save
from portal.roles import GROUP_CARE_MANAGER, GROUP_CITY_STAFF, GROUP_COORDINATOR
from resources.models import Resource, ScheduleException
from resources.policy import FIELD_TIERS
from resources.services import schedule_exception_save
from tests.conftest import add_schedule, make_resource, make_user
from tests.security.sweep import Route, all_routes, body_of, decoded

pytestmark = pytest.mark.slow

ROLES = ("anonymous", "no_role", "care_manager", "kita1_coord", "minato_coord", "city")
EVERYONE = frozenset(ROLES)
RELATED = frozenset({"care_manager", "kita1_coord", "minato_coord", "city"})
IN_CHARGE = frozenset({"kita1_coord", "minato_coord", "city"})
CITY = frozenset({"city"})
KITA1 = frozenset({"kita1_coord", "city"})
MINATO = frozenset({"minato_coord", "city"})

# A <script> with neither src nor a JSON type: code the CSP would block.
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>\s*\S")

# Who reads the fields above the public tier, as README "Roles and visibility"
# promises: stated here, not read from the policy, so that a change of the
# policy that lets a field out fails the sweep.
EXPECTED_FIELD_READERS = {
    "contact_person": RELATED,
    "private_phone": RELATED,
    "internal_notes": IN_CHARGE,
    "supporting_coordinator": IN_CHARGE,
    "verified_by": IN_CHARGE,
}

# Patterns not swept, each with its reason. Keep this short.
EXEMPT = {
    "admin/r/<path:content_type_id>/<path:object_id>/": "the admin's redirect to a "
    "page's public URL (get_absolute_url), swept as that page",
}

# Leaks the sweep found in code merged from main at the end of issue 12, left
# to their owners: each (role, path prefix, canary's field prefix). Remove the
# entry with the fix; keep this empty.
KNOWN_OPEN = {}


def _known_open(role: str, url: str, where: str) -> bool:
    return any(
        role == r and url.startswith(path) and where.startswith(field)
        for r, path, field in KNOWN_OPEN
    )


# Free text never holding data about a reader's area: codes, identifiers, kinds.
NOT_CANARY = {
    "code",
    "external_ref",
    "content_type",
    "exclusive_key",
    "result_name",
    "result_filename",
    "kind",
    "postal_code",
    "contact_email",
    "url",
    "username",
    "password",
    "email",
    "normalized_name",
    "name_text",
    "search_text",
    # Coded values, parsed where they are read (MO,TU; 1,3).
    "weekdays",
    "weeks_of_month",
}


class Canaries:
    """Unique tokens planted in the data, each with the roles that may read it."""

    def __init__(self) -> None:
        self.allowed: dict[str, frozenset[str]] = {}
        self.where: dict[str, str] = {}
        self._serial = itertools.count(1)

    def new(self, allowed: frozenset[str], where: str) -> str:
        token = f"cnry{next(self._serial):04d}q"
        self.allowed[token] = allowed
        self.where[token] = where
        return token

    def plant(self, obj: models.Model, allowed, *, overrides=None, skip=()) -> None:
        """A canary in every free-text field of ``obj`` (saved with ``update``,
        bypassing no rule of what may be read: only the values change)."""
        overrides = overrides or {}
        values = {}
        for f in obj._meta.concrete_fields:
            if not isinstance(f, models.CharField | models.TextField):
                continue
            if f.choices or f.name in NOT_CANARY or f.name in skip or not f.editable:
                continue
            readers = overrides.get(f.name, allowed)
            token = self.new(readers, f"{obj._meta.label}.{f.name}")
            value = f"{token} {getattr(obj, f.name) or ''}".strip()
            if f.max_length:
                value = value[: f.max_length]
            values[f.name] = value
        type(obj).objects.filter(pk=obj.pk).update(**values)


@pytest.fixture
def world(areas, settings, tmp_path):
    """The canary city: who sweeps, what they may read, what the URLs take."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # The public summary of 地域分析 (off by default) is on, so that it is swept.
    municipality_save(public_analysis=True)
    canaries = Canaries()
    users = {
        "no_role": make_user("norole"),
        "care_manager": make_user("caremanager", GROUP_CARE_MANAGER),
        "kita1_coord": make_user("kita1_coord", GROUP_COORDINATOR, [areas["kita1"]], is_staff=True),
        "minato_coord": make_user(
            "minato_coord", GROUP_COORDINATOR, [areas["minato"]], is_staff=True
        ),
        "city": make_user("city", GROUP_CITY_STAFF, is_staff=True),
    }
    helper = make_user("helper_coord", GROUP_COORDINATOR, [areas["kita2"]], is_staff=True)
    # A user shown as a resource's 支援コーディネーター and 確認者 (担当 fields).
    supporter = make_user("supporter", display_name=canaries.new(IN_CHARGE, "supporter"))
    affiliation = Affiliation.objects.create(name="北区第2地域包括支援センター")
    helper_profile = Coordinator.objects.create(
        user=helper, tier=2, affiliation=affiliation, active_from=date(2020, 4, 1)
    )

    # Resources: a public one, two staff-only ones (北区第1, 港区第1).
    field_tier = EXPECTED_FIELD_READERS
    resources = {}
    for key, visibility, area, readers in (
        ("public", Resource.Visibility.PUBLIC, areas["kita1"], EVERYONE),
        ("staff", Resource.Visibility.STAFF, areas["kita1"], RELATED),
        ("staff_minato", Resource.Visibility.STAFF, areas["minato1"], RELATED),
    ):
        # Each at a point inside its area: the write service places a resource by
        # its point unless its area is chosen by hand.
        lat, lng = (34.65, 135.43) if area == areas["minato1"] else (34.70, 135.49)
        resource = make_resource(
            name=f"資源{key}",
            visibility=visibility,
            area=area,
            lat=lat,
            lng=lng,
            supporting_coordinator=supporter,
            verified_by=supporter,
        )
        rule = add_schedule(resource=resource, kind="weekly", weekdays="TU")
        canaries.plant(
            resource,
            readers,
            overrides={n: readers & t for n, t in field_tier.items()},
        )
        canaries.plant(rule, readers)
        # A notice and a time change in force: shown wherever the resource's dates are.
        today = timezone.localdate()
        for kind in ("notice", "moved"):
            exception = schedule_exception_save(
                exception=ScheduleException(
                    resource=resource,
                    kind=kind,
                    starts_on=today,
                    ends_on=today + timedelta(days=60),
                    opens_at=clock(13),
                    text="お知らせ",
                )
            )
            canaries.plant(exception, readers)
        assert resource.area == area, f"{key} placed in {resource.area}"
        resources[key] = (resource, readers)
    assert set(FIELD_TIERS) <= set(EXPECTED_FIELD_READERS), (
        "a new staff-only field: say who may read it in EXPECTED_FIELD_READERS"
    )

    # Activities of three areas, by a coordinator of none of the sweepers.
    activities = {}
    today = timezone.localdate()
    for key, area, readers in (
        ("kita1", areas["kita1"], KITA1),
        ("kita2", areas["kita2"], CITY),
        ("minato1", areas["minato1"], MINATO),
    ):
        activity = activity_log(
            created_by=helper,
            coordinator=helper_profile,
            kind="visit",
            functions=["assessment"],
            area=area,
            date=today - timedelta(days=3),
            source="resident",
            heard="聴き取り",
            response="対応",
            is_case_example=True,
            check_area=False,
        )
        canaries.plant(activity, readers)
        activities[key] = (activity, readers)

    # Councils: names and 既存の会議体 are city-wide for every coordinator (the
    # 協議体の設置状況 report); notes, meetings, issues only for their areas.
    councils, meetings, issues, attachments = {}, {}, {}, {}
    for key, area, tier, readers in (
        ("kita", areas["kita"], 1, KITA1),
        ("kita2", areas["kita2"], 2, CITY),
        ("minato1", areas["minato1"], 2, MINATO),
    ):
        council = Council.objects.create(
            tier=tier, area=area, name=f"協議体{key}", established_on=date(2019, 6, 1)
        )
        canaries.plant(
            council,
            readers,
            overrides={
                "name": IN_CHARGE,
                "existing_body": IN_CHARGE,
                "established_by": IN_CHARGE,
                "operated_by": IN_CHARGE,
            },
        )
        member = CouncilMember.objects.create(council=council, name="委員", sector="commissioner")
        canaries.plant(member, readers)
        meeting = Meeting.objects.create(council=council, date=today - timedelta(days=5))
        canaries.plant(meeting, readers)
        issue = RegionalIssue.objects.create(meeting=meeting, area=area, theme="課題")
        canaries.plant(issue, readers)
        token = canaries.new(readers, f"attachment {key}")
        attachment = MeetingAttachment(
            meeting=meeting, original_name=f"{token}.txt", content_type="text/plain", size=20
        )
        attachment.file.save(f"{key}.txt", ContentFile(f"{token}\n".encode()), save=True)
        councils[key], meetings[key] = (council, readers), (meeting, readers)
        issues[key], attachments[key] = (issue, readers), (attachment, readers)

    # Jobs: the starter's and city staff's.
    jobs = {}
    for key, owner, readers in (
        ("city", users["city"], CITY),
        ("kita1", users["kita1_coord"], KITA1),
    ):
        job = Job.objects.create(kind="print_list", label="印刷", user=owner, params={})
        canaries.plant(job, readers)
        jobs[key] = (job, readers)

    # Corrections sent in by the public (the queue of the area's coordinators and
    # city staff), and a group's link to its own (public) listing.
    from resources.models.changes import ChangeRequest, GroupLink

    changes = []
    for key, area, readers in (
        ("kita2", areas["kita2"], CITY),
        ("minato1", areas["minato1"], MINATO),
    ):
        # 港区: a correction of its staff-only resource; 北区第2: a new one suggested.
        resource = resources["staff_minato"][0] if key == "minato1" else None
        change = ChangeRequest.objects.create(
            resource=resource,
            area=area,
            source=ChangeRequest.Source.choices[0][0],
            kind=ChangeRequest.Kind.choices[0][0],
        )
        canaries.plant(change, readers)
        changes.append((change, readers))
    link = GroupLink.objects.create(
        resource=resources["public"][0],
        token="sweep-token-0001",
        expires_on=today + timedelta(days=30),
    )
    links = [(link, EVERYONE)]

    # 確認票 kept by the daily run: one of 北区第1, one of 港区第1.
    from portal.pdf import html_to_pdf
    from resources.recheck import recheck_folder

    sheets = []
    for key, readers in (("kita1", KITA1), ("minato1", MINATO)):
        code = areas[key].code
        token = canaries.new(readers, f"確認票 {key}")
        folder = recheck_folder(today)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"確認票_{code}.pdf").write_bytes(
            html_to_pdf(f'<html lang="ja"><body><p>{token}</p></body></html>')
        )
        sheets.append((f"{today:%Y%m%d}-{code}", readers))

    objects = {
        "recheck_sheet": sheets,
        "change": changes,
        "group_link": links,
        "resource": list(resources.values()),
        "activity": list(activities.values()),
        "council": list(councils.values()),
        "meeting": list(meetings.values()),
        "issue": list(issues.values()),
        "attachment": list(attachments.values()),
        "job": list(jobs.values()),
    }
    return {"canaries": canaries, "users": users, "objects": objects, "areas": areas}


# The path segment in front of an object's pk names its kind.
SEGMENT_KINDS = {
    "resources": "resource",
    "resource-checks": "resource",
    "resource-launches": "resource",
    "activities": "activity",
    "councils": "council",
    "meetings": "meeting",
    "attachments": "attachment",
    "issues": "issue",
    "jobs": "job",
    "changes": "change",
}


def admin_model_of(route: Route):
    """The model an admin URL (``admin/<app>/<model>/...``) belongs to."""
    for model in admin.site._registry:
        if route.route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


def candidate_urls(route: Route, world) -> list[tuple[str, frozenset[str]]] | None:
    """The URLs to request for ``route`` and who may read the object each names;
    None when the sweep does not know how to fill a parameter."""
    from portal.sheets.kinds import sheet_kinds
    from reports.tables import REPORTS

    kwargs = [k for k in route.kwargs if k not in route.defaults]
    if not kwargs:
        return [(route.fill({}), EVERYONE)]
    choices: list[list[tuple[dict, frozenset[str]]]] = []
    for kwarg in kwargs:
        options: list[tuple[dict, frozenset[str]]] = []
        if kwarg in ("pk", "id", "object_id") and route.route.startswith("admin/"):
            model = admin_model_of(route)
            if model is None:
                return None
            planted = [
                (obj, readers)
                for kind_objects in world["objects"].values()
                for obj, readers in kind_objects
                if isinstance(obj, model)
            ]
            if not planted:
                first = model.objects.order_by("pk").first()
                planted = [(first, EVERYONE)] if first else []
            options = [({kwarg: obj.pk}, readers) for obj, readers in planted]
        elif kwarg in ("pk", "id"):
            kind = SEGMENT_KINDS.get(route.segment_before(kwarg))
            if kind is None:
                return None
            options = [({kwarg: obj.pk}, readers) for obj, readers in world["objects"][kind]]
        elif kwarg == "token":
            options = [
                ({kwarg: obj.token}, readers) for obj, readers in world["objects"]["group_link"]
            ]
        elif kwarg == "sheet":
            options = [
                ({kwarg: key}, readers) for key, readers in world["objects"]["recheck_sheet"]
            ]
        elif kwarg == "code":
            options = [({kwarg: world["areas"][k].code}, EVERYONE) for k in ("kita1", "minato")]
        elif kwarg == "name" and route.name.startswith("reports:"):
            options = [({kwarg: name}, EVERYONE) for name in REPORTS]
        elif kwarg == "kind":
            options = [({kwarg: k.slug}, EVERYONE) for k in sheet_kinds()]
        elif kwarg == "table" and route.name in ("analysis:profile_csv", "analysis:profile_xlsx"):
            from analysis.profile import PROFILE_TABLES

            options = [({kwarg: table}, EVERYONE) for table in PROFILE_TABLES]
        elif kwarg == "service_id":
            from resources.hsds import service_id

            options = [
                ({kwarg: service_id(r.pk)}, readers) for r, readers in world["objects"]["resource"]
            ]
        elif kwarg == "url" and route.route.startswith("admin/"):
            options = [({kwarg: "no-such-page/"}, EVERYONE)]
        elif kwarg == "app_label":
            options = [
                ({kwarg: label}, EVERYONE)
                for label in sorted({m._meta.app_label for m in admin.site._registry})
            ]
        else:
            return None
        choices.append(options)
    urls = []
    for combo in itertools.product(*choices):
        values, readers = {}, EVERYONE
        for part, part_readers in combo:
            values.update(part)
            readers = readers & part_readers
        urls.append((route.fill(values), readers))
    return urls


def query_variants(url: str) -> list[str]:
    """Each URL as it is, and asking for the most a page can give (staff fields on
    prints, JSON, every visibility). The admin's lists take field lookups as
    parameters: it is swept as it is."""
    if url.startswith("/admin/"):
        return [url]
    most = f"{url}{'&' if '?' in url else '?'}staff=1&format=json&visibility=staff&status=all"
    # A file (a print, a table) with the most in it holds all the plain one holds.
    if url.endswith((".pdf", ".csv", ".xlsx", ".ics")):
        return [most]
    return [url, most]


def test_no_route_gives_any_role_what_it_may_not_read(world):
    canaries = world["canaries"]
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, user in world["users"].items():
        client = Client(raise_request_exception=False)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        clients[role] = client

    routes = all_routes()
    unswept, leaks, not_404, errors, no_policy, inline = [], [], [], [], [], []
    swept = 0
    timings: list[tuple[float, str, str]] = []
    for route in routes:
        if route.route in EXEMPT:
            continue
        urls = candidate_urls(route, world)
        if urls is None:
            unswept.append(f"{route.route} ({route.name}): parameters {route.kwargs}")
            continue
        for (url, readers), role in itertools.product(urls, ROLES):
            for variant in query_variants(url):
                started = time.perf_counter()
                response = clients[role].get(variant)
                timings.append((time.perf_counter() - started, role, variant))
                swept += 1
                if response.status_code >= 500:
                    errors.append(f"{role} {variant}: {response.status_code}")
                    continue
                if "Content-Security-Policy" not in response:
                    no_policy.append(f"{role} {variant}")
                kind = response.get("Content-Type", "")
                if kind.startswith("text/html") and INLINE_SCRIPT.search(body_of(response)):
                    inline.append(f"{role} {variant}")
                text = decoded(response)
                for token, allowed in canaries.allowed.items():
                    if role not in allowed and token in text:
                        where = canaries.where[token]
                        if _known_open(role, variant, where):
                            continue
                        leaks.append(f"{role} {variant}: {where}")
                if role in readers:
                    continue
                if response.status_code == 405:
                    # A form's action: the object must be as missing to a POST.
                    response = clients[role].post(variant, {})
                    swept += 1
                if response.status_code != 404 and not _redirect_allowed(world, role, response):
                    not_404.append(f"{role} {variant}: {response.status_code}")
                body_of(response)
    for seconds, role, variant in sorted(timings, reverse=True)[:15]:
        print(f"{seconds:6.2f}s {role} {variant}")
    print(f"{swept} requests, {sum(t for t, _, _ in timings):.1f}s")
    assert swept > 500
    assert unswept == [], "routes neither swept nor exempt:\n" + "\n".join(unswept)
    assert errors == [], "server errors:\n" + "\n".join(errors)
    assert leaks == [], "canaries read by roles that may not:\n" + "\n".join(sorted(set(leaks)))
    assert not_404 == [], "forbidden objects not answering 404:\n" + "\n".join(not_404)
    assert no_policy == [], "responses without a CSP:\n" + "\n".join(no_policy)
    assert inline == [], "pages with an inline script (the CSP blocks it):\n" + "\n".join(inline)


def _redirect_allowed(world, role: str, response) -> bool:
    """Redirects that tell nothing: to the login page for a visitor who is not
    logged in (or not staff, in the admin), and the admin's redirect of
    ``<id>/`` to ``<id>/change/`` (which answers 404 in its turn)."""
    if response.status_code != 302:
        return False
    location = response["Location"]
    user = world["users"].get(role)
    if "login" in location and not (user and user.is_staff):
        return True
    request_path = response.wsgi_request.path
    return location.endswith("/change/") and location.startswith(request_path)


def test_the_sweep_knows_every_pattern_of_the_resolver():
    """The patterns come from the resolver: the admin's and every app's."""
    names = {r.name for r in all_routes()}
    assert {"resources:detail", "councils:meeting", "admin:index"} <= names
