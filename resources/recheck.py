"""The verification cycle: every ``RESOURCE_CHECK_INTERVAL_DAYS`` each group is
asked to confirm its listing — by e-mail with its own link, or, for groups
without e-mail, on a printed 確認票 (one page per group with its current
information, a reply box and a QR code to its link). A request unanswered
``RECHECK_REMINDER_DAYS`` after it was sent gets a reminder, up to
``RECHECK_REMINDERS``; after the last one the record is marked 要確認 (it then
shows the mark on public pages and ranks below confirmed ones) until anyone
confirms it. ``manage.py send_recheck_requests`` and a daily periodic job run
``recheck_run``; a daily digest tells coordinators of new suggestions.

E-mail goes through Django's e-mail framework: the console backend by default,
SMTP by the settings README "Configuration" names.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Area, User
from portal.municipality import city
from portal.pdf import html_to_pdf
from portal.qr import absolute_url, qr_svg
from portal.roles import Reader, is_city_staff, is_in_charge
from resources.changes import group_link_current
from resources.models import ChangeRequest, Resource, VerificationRequest
from resources.policy import change_requests_for, recheck_sheet_codes, recheck_sheet_visible
from resources.presenter import resource_fields
from resources.services import resource_update


def interval_days() -> int:
    return int(getattr(settings, "RESOURCE_CHECK_INTERVAL_DAYS", 365))


def reminder_days() -> int:
    return int(getattr(settings, "RECHECK_REMINDER_DAYS", 14))


def max_reminders() -> int:
    return int(getattr(settings, "RECHECK_REMINDERS", 2))


@dataclass
class RecheckResult:
    requested: list[str] = field(default_factory=list)
    reminded: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    answered: int = 0
    mails: int = 0
    pdfs: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "依頼 %(requested)s件、督促 %(reminded)s件、要確認 %(overdue)s件、"
            "確認済み %(answered)s件、メール %(mails)s通、確認票 %(pdfs)s件"
        ) % {
            "requested": len(self.requested),
            "reminded": len(self.reminded),
            "overdue": len(self.overdue),
            "answered": self.answered,
            "mails": self.mails,
            "pdfs": len(self.pdfs),
        }


def recheck_run(
    *,
    today: date | None = None,
    area: Area | None = None,
    dry_run: bool = False,
    out_dir: Path | None = None,
) -> RecheckResult:
    """Send what is due today: new requests, reminders, and mark 要確認."""
    today = today or timezone.localdate()
    result = RecheckResult()
    resources = Resource.objects.exclude(status=Resource.Status.ENDED)
    if area is not None:
        resources = resources.filter(area__in=Area.objects.within(area))
    open_requests = VerificationRequest.objects.filter(
        answered_on__isnull=True, resource__in=resources
    ).select_related("resource", "link")
    paper: list[tuple[Resource, VerificationRequest, bool]] = []

    for request in open_requests:
        resource = request.resource
        if resource.verified_on and resource.verified_on >= request.sent_on:
            result.answered += 1
            if not dry_run:
                request.answered_on = resource.verified_on
                request.save(update_fields=["answered_on"])
            continue
        if request.overdue_on or request.last_sent_on + timedelta(days=reminder_days()) > today:
            continue
        if request.reminders < max_reminders():
            result.reminded.append(resource.name)
            if not dry_run:
                request.reminders += 1
                request.last_sent_on = today
                request.save(update_fields=["reminders", "last_sent_on"])
                result.mails += _deliver(request, paper, reminder=True)
        else:
            result.overdue.append(resource.name)
            if not dry_run:
                request.overdue_on = today
                request.save(update_fields=["overdue_on"])
                resource_update(
                    resource=resource,
                    reason=_("確認の依頼に答えがないため要確認"),
                    needs_recheck=True,
                )

    cutoff = today - timedelta(days=interval_days())
    due = (
        resources.filter(Q(verified_on__lt=cutoff) | Q(verified_on__isnull=True))
        .exclude(
            Exists(
                VerificationRequest.objects.filter(
                    resource=OuterRef("pk"), answered_on__isnull=True
                )
            )
        )
        .select_related("area")
        .order_by("area__code", "kana", "name")
    )
    for resource in due:
        result.requested.append(resource.name)
        if dry_run:
            continue
        link = group_link_current(resource=resource)
        request = VerificationRequest.objects.create(
            resource=resource,
            link=link,
            channel=(
                VerificationRequest.Channel.EMAIL
                if resource.contact_email
                else VerificationRequest.Channel.PAPER
            ),
            sent_on=today,
            last_sent_on=today,
        )
        result.mails += _deliver(request, paper, reminder=False)

    if paper and out_dir is not None and not dry_run:
        result.pdfs = recheck_sheets_write(paper, out_dir=out_dir, today=today)
    return result


def _deliver(request: VerificationRequest, paper: list, *, reminder: bool) -> int:
    """E-mail the request (1), or keep it for the 確認票 of its area (0)."""
    resource = request.resource
    if (
        request.link is None
        or request.link.revoked_at
        or request.link.expires_on < timezone.localdate()
    ):
        request.link = group_link_current(resource=resource)
        request.save(update_fields=["link"])
    if request.channel == VerificationRequest.Channel.PAPER or not resource.contact_email:
        paper.append((resource, request, reminder))
        return 0
    context = {
        "resource": resource_fields(resource, Reader.PUBLIC),
        "url": absolute_url(request.link.get_absolute_url()),
        "expires_on": request.link.expires_on,
        "reminder": reminder,
        "city_name": city().display_name,
        "program_name": city().program_name,
    }
    subject = (
        _("【再送】%(name)s の情報の確認のお願い")
        if reminder
        else _("%(name)s の情報の確認のお願い")
    ) % {"name": resource.name}
    send_mail(
        subject,
        render_to_string("resources/recheck_mail.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [resource.contact_email],
    )
    return 1


def recheck_sheets_write(paper: list, *, out_dir: Path, today: date) -> list[Path]:
    """One PDF per area (確認票_<area code>.pdf), one page per group; the number
    of pages of each goes into the folder's index.json (for the staff page). A
    second run on the same day writes beside the first (確認票_<code>.2.pdf):
    the groups of the first are not asked again, so their sheets must stay."""
    out_dir.mkdir(parents=True, exist_ok=True)
    by_area: dict[str, list] = defaultdict(list)
    for resource, request, reminder in paper:
        by_area[resource.area.code if resource.area else NO_AREA].append(
            (resource, request, reminder)
        )
    written = []
    index = _sheet_index(out_dir)
    for code, items in sorted(by_area.items()):
        html = recheck_sheets_html(items, today=today)
        run = 1
        while (out_dir / _sheet_name(code, run)).exists():
            run += 1
        path = out_dir / _sheet_name(code, run)
        path.write_bytes(html_to_pdf(html))
        written.append(path)
        index[_run_key(code, run)] = len(items)
    (out_dir / SHEET_INDEX).write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    return written


# The 確認票 kept by the daily run (and the command), listed for staff -------------

RECHECK_DIR = "recheck"
SHEET_PREFIX = "確認票_"
SHEET_INDEX = "index.json"
NO_AREA = "none"
_CODE = re.compile(r"^[0-9A-Za-z_-]{1,40}$")


def _run_key(code: str, run: int) -> str:
    """An area's sheet of the day: its code, and the run after the first (27127-1.2)."""
    return code if run == 1 else f"{code}.{run}"


