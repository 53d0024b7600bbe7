from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal import weekdays
from portal.models import LAT_VALIDATORS, LNG_VALIDATORS, Area
from portal.text import search_key
from resources.fields import BigramVectorField

# The weekday vocabulary is the kernel's (portal/weekdays.py). resources/exporting.py
# still reads these two names from here.
WEEKDAY_CODES = weekdays.CODES
weekday_bit = weekdays.bit


class TimeOfDay(models.IntegerChoices):
    """Bits of Resource.schedule_times."""

    MORNING = 1, _("午前")
    AFTERNOON = 2, _("午後")
    EVENING = 4, _("夜")


def schedule_summary(rules) -> tuple[int, int]:
    """Weekday bits (MO=1 … SU=64) and TimeOfDay bits that a set of rules covers.

    A rule by date (毎月15日) has no fixed weekday; an irregular one has neither.
    """
    days = times = 0
    for rule in rules:
        if rule.kind in (ScheduleRule.Kind.WEEKLY, ScheduleRule.Kind.MONTHLY_NTH):
            for code in rule.weekday_list:
                if code in weekdays.CODES:
                    days |= weekdays.bit(code)
        if rule.opens_at:
            opens = rule.opens_at.hour * 60 + rule.opens_at.minute
            closes = rule.closes_at.hour * 60 + rule.closes_at.minute if rule.closes_at else opens
            if opens < 12 * 60:
                times |= TimeOfDay.MORNING
            if opens < 17 * 60 and max(closes, opens) >= 12 * 60:
                times |= TimeOfDay.AFTERNOON
            if closes > 18 * 60 or opens >= 17 * 60:
                times |= TimeOfDay.EVENING
    return days, times


