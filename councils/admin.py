from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from councils.models import Council, CouncilMember, Meeting, MeetingAttachment, RegionalIssue


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 1
    fields = ("name", "sector", "organisation", "term_start", "term_end", "sort_order")


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ("name", "tier", "area", "origin", "established_on", "code")
    list_filter = ("tier", "origin")
    search_fields = ("name", "code", "existing_body", "area__name")
    inlines = [CouncilMemberInline]
    readonly_fields = ("created_at", "updated_at")


class MeetingAttachmentInline(admin.TabularInline):
    """Attachments are added on the staff pages, where their type is checked."""

    model = MeetingAttachment
    extra = 0
    fields = ("download", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("ファイル"))
    def download(self, obj: MeetingAttachment) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("councils:attachment", args=[obj.pk]), obj.original_name
        )


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("council", "date", "place")
    list_filter = ("council__tier",)
    date_hierarchy = "date"
    search_fields = ("council__name", "agenda", "minutes")
    filter_horizontal = ("members_present",)
    inlines = [MeetingAttachmentInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(RegionalIssue)
class RegionalIssueAdmin(admin.ModelAdmin):
    list_display = ("theme", "area", "status", "meeting", "escalated_to", "escalated_on")
    list_filter = ("status",)
    search_fields = ("theme", "description", "response")
    raw_id_fields = ("meeting", "reported_meeting", "resources")
