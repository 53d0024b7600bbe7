from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.text import normalize_address

LAT_VALIDATORS = [
    MinValueValidator(-90, message=_("緯度は -90〜90 の範囲で入力してください。")),
    MaxValueValidator(90, message=_("緯度は -90〜90 の範囲で入力してください。")),
]
LNG_VALIDATORS = [
    MinValueValidator(-180, message=_("経度は -180〜180 の範囲で入力してください。")),
    MaxValueValidator(180, message=_("経度は -180〜180 の範囲で入力してください。")),
]


class AreaQuerySet(models.QuerySet):
    def tier1(self) -> AreaQuerySet:
        return self.filter(tier=Area.Tier.CITY)

    def tier2(self) -> AreaQuerySet:
        return self.filter(tier=Area.Tier.DISTRICT)

    def within(self, *areas) -> AreaQuerySet:
        """The areas given and, for a tier-1 area, every tier-2 area inside it:
        the one rule for "an area and its children" (areas or their ids, or one
        queryset)."""
        if len(areas) == 1 and isinstance(areas[0], models.QuerySet):
            areas = areas[0]
        else:
            areas = [getattr(area, "pk", area) for area in areas]
        return self.filter(models.Q(pk__in=areas) | models.Q(parent__in=areas)).distinct()


class Area(models.Model):
    """第1層 (the city or a ward) or 第2層 (a 日常生活圏域 inside it)."""

    class Tier(models.IntegerChoices):
        CITY = 1, _("第1層")
        DISTRICT = 2, _("第2層")

    tier = models.PositiveSmallIntegerField(_("層"), choices=Tier.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("第1層の区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"tier": 1},
    )
    code = models.SlugField(
        _("区域コード"),
        max_length=32,
        unique=True,
        help_text=_("URL と取込で使う英数字のコード（例: 27127, 27127-1）"),
    )
    name = models.CharField(_("名称"), max_length=100)
    kana = models.CharField(_("よみがな"), max_length=200, blank=True)
    boundary = models.JSONField(
        _("境界（GeoJSON）"),
        null=True,
        blank=True,
        help_text=_("GeoJSON の Polygon または MultiPolygon（経度・緯度の順）"),
    )
    centroid_lat = models.FloatField(
        _("中心の緯度"), null=True, blank=True, validators=LAT_VALIDATORS
    )
    centroid_lng = models.FloatField(
        _("中心の経度"), null=True, blank=True, validators=LNG_VALIDATORS
    )
    population = models.PositiveIntegerField(_("人口"), null=True, blank=True)
    elderly_population = models.PositiveIntegerField(
        _("高齢者人口（65歳以上）"), null=True, blank=True
    )
    sort_order = models.PositiveIntegerField(_("表示順"), default=0)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["tier", "sort_order", "code"]
        indexes = [models.Index(fields=["tier", "sort_order"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.boundary and (self.centroid_lat is None or self.centroid_lng is None):
            from portal.geo import shape_of

            point = shape_of(self.boundary).representative_point()
            self.centroid_lat, self.centroid_lng = point.y, point.x
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("resources:search") + f"?area={self.code}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.tier == self.Tier.DISTRICT and not self.parent_id:
            errors["parent"] = _("第2層の区域には、属する第1層の区域を指定してください。")
        if self.tier == self.Tier.CITY and self.parent_id:
            errors["parent"] = _("第1層の区域は他の区域に属せません。")
        if self.parent_id and self.parent and self.parent.tier != self.Tier.CITY:
            errors["parent"] = _("親には第1層の区域を指定してください。")
        if self.boundary:
            from portal.geo import boundary_error

            message = boundary_error(self.boundary)
            if message:
                errors["boundary"] = message
        if errors:
            raise ValidationError(errors)

    @property
    def tier1(self) -> Area:
        return self.parent if self.tier == self.Tier.DISTRICT and self.parent else self

    @property
    def label(self) -> str:
        """Name with its tier-1 parent where that helps: 北区 第1圏域 stays as is,
        and in a city without wards the parent is the city itself, named on
        every page already (青木圏域, not 川口市 青木圏域)."""
        if self.parent and not self.name.startswith(self.parent.name):
            from portal.municipality import city

            if city().has_wards:
                return f"{self.parent.name} {self.name}"
        return self.name

    @cached_property
    def shape(self):
        from portal.geo import shape_of

        return shape_of(self.boundary) if self.boundary else None


class AddressPoint(models.Model):
    """A 町丁 with its representative point, for offline address look-up."""

    code = models.CharField(_("町丁コード"), max_length=20, unique=True)
    city = models.CharField(_("市区町村"), max_length=50)
    ward = models.CharField(_("区"), max_length=50, blank=True)
    name = models.CharField(_("町丁名"), max_length=100)
    normalized_name = models.CharField(_("正規化した町丁名"), max_length=200, db_index=True)
    lat = models.FloatField(_("緯度"), validators=LAT_VALIDATORS)
    lng = models.FloatField(_("経度"), validators=LNG_VALIDATORS)
    population = models.PositiveIntegerField(_("人口"), null=True, blank=True)
    households = models.PositiveIntegerField(_("世帯数"), null=True, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("区域"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="address_points",
    )

    class Meta:
        verbose_name = _("町丁（住所代表点）")
        verbose_name_plural = _("町丁（住所代表点）")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.ward}{self.name}"

    def save(self, *args, **kwargs) -> None:
        self.normalized_name = normalize_address(self.name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.city}{self.ward}{self.name}"


class User(AbstractUser):
    """A person who logs in. Roles come from groups; areas from an explicit link."""

    display_name = models.CharField(_("表示名"), max_length=100, blank=True)
    areas = models.ManyToManyField(
        Area,
        verbose_name=_("担当区域"),
        blank=True,
        related_name="users",
        help_text=_(
            "コーディネーターが編集できる区域。第1層を選ぶとその中の第2層もすべて含みます。"
        ),
    )

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class DataVersion(models.Model):
    """One row: the version of everything the public pages show (portal/cache.py).

    Held in the database so that it moves on in the same commit as the change,
    and is the same for every process and host, with or without a shared cache."""

    version = models.BigIntegerField(_("版"), default=0)

    class Meta:
        verbose_name = _("公開データの版")

    def __str__(self) -> str:
        return str(self.version)


class Job(models.Model):
    """A piece of work done by the worker, not in a request (portal/jobs): the
    whole-city booklet, a large print, a large import. The pages read this row;
    the task queue only carries its id."""

    class State(models.TextChoices):
        QUEUED = "queued", _("待機中")
        RUNNING = "running", _("作成中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")

    ACTIVE = (State.QUEUED, State.RUNNING)

    kind = models.CharField(_("種類"), max_length=50)
    label = models.CharField(_("内容"), max_length=200)
    user = models.ForeignKey(
        User,
        verbose_name=_("作成者"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
    )
    params = models.JSONField(_("条件"), default=dict, blank=True)
    state = models.CharField(_("状態"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("済んだ数"), default=0)
    total = models.PositiveIntegerField(_("全体の数"), default=0)
    stage = models.CharField(_("段階"), max_length=100, blank=True)
    # Each start (and retry) is a new attempt: a worker still busy with an older
    # one, or one thought dead, can no longer write to the row.
    attempt = models.PositiveSmallIntegerField(_("試行"), default=1)
    # Jobs that must not run side by side share a key (one import of a kind at a
    # time); the database refuses a second active job with the same key.
    exclusive_key = models.CharField(_("排他キー"), max_length=200, blank=True)
    result_name = models.CharField(_("結果のファイル"), max_length=200, blank=True)
    result_filename = models.CharField(_("結果のファイル名"), max_length=200, blank=True)
    result_size = models.PositiveBigIntegerField(_("結果の大きさ"), default=0)
    result_data = models.JSONField(_("結果"), default=dict, blank=True)
    error = models.TextField(_("エラー"), blank=True)
    created_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最後の応答"), null=True, blank=True)

    class Meta:
        verbose_name = _("作成ジョブ")
        verbose_name_plural = _("作成ジョブ")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "heartbeat_at"]),
            models.Index(fields=["user", "state"]),
            models.Index(fields=["finished_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["exclusive_key"],
                condition=models.Q(state__in=["queued", "running"]) & ~models.Q(exclusive_key=""),
                name="portal_job_one_active_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def has_result_file(self) -> bool:
        return self.state == self.State.DONE and bool(self.result_name)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(100 * self.done / self.total))


class PeriodicRun(models.Model):
    """One run of a periodic job for one period (portal/jobs/schedule.py): the
    unique (name, slot) makes a doubled tick enqueue it once."""

    name = models.CharField(_("名前"), max_length=100)
    slot = models.DateTimeField(_("期間の始まり"))
    state = models.CharField(
        _("状態"), max_length=10, choices=Job.State.choices, default=Job.State.QUEUED
    )
    error = models.TextField(_("エラー"), blank=True)
    created_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("定期ジョブの実行")
        verbose_name_plural = _("定期ジョブの実行")
        ordering = ["-slot", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="portal_periodic_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.slot:%Y-%m-%d %H:%M}"


class Municipality(models.Model):
    """The city this deployment serves: one row, edited in the admin and filled by
    ``manage.py setup_city``. A field left blank (or the row missing) falls back
    to the environment (``CITY_NAME``, ``PREFECTURE_NAME`` …): every reader goes
    through ``portal.municipality.city()``."""

    name = models.CharField(_("自治体名"), max_length=50, blank=True, help_text=_("例: 川口市"))
    name_en = models.CharField(
        _("自治体名（英語）"),
        max_length=100,
        blank=True,
        help_text=_("英語のページで使う名前（例: Kawaguchi City）"),
    )
    prefecture = models.CharField(
        _("都道府県名"), max_length=10, blank=True, help_text=_("例: 埼玉県")
    )
    code = models.CharField(
        _("全国地方公共団体コード"),
        max_length=6,
        blank=True,
        validators=[
            RegexValidator(
                r"^\d{6}$", _("全国地方公共団体コードは検査数字つきの6桁で入力してください。")
            )
        ],
        help_text=_("検査数字つきの6桁（例: 112038）。オープンデータと HSDS で使います。"),
    )
    center_lat = models.FloatField(
        _("地図の中心の緯度"), null=True, blank=True, validators=LAT_VALIDATORS
    )
    center_lng = models.FloatField(
        _("地図の中心の経度"), null=True, blank=True, validators=LNG_VALIDATORS
    )
    zoom = models.PositiveSmallIntegerField(
        _("地図の拡大率"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(18)],
        help_text=_("5（広域）〜18（建物）。市全体が見えるのはおよそ11〜13です。"),
    )
    program_name = models.CharField(
        _("事業の名称"),
        max_length=100,
        blank=True,
        help_text=_("ページの上下と印刷物に出す事業名。空欄では「生活支援体制整備事業」です。"),
    )
    has_wards = models.BooleanField(
        _("行政区がある"),
        null=True,
        blank=True,
        help_text=_(
            "第1層が区（大阪市の各区など）か、市そのもの（川口市・港区など）か。空欄では環境変数 CITY_HAS_WARDS（既定: 区がある）に従います。"
        ),
    )
    public_analysis = models.BooleanField(
        _("地域分析の概要を公開する"),
        default=False,
        help_text=_(
            "公開すると、/analysis/ で誰でも区域ごとの65歳以上人口、公開中の地域資源の数、"
            "徒歩圏カバー率を見られます（関係者限定の資源は数えません）。"
        ),
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("自治体の設定")
        verbose_name_plural = _("自治体の設定")

    def __str__(self) -> str:
        return self.name or str(_("自治体の設定"))