class ReferenceItem(models.Model):
    """A city-editable list entry with a stable code (used in URLs and imports)."""

    code = models.SlugField(_("コード"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Category(ReferenceItem):
    """A category of the city reports (seed 000): 運動, 交流, 買い物 …"""

    class Group(models.TextChoices):
        PREVENTION = "prevention", _("介護予防の取組み")
        LIFE_SUPPORT = "life_support", _("生活支援サービス")

    group = models.CharField(_("区分"), max_length=20, choices=Group.choices)
    color = models.CharField(
        _("地図の色"), max_length=7, default="#1f5fa8", help_text=_("#RRGGBB 形式")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("カテゴリ")
        verbose_name_plural = _("カテゴリ")


class Target(ReferenceItem):
    """Who a resource is for: どなたでも, 65歳以上, 要支援, 認知症の方と家族 …"""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("対象者")
        verbose_name_plural = _("対象者")


class Feature(ReferenceItem):
    """A condition people filter by: 送迎あり, バリアフリー, 予約不要 …"""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("特徴")
        verbose_name_plural = _("特徴")


class Resource(models.Model):
    """A 地域資源: a サロン, 体操教室, 生活支援サービス, 事業所 or 相談窓口.

    Written through resources/services.py (resource_create / resource_update),
    which derive the search, location and schedule columns and move the data
    version; ``save()`` itself does nothing more than Django's.
    """

    class Type(models.TextChoices):
        SALON = "salon", _("通いの場・サロン")
        EXERCISE = "exercise", _("体操教室")
        DEMENTIA_CAFE = "dementia_cafe", _("認知症カフェ")
        HOBBY = "hobby", _("趣味・学習・交流の会")
        LIFE_SUPPORT = "life_support", _("生活支援サービス")
        MEALS = "meals", _("配食サービス")
        WATCH = "watch", _("見守り")
        CARE_OFFICE = "care_office", _("介護保険事業所")
        CONSULTATION = "consultation", _("相談窓口")
        OTHER = "other", _("その他")

    class OrganiserKind(models.TextChoices):
        RESIDENTS = "residents", _("住民主体")
        NPO = "npo", _("NPO")
        SOCIAL_WELFARE = "social_welfare", _("社会福祉法人")
        COMPANY = "company", _("企業")
        SHAKYO = "shakyo", _("社会福祉協議会")
        GOVERNMENT = "government", _("行政")
        COOP = "coop", _("協同組合")
        OTHER = "other", _("その他")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("準備中・立上支援中")
        ACTIVE = "active", _("活動中")
        PAUSED = "paused", _("休止中")
        ENDED = "ended", _("終了")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("公開")
        STAFF = "staff", _("関係者限定")

    class Origin(models.TextChoices):
        NEW = "new", _("新規立ち上げ")
        EXPANDED = "expanded", _("既存資源の拡充")
        EXISTING = "existing", _("既存")

    class LocationSource(models.TextChoices):
        EXACT = "exact", _("入力した位置")
        ADDRESS_POINT = "address_point", _("町丁の代表点")
        NONE = "", _("位置なし")

    code = models.CharField(
        _("資源コード"),
        max_length=32,
        unique=True,
        blank=True,
        help_text=_("取込で同じ資源を見分ける固定のコード。空欄なら自動で付けます。"),
    )
    name = models.CharField(_("名称"), max_length=200)
    kana = models.CharField(_("よみがな"), max_length=300, blank=True)
    resource_type = models.CharField(_("種別"), max_length=20, choices=Type.choices)
    categories = models.ManyToManyField(
        Category, verbose_name=_("カテゴリ"), blank=True, related_name="resources"
    )
    description = models.TextField(_("内容"), blank=True)
    organiser = models.CharField(_("運営団体"), max_length=200, blank=True)
    organiser_kind = models.CharField(
        _("運営主体の種類"), max_length=20, choices=OrganiserKind.choices, blank=True
    )
    venue = models.CharField(_("会場"), max_length=200, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300, blank=True)
    access = models.CharField(_("交通アクセス"), max_length=300, blank=True)
    lat = models.FloatField(_("緯度"), null=True, blank=True, validators=LAT_VALIDATORS)
    lng = models.FloatField(_("経度"), null=True, blank=True, validators=LNG_VALIDATORS)
    location_source = models.CharField(
        _("位置の出どころ"), max_length=20, choices=LocationSource.choices, blank=True
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        help_text=_(
            "住所・位置から自動で決まります。手で選ぶと「区域を手で指定」になり、その区域を優先します。"
        ),
    )
    area_tier1 = models.ForeignKey(
        Area,
        verbose_name=_("第1層の区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    area_locked = models.BooleanField(
        _("区域を手で指定"),
        default=False,
        help_text=_("オンにすると、住所や位置から区域を自動で決め直しません。"),
    )
    fee_free = models.BooleanField(_("無料"), default=False)
    fee_amount = models.PositiveIntegerField(_("参加費（円）"), null=True, blank=True)
    fee_note = models.CharField(_("費用の補足"), max_length=200, blank=True)
    targets = models.ManyToManyField(
        Target, verbose_name=_("対象者"), blank=True, related_name="resources"
    )
    features = models.ManyToManyField(
        Feature, verbose_name=_("特徴"), blank=True, related_name="resources"
    )
    capacity = models.PositiveIntegerField(_("定員"), null=True, blank=True)
    how_to_join = models.CharField(_("参加方法"), max_length=300, blank=True)
    contact_name = models.CharField(_("問い合わせ先"), max_length=200, blank=True)
    contact_phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    contact_email = models.EmailField(_("メール"), blank=True)
    url = models.URLField(_("ウェブサイト"), blank=True)

    # Staff-only on every resource (portal.access.STAFF_ONLY_FIELDS).
    contact_person = models.CharField(_("担当者（関係者限定）"), max_length=100, blank=True)
    private_phone = models.CharField(_("担当者の連絡先（関係者限定）"), max_length=30, blank=True)
    internal_notes = models.TextField(_("内部メモ（関係者限定）"), blank=True)
    supporting_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("支援しているコーディネーター（関係者限定）"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supported_resources",
    )

    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    visibility = models.CharField(
        _("公開範囲"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    origin = models.CharField(
        _("区分"), max_length=10, choices=Origin.choices, default=Origin.EXISTING
    )
    origin_date = models.DateField(
        _("開始日"),
        null=True,
        blank=True,
        help_text=_("立ち上げ・拡充した日（年度の集計に使います）"),
    )
    holiday_rule = models.CharField(
        _("祝日の開催"),
        max_length=10,
        choices=[
            ("", _("種別どおり（通いの場は祝日休み）")),
            ("closed", _("祝日は休み")),
            ("open", _("祝日も開催")),
        ],
        blank=True,
        default="",
        help_text=_(
            "国民の祝日・振替休日に開催するかどうか。通いの場（サロン・体操・認知症カフェ・趣味の会）は、空欄なら祝日は休みです。"
        ),
    )
    verified_on = models.DateField(_("確認日"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("確認者（関係者限定）"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    needs_recheck = models.BooleanField(
        _("要確認"),
        default=False,
        help_text=_(
            "確認の依頼と督促に答えがなかった資源（一覧で後ろに並びます）。確認すると外れます。"
        ),
    )

    # Derived by every write (resources/services.py), for search and the filters.
    search_text = models.TextField(_("検索用テキスト"), blank=True, editable=False)
    name_text = models.CharField(_("検索用の名称"), max_length=600, blank=True, editable=False)
    search_bigrams = BigramVectorField(_("検索用の2文字索引"), blank=True, editable=False)
    schedule_days = models.PositiveSmallIntegerField(_("開催曜日"), default=0, editable=False)
    schedule_times = models.PositiveSmallIntegerField(_("開催時間帯"), default=0, editable=False)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=[
            "search_text",
            "name_text",
            "search_bigrams",
            "schedule_days",
            "schedule_times",
            "updated_at",
        ],
        m2m_fields=[categories],
    )

    class Meta:
        verbose_name = _("地域資源")
        verbose_name_plural = _("地域資源")
        ordering = ["kana", "name"]
        indexes = [
            models.Index(fields=["area_tier1", "status"]),
            models.Index(fields=["area", "status"]),
            models.Index(fields=["lat", "lng"]),
            models.Index(fields=["visibility", "status"]),
            models.Index(fields=["-updated_at"]),
            # A type named by a word (体操 = 体操教室) is OR-ed with the text match:
            # with this index PostgreSQL combines both bitmaps.
            models.Index(fields=["resource_type"]),
            # What anonymous searches read most: public, active resources in
            # 五十音 order, by fee and weekday, and by place.
            models.Index(
                fields=["needs_recheck", "kana", "name", "id"],
                condition=models.Q(visibility="public", status="active"),
                name="resource_public_kana",
            ),
            models.Index(
                fields=["fee_free", "schedule_days"],
                condition=models.Q(visibility="public", status="active"),
                name="resource_public_fee_days",
            ),
            models.Index(
                fields=["lat", "lng"],
                condition=models.Q(visibility="public", status="active"),
                name="resource_public_latlng",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True) | models.Q(lat__gte=-90, lat__lte=90),
                name="resource_lat_range",
            ),
            models.CheckConstraint(
                condition=models.Q(lng__isnull=True) | models.Q(lng__gte=-180, lng__lte=180),
                name="resource_lng_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (self.lat is None) != (self.lng is None):
            errors["lng" if self.lng is None else "lat"] = _(
                "緯度と経度は両方入力するか、両方空欄にしてください。"
            )
        if self.lat is not None and self.lng is not None and abs(self.lat) > 90 >= abs(self.lng):
            errors["lat"] = _("緯度と経度が逆になっていないか確認してください。")
        if self.fee_free and self.fee_amount:
            errors["fee_amount"] = _("無料の場合は参加費を空欄にしてください。")
        if self.area_locked and not self.area_id:
            errors["area"] = _("区域を手で指定する場合は、区域を選んでください。")
        if errors:
            raise ValidationError(errors)

    def build_search_text(self, labels: Sequence[str] = ()) -> str:
        """The indexed text: the fields, the name of the type and ``labels`` (the
        names of its categories, targets and features: resources/indexing.py) in
        search form, then their readings (resources/readings.py), so that 体操 and
        たいそう match the same resources; apart by ``|``, which is never in a
        query, so no match spans two."""
        kind = ""
        if self.resource_type and self.resource_type != self.Type.OTHER:
            with translation.override(settings.LANGUAGE_CODE):
                kind = str(self.get_resource_type_display())
        return search_document(
            [
                self.name,
                self.kana,
                self.description,
                self.organiser,
                self.venue,
                self.address,
                kind,
                *labels,
            ]
        )

    def build_name_text(self) -> str:
        """The name and its readings in search form, for the relevance order."""
        return search_document([self.name, self.kana])[:600]

    @property
    def closed_on_holidays(self) -> bool:
        """Whether the resource skips national holidays (resources/occurrences.py)."""
        if self.holiday_rule:
            return self.holiday_rule == "closed"
        return self.resource_type in GATHERING_TYPES

    @property
    def is_staff_only(self) -> bool:
        return self.visibility == self.Visibility.STAFF

    def schedule_text(self) -> str:
        """Plain Japanese: 毎週火曜 10:00〜11:30 / 第1・3水曜 13:30〜15:00."""
        return " / ".join(rule.describe() for rule in self.schedules.all())

    def location_warnings(self) -> list[str]:
        """Japanese warnings for a location far outside the resource's area."""
        from portal.geo import km_outside

        if self.lat is None or self.lng is None or not self.area or not self.area.shape:
            return []
        km = km_outside(self.area.shape, self.lat, self.lng)
        if km > settings.AREA_MISMATCH_WARNING_KM:
            return [
                _(
                    "位置が区域「%(area)s」の境界から約%(km).1fkm 離れています。住所と位置を確認してください。"
                )
                % {"area": self.area.label, "km": km}
            ]
        return []


def search_document(parts) -> str:
    from resources.readings import reading

    # Each field and each reading apart: a match never spans two of them.
    written = [p for p in parts if p]
    keys = [search_key(p) for p in written]
    spoken = [r for p, key in zip(written, keys, strict=True) if (r := reading(p)) != key]
    return READING_SEPARATOR.join(dict.fromkeys(k for k in keys + spoken if k))


READING_SEPARATOR = "|"


# 通いの場: the kinds of resource people go to on a day, closed on national
# holidays unless the resource says otherwise (Resource.holiday_rule).
GATHERING_TYPES = frozenset(
    {
        Resource.Type.SALON,
        Resource.Type.EXERCISE,
        Resource.Type.DEMENTIA_CAFE,
        Resource.Type.HOBBY,
    }
)


class ScheduleRule(models.Model):
    """When a resource meets, shaped to export as HSDS freq/byday/opens_at/closes_at."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("毎週")
        MONTHLY_NTH = "monthly_nth", _("毎月第n曜日")
        MONTHLY_DATE = "monthly_date", _("毎月の日付")
        IRREGULAR = "irregular", _("不定期")

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="schedules", verbose_name=_("地域資源")
    )
    kind = models.CharField(_("くり返し"), max_length=20, choices=Kind.choices)
    weekdays = models.CharField(
        _("曜日"), max_length=30, blank=True, help_text=_("MO,TU,WE,TH,FR,SA,SU をカンマ区切り")
    )
    weeks_of_month = models.CharField(
        _("第n週"), max_length=20, blank=True, help_text=_("第1・3なら 1,3（最終週は -1）")
    )
    day_of_month = models.PositiveSmallIntegerField(
        pgettext_lazy("day of month", "日"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    opens_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    closes_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    note = models.CharField(_("補足"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("開催日時")
        verbose_name_plural = _("開催日時")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.describe()

    @property
    def weekday_list(self) -> list[str]:
        return [code for code in self.weekdays.split(",") if code]

    @property
    def week_list(self) -> list[int]:
        return [int(n) for n in self.weeks_of_month.split(",") if n.strip()]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        unknown = [code for code in self.weekday_list if code not in weekdays.CODES]
        if unknown:
            errors["weekdays"] = _("曜日は MO,TU,WE,TH,FR,SA,SU で入力してください。")
        if self.kind in (self.Kind.WEEKLY, self.Kind.MONTHLY_NTH) and not self.weekday_list:
            errors["weekdays"] = _("曜日を選んでください。")
        if self.kind == self.Kind.MONTHLY_NTH:
            try:
                weeks = self.week_list
            except ValueError:
                weeks = []
            if not weeks or any(n not in (1, 2, 3, 4, 5, -1) for n in weeks):
                errors["weeks_of_month"] = _("第何週かを 1〜5（最終週は -1）で入力してください。")
        if self.kind == self.Kind.MONTHLY_DATE and not self.day_of_month:
            errors["day_of_month"] = _("毎月何日かを入力してください。")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("終了時刻は開始時刻より後にしてください。")
        if errors:
            raise ValidationError(errors)

    def describe(self) -> str:
        days = "・".join(str(weekdays.LABELS[c]) for c in self.weekday_list if c in weekdays.LABELS)
        if self.kind == self.Kind.WEEKLY:
            when = _("毎週%(days)s曜") % {"days": days}
        elif self.kind == self.Kind.MONTHLY_NTH:
            numbered = "・".join(str(n) for n in self.week_list if n > 0)
            weeks = "・".join(
                part
                for part in (
                    _("第%(weeks)s") % {"weeks": numbered} if numbered else "",
                    str(_("最終")) if -1 in self.week_list else "",
                )
                if part
            )
            when = _("%(weeks)s%(days)s曜") % {"weeks": weeks, "days": days}
        elif self.kind == self.Kind.MONTHLY_DATE:
            when = _("毎月%(day)s日") % {"day": self.day_of_month}
        else:
            when = str(_("不定期"))
        if self.opens_at:
            closes = self.closes_at.strftime("%H:%M") if self.closes_at else ""
            when += f" {self.opens_at:%H:%M}〜{closes}"
        if self.note:
            when += f"（{self.note}）"
        return when

    def hsds(self) -> dict:
        """This rule as HSDS 3.0 schedule fields."""
        data: dict = {"description": self.describe()}
        if self.kind == self.Kind.WEEKLY:
            data.update(freq="WEEKLY", byday=",".join(self.weekday_list))
        elif self.kind == self.Kind.MONTHLY_NTH:
            data.update(
                freq="MONTHLY",
                byday=",".join(f"{n}{c}" for n in self.week_list for c in self.weekday_list),
            )
        elif self.kind == self.Kind.MONTHLY_DATE:
            data.update(freq="MONTHLY", bymonthday=str(self.day_of_month))
        if self.opens_at:
            data["opens_at"] = self.opens_at.strftime("%H:%M")
        if self.closes_at:
            data["closes_at"] = self.closes_at.strftime("%H:%M")
        return data


class ScheduleException(models.Model):
    """A change to a resource's dates for a while: days off (「12月29日〜1月3日はお休み」)
    or a notice (「1月は会場を○○に変更」) shown until its end date.

    Days off remove the dates they cover from every output (これから, calendars,
    予定表); a notice is shown beside them from ``starts_on`` to ``ends_on`` and
    then no more (its expiry). resources/occurrences.py reads both.
    """

    class Kind(models.TextChoices):
        CLOSED = "closed", _("お休み")
        MOVED = "moved", _("時間変更")
        NOTICE = "notice", _("お知らせ")

    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        related_name="schedule_exceptions",
        verbose_name=_("地域資源"),
    )
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices, default=Kind.CLOSED)
    starts_on = models.DateField(_("開始日"))
    ends_on = models.DateField(_("終了日"), help_text=_("この日を過ぎると表示しません。"))
    text = models.CharField(
        _("内容"),
        max_length=200,
        blank=True,
        help_text=_("例: 年末年始はお休みです／1月は会場を○○集会所に変更します"),
    )
    # 時間変更: the days it covers meet at these times instead of the rule's.
    opens_at = models.TimeField(_("変更後の開始時刻"), null=True, blank=True)
    closes_at = models.TimeField(_("変更後の終了時刻"), null=True, blank=True)

    class Meta:
        verbose_name = _("休み・お知らせ")
        verbose_name_plural = _("休み・お知らせ")
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["resource", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="schedule_exception_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.describe()

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("終了日は開始日と同じか、それより後の日にしてください。")}
            )
        if self.kind == self.Kind.NOTICE and not self.text:
            raise ValidationError({"text": _("お知らせの内容を入力してください。")})
        if self.kind == self.Kind.MOVED and not self.opens_at:
            raise ValidationError({"opens_at": _("変更後の開始時刻を入力してください。")})
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("終了時刻は開始時刻より後にしてください。")})

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on

    def describe(self) -> str:
        """「12月29日〜1月3日はお休み」 / the notice's own words."""
        from resources.occurrences import month_day

        if self.starts_on == self.ends_on:
            span = month_day(self.starts_on)
        else:
            span = _("%(start)s〜%(end)s") % {
                "start": month_day(self.starts_on),
                "end": month_day(self.ends_on),
            }
        if self.kind == self.Kind.CLOSED:
            text = _("%(span)sはお休み") % {"span": span}
            return f"{text}（{self.text}）" if self.text else text
        if self.kind == self.Kind.MOVED:
            from resources.occurrences import time_span

            text = _("%(span)sは%(time)sに変更") % {
                "span": span,
                "time": time_span(self.opens_at, self.closes_at),
            }
            return f"{text}（{self.text}）" if self.text else text
        return f"{self.text}（{span}）"


# The registry's upkeep, in modules of their own (imported here so that Django
# registers them as this app's models).
from resources.models.changes import ChangeRequest, GroupLink, VerificationRequest  # noqa: E402
from resources.models.demand import UnmetSearch  # noqa: E402
from resources.models.imports import ImportProfile  # noqa: E402

__all__ = [
    "Category",
    "ChangeRequest",
    "Feature",
    "GroupLink",
    "ImportProfile",
    "ReferenceItem",
    "Resource",
    "ScheduleException",
    "ScheduleRule",
    "Target",
    "TimeOfDay",
    "UnmetSearch",
    "VerificationRequest",
]
