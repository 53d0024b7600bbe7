"""Keeping the registry true: change requests, group links, verification requests
(resources/changes.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import Area
from resources.models import Resource


class GroupLink(models.Model):
    """A group's personal link to its own listing (``/update/<token>/``), sent by
    e-mail or printed on a 確認票: it opens that one resource without an account.
    What the group edits waits as a change request for a coordinator."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="group_links", verbose_name=_("地域資源")
    )
    token = models.CharField(_("トークン"), max_length=64, unique=True)
    expires_on = models.DateField(_("有効期限"))
    revoked_at = models.DateTimeField(_("取り消した日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("最後に使われた日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("団体用リンク")
        verbose_name_plural = _("団体用リンク")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.resource} ({self.expires_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("changes:group_update", args=[self.token])


class ChangeRequest(models.Model):
    """A suggested change of the registry: a resident's correction or new place,
    a group's edit of its own listing, or an import row held for review. Nothing
    changes until a coordinator of the area accepts it (resources/changes.py).

    ``changes`` is the diff: ``{field: {"old": …, "new": …}}`` (``schedules``:
    the old text, the new rules or text). The sender's name and contact are
    personal data: staff-only, and blanked after ``SUGGESTION_PERSONAL_DAYS``.
    """

    class Source(models.TextChoices):
        RESIDENT = "resident", _("住民からの知らせ")
        GROUP_LINK = "group_link", _("団体からの更新")
        IMPORT = "import", _("取込")

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("情報の修正")
        NEW = "new", _("新しい資源")

    class Status(models.TextChoices):
        PENDING = "pending", _("未対応")
        ACCEPTED = "accepted", _("反映済み")
        REJECTED = "rejected", _("見送り")

    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="change_requests",
        verbose_name=_("地域資源"),
    )
    area = models.ForeignKey(
        Area, verbose_name=_("区域"), on_delete=models.SET_NULL, null=True, blank=True
    )
    source = models.CharField(_("出どころ"), max_length=20, choices=Source.choices)
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("内容"), blank=True)
    changes = models.JSONField(_("変更の内容"), default=dict, blank=True)
    sender_name = models.CharField(_("知らせた人の名前"), max_length=100, blank=True)
    sender_contact = models.CharField(_("知らせた人の連絡先"), max_length=200, blank=True)
    group_link = models.ForeignKey(
        GroupLink, verbose_name=_("団体用リンク"), on_delete=models.SET_NULL, null=True, blank=True
    )
    status = models.CharField(
        _("対応"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("対応した人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("対応日時"), null=True, blank=True)
    personal_data_removed = models.BooleanField(_("個人情報を削除済み"), default=False)

    class Meta:
        verbose_name = _("変更の知らせ")
        verbose_name_plural = _("変更の知らせ")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class VerificationRequest(models.Model):
    """One round of the verification cycle for a resource: the request to confirm
    its listing (by e-mail or a printed 確認票), the reminders after it, and
    whether it was answered (``manage.py send_recheck_requests``)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("メール")
        PAPER = "paper", _("確認票（紙）")

    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        related_name="verification_requests",
        verbose_name=_("地域資源"),
    )
    link = models.ForeignKey(
        GroupLink, verbose_name=_("団体用リンク"), on_delete=models.SET_NULL, null=True
    )
    channel = models.CharField(_("方法"), max_length=10, choices=Channel.choices)
    sent_on = models.DateField(_("依頼日"))
    reminders = models.PositiveSmallIntegerField(_("督促の回数"), default=0)
    last_sent_on = models.DateField(_("最後に送った日"))
    answered_on = models.DateField(_("確認された日"), null=True, blank=True)
    overdue_on = models.DateField(_("要確認にした日"), null=True, blank=True)

    class Meta:
        verbose_name = _("確認の依頼")
        verbose_name_plural = _("確認の依頼")
        ordering = ["-sent_on"]
        indexes = [models.Index(fields=["answered_on", "resource"])]

    def __str__(self) -> str:
        return f"{self.resource} {self.sent_on:%Y-%m-%d}"
