from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from coordinators.models import Activity, ActivityFunction, Affiliation, Coordinator
from coordinators.services import coordinator_sync_user_areas


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ("name", "sort_order")
    list_editable = ("sort_order",)
    search_fields = ("name",)


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    list_display = ("user", "tier", "affiliation", "area_list", "active_from", "active_until")
    list_filter = ("tier", "affiliation")
    search_fields = ("user__username", "user__display_name", "affiliation__name")
    autocomplete_fields = ("user",)
    filter_horizontal = ("areas",)
    fields = ("user", "tier", "areas", "affiliation", "active_from", "active_until")

    @admin.display(description=_("担当区域"))
    def area_list(self, obj: Coordinator) -> str:
        return "、".join(area.label for area in obj.areas.all())

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user", "affiliation")
            .prefetch_related("areas")
        )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # The access policy reads User.areas: keep it equal to the profile's areas.
        coordinator_sync_user_areas(form.instance)


class ActivityFunctionInline(admin.TabularInline):
    model = ActivityFunction
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """City staff correct or remove records here; recording is on the staff pages,
    where the area and count rules apply."""

    list_display = (
        "date",
        "kind",
        "count",
        "area",
        "affiliation",
        "coordinator",
        "is_case_example",
    )
    list_filter = ("kind", "is_case_example", "affiliation")
    date_hierarchy = "date"
    search_fields = ("heard", "response", "source_note", "external_ref")
    raw_id_fields = ("resources",)
    readonly_fields = ("coordinator", "created_by", "updated_by", "created_at", "updated_at")
    inlines = [ActivityFunctionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("area__parent", "affiliation", "coordinator__user")
        )
