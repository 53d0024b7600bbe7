"""The figures 地域分析 adds to what the other apps keep: the population of each
町丁 (from the 国勢調査 or the city's 地域・年齢別人口) and each resource's
participants per 年度."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import AddressPoint
from resources.models import Resource


class ChomePopulation(models.Model):
    """The population of one 町丁 as the last import read it. Areas sum their
    町丁 (AddressPoint.area): a tier-2 area its own, a tier-1 area its own and
    its tier-2 areas'."""

    address_point = models.OneToOneField(
        AddressPoint,
        verbose_name=_("町丁"),
        on_delete=models.CASCADE,
        related_name="population_figures",
    )
    total = models.PositiveIntegerField(_("人口"))
    aged_65 = models.PositiveIntegerField(_("65歳以上人口"))
    aged_75 = models.PositiveIntegerField(_("75歳以上人口"), null=True, blank=True)
    surveyed_on = models.DateField(_("調査年月日"), null=True, blank=True)
    source = models.CharField(_("出典"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("町丁別人口")
        verbose_name_plural = _("町丁別人口")

    def __str__(self) -> str:
        return f"{self.address_point} {self.total} / {self.aged_65}"


class Participation(models.Model):
    """参加者実人数 of a resource in one 年度 (the people who took part, each
    counted once), as its coordinator records it: the numerator of 参加率."""

    resource = models.ForeignKey(
        Resource,
        verbose_name=_("地域資源"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    participants = models.PositiveIntegerField(_("参加者実人数"))
    aged_65_participants = models.PositiveIntegerField(_("うち65歳以上"), null=True, blank=True)
    note = models.CharField(_("補足"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("参加者数")
        verbose_name_plural = _("参加者数")
        ordering = ["-fiscal_year", "resource"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "fiscal_year"], name="participation_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.fiscal_year}: {self.participants}"
