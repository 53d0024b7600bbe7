"""The admin's read-only view of change requests, group links and verification
requests, for city staff and admins (coordinators work on /staff/changes/ and
the editor; decisions go through resources.changes, never through the admin)."""

from __future__ import annotations

from django.contrib import admin

from resources.models import ChangeRequest, GroupLink, VerificationRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "resource", "kind", "source", "status", "decided_by")
    list_filter = ("status", "source", "kind")
    list_select_related = ("resource", "decided_by")
    search_fields = ("resource__name", "message")


@admin.register(GroupLink)
class GroupLinkAdmin(ReadOnlyAdmin):
    list_display = ("resource", "expires_on", "revoked_at", "last_used_at")
    list_select_related = ("resource",)
    search_fields = ("resource__name",)
    exclude = ("token",)


@admin.register(VerificationRequest)
class VerificationRequestAdmin(ReadOnlyAdmin):
    list_display = ("resource", "channel", "sent_on", "reminders", "answered_on", "overdue_on")
    list_filter = ("channel",)
    list_select_related = ("resource",)
    search_fields = ("resource__name",)