def _sheet_name(code: str, run: int) -> str:
    return f"{SHEET_PREFIX}{_run_key(code, run)}.pdf"


def _parse_run_key(text: str) -> tuple[str, int] | None:
    code, _dot, run = text.partition(".")
    if not _CODE.match(code) or (run and not (run.isdigit() and int(run) > 1)):
        return None
    return code, int(run) if run else 1


@dataclass(frozen=True)
class RecheckSheet:
    """One kept 確認票 file: the day it was made, its area and how many groups."""

    day: date
    code: str
    path: Path
    pages: int | None
    area_label: str = ""
    run: int = 1  # the day's second run writes beside the first

    @property
    def key(self) -> str:
        """The file's name in its URL: 20261202-27127001 (…-27127001.2 for a second run)."""
        return f"{self.day:%Y%m%d}-{_run_key(self.code, self.run)}"

    @property
    def filename(self) -> str:
        suffix = "" if self.run == 1 else f"_{self.run}"
        return f"{SHEET_PREFIX}{self.code}_{self.day:%Y%m%d}{suffix}.pdf"


def recheck_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / RECHECK_DIR


def recheck_folder(day: date) -> Path:
    return recheck_root() / day.isoformat()


def _sheet_index(folder: Path) -> dict[str, int]:
    try:
        data = json.loads((folder / SHEET_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): int(v) for k, v in data.items() if isinstance(v, int)}


