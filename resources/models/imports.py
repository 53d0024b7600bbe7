"""Saved import mappings (resources/importing/)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportProfile(models.Model):
    """A saved mapping of the resource import: columns and values, named per city.

    ``mapping`` is exactly the mapping file the import page downloads and the
    command reads (``{"columns": {...}, "values": {...}}``); ``city_code`` is the
    city it was made for (``portal.municipality.city().code``), so that a database
    set up again for another city does not offer another city's decisions.
    """

    name = models.CharField(_("名前"), max_length=100)
    city_code = models.CharField(_("自治体コード"), max_length=6, blank=True)
    mapping = models.JSONField(_("割り当て"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("取込の割り当て")
        verbose_name_plural = _("取込の割り当て")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["city_code", "name"], name="import_profile_name_once")
        ]

    def __str__(self) -> str:
        return self.name
