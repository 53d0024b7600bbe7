"""生活支援コーディネーター: profiles, their 所属, and the activity log.

Activity text (what was heard, the response) may hold personal information: it
is staff-only always, and every page reads it through
``coordinators.policy``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Area
from portal.wareki import fiscal_year_bounds

COUNT_MIN = 1
COUNT_MAX = 999
COUNT_MESSAGE = _("延件数は1〜999の数で入力してください。")


class Kind(models.TextChoices):
    """What the coordinator did (seed 002's rows)."""

    VISIT = "visit", _("訪問")
    CONSULTATION = "consultation", _("相談")
    MEETING = "meeting", _("会議")
    WORKSHOP = "workshop", _("ワークショップ・勉強会")
    TRAINING = "training", _("研修")
    SYMPOSIUM = "symposium", _("シンポジウム")
    EVENT = "event", _("イベント")
    OTHER = "other", _("その他")


class Function(models.TextChoices):
    """The coordinator's functions (seed 004's columns, then 001's B and C)."""

    CARERS = "carers", _("担い手の養成")
    ASSESSMENT = "assessment", _("実態把握")
    LAUNCH = "launch", _("立上支援")
    RUNNING = "running", _("運営支援")
    AWARENESS = "awareness", _("啓発")
    INDIVIDUAL = "individual", _("個別支援")
    TIER2 = "tier2", _("2層支援")
    NETWORK = "network", _("ネットワーク構築")
    MATCHING = "matching", _("マッチング")


# 2層支援 is the tier-1 coordinator's support of the tier-2 ones (004: 1層のみ).
TIER1_ONLY_FUNCTIONS = frozenset({Function.TIER2})


class Source(models.TextChoices):
    """発言元: who said what was heard."""

    RESIDENT = "resident", _("住民")
    SALON = "salon", _("サロン参加者")
    CARE_MANAGER = "care_manager", _("ケアマネジャー")
    NEIGHBOURHOOD = "neighbourhood", _("町会・自治会")
    COMMISSIONER = "commissioner", _("民生委員")
    PROVIDER = "provider", _("事業所")
    MANAGEMENT = "management", _("管理会社")
    GOVERNMENT = "government", _("行政")
    OTHER = "other", _("その他")


class Affiliation(models.Model):
    """所属: 社会福祉協議会, ○○地域包括支援センター, 高齢者支援課 …"""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    sort_order = models.PositiveIntegerField(
        _("表示順"), default=0, help_text=_("集計表の行の順（小さいほど上）")
    )

    class Meta:
        verbose_name = _("所属")
        verbose_name_plural = _("所属")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Coordinator(models.Model):
    """A user's profile as a 生活支援コーディネーター.

    The areas a coordinator serves are stored once, on the user (``User.areas``,
    read through ``portal.roles.areas_served_by``): the profile holds the tier,
    the 所属 and the period of activity.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("利用者"),
        on_delete=models.PROTECT,
        related_name="coordinator_profile",
    )
    tier = models.PositiveSmallIntegerField(_("層"), choices=Area.Tier.choices)
    affiliation = models.ForeignKey(
        Affiliation, verbose_name=_("所属"), on_delete=models.PROTECT, related_name="coordinators"
    )
    active_from = models.DateField(_("活動開始日"))
    active_until = models.DateField(_("活動終了日"), null=True, blank=True)

    class Meta:
        verbose_name = _("生活支援コーディネーター")
        verbose_name_plural = _("生活支援コーディネーター")
        ordering = ["tier", "affiliation__sort_order", "user__username"]

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        if self.active_until and self.active_from and self.active_until < self.active_from:
            raise ValidationError(
                {"active_until": _("活動終了日は活動開始日より後にしてください。")}
            )

    def is_active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_until is None or day <= self.active_until)


class ActivityQuerySet(models.QuerySet):
    def in_fiscal_year(self, year: int) -> ActivityQuerySet:
        return self.filter(date__range=fiscal_year_bounds(year))

    def in_area(self, area: Area | None) -> ActivityQuerySet:
        """Activities of an area; a tier-1 area includes its tier-2 areas."""
        if area is None:
            return self
        return self.filter(area__in=Area.objects.within(area))


class Activity(models.Model):
    """One entry of a coordinator's activity log."""

    date = models.DateField(_("日付"), default=timezone.localdate)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    count = models.PositiveIntegerField(
        _("延件数"),
        default=1,
        validators=[
            MinValueValidator(COUNT_MIN, message=COUNT_MESSAGE),
            MaxValueValidator(COUNT_MAX, message=COUNT_MESSAGE),
        ],
        help_text=_("同じ内容をまとめて記録するときの件数（訪問3件なら3）"),
    )
    area = models.ForeignKey(
        Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="activities"
    )
    resources = models.ManyToManyField(
        "resources.Resource",
        verbose_name=_("関連する地域資源"),
        blank=True,
        related_name="activities",
    )
    source = models.CharField(_("発言元"), max_length=20, choices=Source.choices, blank=True)
    source_note = models.CharField(
        _("発言元の補足"),
        max_length=100,
        blank=True,
        help_text=_("例: タワーマンションの管理人、区内の居宅介護支援事業所"),
    )
    heard = models.TextField(_("聴き取った内容"), blank=True)
    # Need tags (地域分析): what kind of help was asked for, by the categories
    # resources carry, and whether no resource answered it.
    needs = models.ManyToManyField(
        "resources.Category",
        verbose_name=_("聴き取ったニーズ"),
        blank=True,
        related_name="need_activities",
        help_text=_("聴き取った内容が求めていた支援の種類"),
    )
    no_matching_resource = models.BooleanField(
        _("該当する資源なし"),
        default=False,
        help_text=_("地域に応えられる資源が見つからなかったとき"),
    )
    response = models.TextField(_("対応"), blank=True)
    follow_up_on = models.DateField(_("次の対応日"), null=True, blank=True)
    is_case_example = models.BooleanField(
        _("主な事例として報告する"),
        default=False,
        help_text=_("年度の実績報告の「主な事例」に載せます"),
    )
    coordinator = models.ForeignKey(
        Coordinator,
        verbose_name=_("コーディネーター"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    affiliation = models.ForeignKey(
        Affiliation,
        verbose_name=_("所属"),
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("記録した時点のコーディネーターの所属（集計に使います）"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最終更新者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    external_ref = models.CharField(
        _("取込元の識別子"),
        max_length=64,
        blank=True,
        help_text=_("表計算ファイルからの取込やデモで、同じ記録を見分けるための値"),
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("活動記録")
        verbose_name_plural = _("活動記録")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["date"]),
            models.Index(fields=["area", "date"]),
            models.Index(fields=["affiliation", "date"]),
            models.Index(fields=["kind", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gte=COUNT_MIN, count__lte=COUNT_MAX),
                name="activity_count_range",
                violation_error_message=COUNT_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~models.Q(external_ref=""),
                name="activity_external_ref_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}（{self.area}）"

    def get_absolute_url(self) -> str:
        return reverse("coordinators:activity_detail", args=[self.pk])

    def clean(self) -> None:
        limit = getattr(settings, "ACTIVITY_FUTURE_LIMIT_DAYS", 0)
        if self.date and (self.date - timezone.localdate()).days > limit:
            raise ValidationError({"date": _("活動の日付に未来の日付は入力できません。")})

    @property
    def function_codes(self) -> list[str]:
        return [row.function for row in self.function_rows.all()]

    @property
    def function_labels(self) -> list[str]:
        labels = dict(Function.choices)
        codes = set(self.function_codes)
        return [str(labels[code]) for code in Function.values if code in codes]

    @property
    def source_text(self) -> str:
        """【サロン参加者から】: the way seed 002 prints a 発言元."""
        who = self.source_note or (self.get_source_display() if self.source else "")
        return _("【%(who)sから】") % {"who": who} if who else ""


class ActivityFunction(models.Model):
    """One function of an activity; an activity has one or more."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="function_rows", verbose_name=_("活動記録")
    )
    function = models.CharField(_("機能"), max_length=20, choices=Function.choices)

    class Meta:
        verbose_name = _("活動の機能")
        verbose_name_plural = _("活動の機能")
        constraints = [
            models.UniqueConstraint(fields=["activity", "function"], name="activity_function_once")
        ]
        indexes = [models.Index(fields=["function", "activity"])]

    def __str__(self) -> str:
        return self.get_function_display()
