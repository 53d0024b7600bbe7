from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from coordinators.models import Activity, ActivityFunction, Affiliation, Coordinator
from coordinators.services import coordinator_areas_check, coordinator_save
from portal.admin import UserAdmin as PortalUserAdmin
from portal.models import Area, User

AREAS_HELP = _(
    "利用者の「担当区域」そのものです（利用者の画面で変えても、ここで変えても同じ値が変わります）。"
    "第1層の区域を選ぶと、その中の第2層もすべて担当します。"
)


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ("name", "sort_order")
    list_editable = ("sort_order",)
    search_fields = ("name",)


class CoordinatorForm(forms.ModelForm):
    """The profile, and the areas of its user (``User.areas``, stored once)."""

    areas = forms.ModelMultipleChoiceField(
        label=_("担当区域"),
        queryset=Area.objects.select_related("parent").order_by("tier", "sort_order", "code"),
        required=False,
        widget=FilteredSelectMultiple(_("担当区域"), is_stacked=False),
        help_text=AREAS_HELP,
    )

    class Meta:
        model = Coordinator
        fields = ("user", "tier", "affiliation", "active_from", "active_until")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["areas"] = list(self.instance.user.areas.all())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("tier") and cleaned.get("areas") is not None:
            try:
                coordinator_areas_check(tier=cleaned["tier"], areas=cleaned["areas"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    form = CoordinatorForm
    list_display = ("user", "tier", "affiliation", "area_list", "active_from", "active_until")
    list_filter = ("tier", "affiliation")
    search_fields = ("user__username", "user__display_name", "affiliation__name")
    autocomplete_fields = ("user",)
    fields = ("user", "user_link", "tier", "areas", "affiliation", "active_from", "active_until")

    @admin.display(description=_("担当区域"))
    def area_list(self, obj: Coordinator) -> str:
        return "、".join(area.label for area in obj.user.areas.all())

    @admin.display(description=_("利用者の画面"))
    def user_link(self, obj: Coordinator) -> str:
        if not obj.pk:
            return "—"
        url = reverse("admin:portal_user_change", args=[obj.user_id])
        return format_html('<a href="{}">{}</a>', url, _("利用者「%s」を開く") % obj.user)

    def get_readonly_fields(self, request, obj=None):
        # A profile belongs to one user; the link to that user's page is shown, not edited.
        return ("user", "user_link") if obj else ("user_link",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user", "affiliation")
            .prefetch_related("user__areas__parent")
        )

    def save_model(self, request, obj, form, change) -> None:
        # Through the service, as every other editor: the profile and User.areas.
        saved = coordinator_save(
            user=obj.user,
            tier=obj.tier,
            areas=form.cleaned_data["areas"],
            affiliation=obj.affiliation,
            active_from=obj.active_from,
            active_until=obj.active_until,
        )
        obj.pk = saved.pk


class UserForm(PortalUserAdmin.form):
    """The user admin's form: a coordinator's areas keep the coordinator's rule."""

    def clean(self):
        cleaned = super().clean()
        profile = (
            Coordinator.objects.filter(user=self.instance).first() if self.instance.pk else None
        )
        if profile is not None and cleaned.get("areas") is not None:
            try:
                coordinator_areas_check(tier=profile.tier, areas=cleaned["areas"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


# The user admin is portal's, with the coordinators' rule for the areas of a
# coordinator (portal imports no app, so the rule joins it from here).
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(PortalUserAdmin):
    form = UserForm


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