def _sheets(day: date, folder: Path) -> list[RecheckSheet]:
    index = _sheet_index(folder)
    found = []
    for path in sorted(folder.glob(f"{SHEET_PREFIX}*.pdf")):
        parsed = _parse_run_key(path.stem.removeprefix(SHEET_PREFIX))
        if parsed is not None:
            code, run = parsed
            found.append(RecheckSheet(day, code, path, index.get(_run_key(code, run)), run=run))
    return sorted(found, key=lambda s: (s.code, -s.run))


def recheck_sheets_for(user, *, limit: int = 100) -> list[RecheckSheet]:
    """The kept 確認票 ``user`` may read (resources.policy), newest first."""
    if not is_in_charge(user):
        return []
    root = recheck_root()
    days = []
    if root.is_dir():
        for folder in root.iterdir():
            try:
                days.append((date.fromisoformat(folder.name), folder))
            except ValueError:
                continue
    codes = None if is_city_staff(user) else recheck_sheet_codes(user)
    shown = []
    for day, folder in sorted(days, reverse=True):
        for sheet in _sheets(day, folder):
            if recheck_sheet_visible(user, sheet.code, codes=codes):
                shown.append(sheet)
        if len(shown) >= limit:
            break
    areas = Area.objects.filter(code__in={s.code for s in shown}).select_related("parent")
    by_code = {a.code: a.label for a in areas}
    return [
        RecheckSheet(
            s.day, s.code, s.path, s.pages, by_code.get(s.code) or _("区域なし"), run=s.run
        )
        for s in shown[:limit]
    ]


def recheck_sheet_for_user(user, key: str) -> RecheckSheet:
    """One kept 確認票 by its key, or 404 alike for a missing one and one not allowed."""
    day_text, _sep, rest = str(key).partition("-")
    try:
        day = date(int(day_text[:4]), int(day_text[4:6]), int(day_text[6:8]))
    except ValueError:
        raise Http404("確認票が見つかりません。") from None
    parsed = _parse_run_key(rest)
    if len(day_text) != 8 or parsed is None or not is_in_charge(user):
        raise Http404("確認票が見つかりません。")
    code, run = parsed
    if not recheck_sheet_visible(user, code):
        raise Http404("確認票が見つかりません。")
    for sheet in _sheets(day, recheck_folder(day)):
        if sheet.code == code and sheet.run == run and sheet.path.is_file():
            return sheet
    raise Http404("確認票が見つかりません。")


def recheck_sheets_html(items, *, today: date) -> str:
    from portal.wareki import format_both

    pages = []
    for resource, request, reminder in items:
        path = request.link.get_absolute_url()
        pages.append(
            {
                "resource": resource_fields(resource, Reader.PUBLIC),
                "url": absolute_url(path),
                "qr": qr_svg(path, size_mm=30),
                "expires_on": request.link.expires_on,
                "reminder": reminder,
                "area_label": resource.area.label if resource.area else "",
            }
        )
    return render_to_string(
        "resources/print_recheck.html",
        {
            "pages": pages,
            "title": _("地域資源の情報の確認のお願い"),
            "printed_on": format_both(today),
            "city_name": city().display_name,
            "program_name": city().program_name,
        },
    )


def recheck_periodic() -> None:
    """The daily run of the cycle; 確認票 are kept in private storage for staff."""
    today = timezone.localdate()
    recheck_run(today=today, out_dir=recheck_folder(today))


def change_digest_send(*, now=None) -> int:
    """A daily e-mail to each coordinator with new suggestions in their areas."""
    now = now or timezone.now()
    since = now - timedelta(days=1)
    sent = 0
    for user in User.objects.filter(is_active=True).exclude(email="").order_by("pk"):
        if not is_in_charge(user):
            continue
        new = change_requests_for(user).filter(
            status=ChangeRequest.Status.PENDING, created_at__gte=since, created_at__lt=now
        )
        count = new.count()
        if not count:
            continue
        body = render_to_string(
            "resources/change_digest.txt",
            {
                "count": count,
                "changes": new.select_related("resource")[:20],
                "url": absolute_url("/staff/changes/"),
                "city_name": city().display_name,
            },
        )
        send_mail(
            _("変更の知らせが%(n)s件届いています") % {"n": count},
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        sent += 1
    return sent
