"""Unmet demand: what residents searched for and did not find (resources/demand.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Area


class UnmetSearch(models.Model):
    """A word residents searched with that found nothing, or that was dropped so
    that the search found something, counted per area and ISO week.

    Nothing identifies who searched: no address, user or cookie is kept. The
    analysis pages (地域分析) read these counts; resources/demand.py writes them.
    """

    word = models.CharField(_("検索語"), max_length=100)
    area = models.ForeignKey(
        Area, verbose_name=_("区域"), on_delete=models.CASCADE, null=True, blank=True
    )
    week = models.DateField(_("週（月曜日）"))
    count = models.PositiveIntegerField(_("回数"), default=0)

    class Meta:
        verbose_name = _("見つからなかった検索")
        verbose_name_plural = _("見つからなかった検索")
        indexes = [models.Index(fields=["week", "area"])]
        constraints = [
            models.UniqueConstraint(fields=["word", "area", "week"], name="unmet_search_once")
        ]

    def __str__(self) -> str:
        return f"{self.word} ({self.week:%Y-%m-%d}) ×{self.count}"
