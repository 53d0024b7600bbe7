"""協議体 (councils): members, meetings with their attachments, and 地域課題.

Everything here is staff-only; pages read it through ``councils.policy``
(``councils_visible_to``, ``council_for_user`` …). Attachments live outside
MEDIA_ROOT and are served only by ``councils.views.attachment``.
"""

from __future__ import annotations

import os
import uuid
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from portal.models import Area
from portal.wareki import fiscal_year_bounds

MEETING_FUTURE_LIMIT_DAYS = 180


def meeting_future_limit_days() -> int:
    return int(getattr(settings, "MEETING_FUTURE_LIMIT_DAYS", MEETING_FUTURE_LIMIT_DAYS))


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files that no URL serves: the location is read from settings on each use,
    and there is no base URL (``url()`` raises)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self) -> str:
        default = Path(settings.BASE_DIR) / "private_media"
        return str(getattr(settings, "PRIVATE_MEDIA_ROOT", default))

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:
        return None


private_storage = PrivateStorage()


def attachment_path(instance: MeetingAttachment, filename: str) -> str:
    # A random name: the original one is kept in the row and sent on download.
    suffix = Path(filename).suffix.lower()[:10]
    return f"councils/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Council(models.Model):
    """A 協議体 of one area: the ward's (第1層) or a 圏域's (第2層)."""

    class Origin(models.TextChoices):
        NEW = "new", _("新設")
        EXISTING = "existing", _("既設")

    code = models.CharField(
        _("協議体コード"),
        max_length=32,
        unique=True,
        blank=True,
        help_text=_("取込で同じ協議体を見分ける固定のコード。空欄なら自動で付けます。"),
    )
    tier = models.PositiveSmallIntegerField(_("層"), choices=Area.Tier.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="councils"
    )
    name = models.CharField(_("協議体名"), max_length=200)
    business_start_fy = models.PositiveSmallIntegerField(
        _("事業開始年度"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("西暦で入力（例: 平成29年度なら 2017）"),
    )
    business_start_note = models.CharField(
        _("事業開始の補足"), max_length=50, blank=True, help_text=_("例: 先行区、モデル区")
    )
    established_on = models.DateField(_("協議体設置日"), null=True, blank=True)
    origin = models.CharField(
        _("新設・既設"), max_length=10, choices=Origin.choices, default=Origin.NEW
    )
    existing_body = models.CharField(
        _("既存の会議体"),
        max_length=200,
        blank=True,
        help_text=_("既設の場合、協議体に位置づけた会議の名称（例: 地域ケア会議）"),
    )
    established_by = models.CharField(
        _("設置主体"), max_length=100, blank=True, help_text=_("例: 市、区")
    )
    operated_by = models.CharField(
        _("運営主体"),
        max_length=100,
        blank=True,
        help_text=_("例: 社会福祉協議会、地域包括支援センター"),
    )
    note = models.TextField(_("備考"), blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("協議体")
        verbose_name_plural = _("協議体")
        ordering = ["tier", "area__sort_order", "area__code", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        if not self.code:
            self.code = f"C{self.pk:05d}"
            type(self).objects.filter(pk=self.pk).update(code=self.code)

    def get_absolute_url(self) -> str:
        return reverse("councils:council_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.area_id and self.tier and self.area.tier != self.tier:
            errors["area"] = _(
                "協議体の層と区域の層が合っていません（第%(tier)s層の区域を選んでください）。"
            ) % {"tier": self.tier}
        if self.origin == self.Origin.EXISTING and not self.existing_body.strip():
            errors["existing_body"] = _(
                "既設の場合は、協議体に位置づけた既存の会議体の名称を入力してください。"
            )
        if errors:
            raise ValidationError(errors)


class CouncilMember(models.Model):
    """A member of a council, with the sector they come from."""

    class Sector(models.TextChoices):
        COMMISSIONER = "commissioner", _("民生委員")
        NEIGHBOURHOOD = "neighbourhood", _("町会")
        DISTRICT_SHAKYO = "district_shakyo", _("地区社協")
        SENIOR_CLUB = "senior_club", _("老人クラブ")
        CARE_PROVIDER = "care_provider", _("介護事業者")
        HOKATSU = "hokatsu", _("包括")
        NPO = "npo", _("NPO")
        RESIDENT = "resident", _("住民")
        COORDINATOR = "coordinator", _("生活支援コーディネーター")
        GOVERNMENT = "government", _("行政")
        OTHER = "other", _("その他")

    council = models.ForeignKey(
        Council, verbose_name=_("協議体"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("氏名"), max_length=100)
    sector = models.CharField(
        _("分野"),
        max_length=20,
        choices=Sector.choices,
        error_messages={"blank": _("委員の分野（民生委員、町会など）を選んでください。")},
    )
    organisation = models.CharField(_("所属団体"), max_length=200, blank=True)
    term_start = models.DateField(_("任期の始め"), null=True, blank=True)
    term_end = models.DateField(_("任期の終わり"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("委員")
        verbose_name_plural = _("委員")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("任期の終わりは始めより後にしてください。")})

    def serves_on(self, day: date) -> bool:
        return (self.term_start is None or self.term_start <= day) and (
            self.term_end is None or day <= self.term_end
        )


class MeetingQuerySet(models.QuerySet):
    def held(self) -> MeetingQuerySet:
        """Meetings that have taken place; planned ones are not counted in reports."""
        return self.filter(date__lte=timezone.localdate())

    def in_fiscal_year(self, year: int) -> MeetingQuerySet:
        return self.filter(date__range=fiscal_year_bounds(year))


class Meeting(models.Model):
    """One meeting of a council."""

    council = models.ForeignKey(
        Council, verbose_name=_("協議体"), on_delete=models.CASCADE, related_name="meetings"
    )
    date = models.DateField(_("開催日"))
    starts_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    ends_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    place = models.CharField(_("会場"), max_length=200, blank=True)
    members_present = models.ManyToManyField(
        CouncilMember, verbose_name=_("出席した委員"), blank=True, related_name="meetings"
    )
    other_attendees = models.TextField(
        _("その他の出席者"), blank=True, help_text=_("委員以外の出席者（1行に1人）")
    )
    agenda = models.TextField(_("議題"), blank=True)
    minutes = models.TextField(_("議事録・内容"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    external_ref = models.CharField(_("取込元の識別子"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会議")
        verbose_name_plural = _("会議")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["council", "date"]), models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.council}（{self.date:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("councils:meeting", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        limit = meeting_future_limit_days()
        if self.date and self.date > timezone.localdate() + timedelta(days=limit):
            errors["date"] = _("開催日は今日から%(days)s日後までの日付にしてください。") % {
                "days": limit
            }
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("終了時刻は開始時刻より後にしてください。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_planned(self) -> bool:
        return self.date > timezone.localdate()

    @property
    def other_attendee_list(self) -> list[str]:
        return [line.strip() for line in self.other_attendees.splitlines() if line.strip()]


class MeetingAttachment(models.Model):
    """A file of a meeting (資料, 議事録): size-limited, type-checked, staff-only."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会議"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("ファイル"), storage=private_storage, upload_to=attachment_path, max_length=200
    )
    original_name = models.CharField(_("ファイル名"), max_length=200)
    content_type = models.CharField(_("種類"), max_length=100)
    size = models.PositiveIntegerField(_("大きさ（バイト）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("councils:attachment", args=[self.pk])


class RegionalIssue(models.Model):
    """A 地域課題 raised at a meeting, followed until it is dealt with."""

    class Status(models.TextChoices):
        RAISED = "raised", _("提起")
        DISCUSSING = "discussing", _("検討中")
        REPORTED = "reported", _("第1層へ報告")
        RESOLVED = "resolved", _("対応済")
        CONTINUING = "continuing", _("継続")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("提起された会議"),
        on_delete=models.PROTECT,
        related_name="issues",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="regional_issues"
    )
    theme = models.CharField(_("テーマ"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    status = models.CharField(
        _("状況"), max_length=20, choices=Status.choices, default=Status.RAISED
    )
    response = models.TextField(_("対応・検討の経過"), blank=True)
    escalated_to = models.ForeignKey(
        Council,
        verbose_name=_("報告先の第1層協議体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalated_issues",
    )
    escalated_on = models.DateField(_("第1層へ報告した日"), null=True, blank=True)
    reported_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("報告した第1層の会議"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_issues",
    )
    resources = models.ManyToManyField(
        "resources.Resource",
        verbose_name=_("対応して生まれた地域資源"),
        blank=True,
        related_name="regional_issues",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("地域課題")
        verbose_name_plural = _("地域課題")
        ordering = ["-meeting__date", "-id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return self.theme

    def get_absolute_url(self) -> str:
        return reverse("councils:issue_detail", args=[self.pk])

    # 提起 → 検討中 → 第1層へ報告 → 対応済 / 継続; 継続 may be taken up again.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.RAISED: (Status.DISCUSSING, Status.REPORTED, Status.RESOLVED, Status.CONTINUING),
        Status.DISCUSSING: (Status.REPORTED, Status.RESOLVED, Status.CONTINUING),
        Status.REPORTED: (Status.RESOLVED, Status.CONTINUING),
        Status.CONTINUING: (Status.DISCUSSING, Status.REPORTED, Status.RESOLVED),
        Status.RESOLVED: (Status.CONTINUING,),
    }

    def next_statuses(self) -> list[tuple[str, str]]:
        """The statuses this issue may move to, as (value, label); 第1層へ報告 only
        through escalation (it needs the tier-1 council)."""
        labels = dict(self.Status.choices)
        return [
            (value, labels[value])
            for value in self.TRANSITIONS.get(self.status, ())
            if value != self.Status.REPORTED
        ]

    @property
    def can_escalate(self) -> bool:
        return (
            self.meeting.council.tier == Area.Tier.DISTRICT
            and self.escalated_to_id is None
            and self.Status.REPORTED in self.TRANSITIONS.get(self.status, ())
        )
