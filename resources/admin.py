from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.access import areas_editable_by, is_city_staff, resources_editable_by
from portal.widgets import LocationPickerWidget
from resources.models import Category, Feature, Resource, ScheduleRule, Target


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "group", "color", "sort_order")
    list_filter = ("group",)
    search_fields = ("name", "code")


@admin.register(Target, Feature)
class ChoiceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order")
    search_fields = ("name", "code")


class ScheduleRuleForm(forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        label=_("曜日"),
        required=False,
        choices=[
            ("MO", _("月")), ("TU", _("火")), ("WE", _("水")), ("TH", _("木")),
            ("FR", _("金")), ("SA", _("土")), ("SU", _("日")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ScheduleRule
        fields = ("kind", "weekdays", "weeks_of_month", "day_of_month", "opens_at", "closes_at", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["weekdays"] = self.instance.weekday_list

    def clean_weekdays(self) -> str:
        return ",".join(self.cleaned_data["weekdays"])


class ScheduleRuleInline(admin.StackedInline):
    model = ScheduleRule
    form = ScheduleRuleForm
    extra = 0


class ResourceAdminForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = "__all__"
        widgets = {"lat": LocationPickerWidget()}

    def clean(self):
        cleaned = super().clean()
        # A point set by hand is exact; it no longer follows the 町丁 of the address.
        if {"lat", "lng"} & set(self.changed_data) and cleaned.get("lat") is not None:
            self.instance.location_source = Resource.LocationSource.EXACT
        return cleaned


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    form = ResourceAdminForm
    inlines = [ScheduleRuleInline]
    list_display = ("name", "code", "resource_type", "area", "status", "visibility", "verified_on")
    list_filter = (
        ("area_tier1", admin.RelatedOnlyFieldListFilter),
        "categories",
        "resource_type",
        "status",
        "visibility",
        "origin",
    )
    search_fields = ("name", "kana", "code", "address", "organiser")
    list_select_related = ("area",)
    filter_horizontal = ("categories", "targets", "features")
    autocomplete_fields = ("supporting_coordinator", "verified_by")
    readonly_fields = ("area_tier1", "location_source", "created_at", "updated_at")
    date_hierarchy = "updated_at"
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("code", "name", "kana", "resource_type", "categories", "description")}),
        (_("運営"), {"fields": ("organiser", "organiser_kind", "status", "visibility")}),
        (
            _("場所"),
            {"fields": ("venue", "postal_code", "address", "access", "lat", "lng",
                        "location_source", "area", "area_locked", "area_tier1")},
        ),
        (_("参加"), {"fields": ("fee_free", "fee_amount", "fee_note", "targets", "features",
                                "capacity", "how_to_join")}),
        (_("問い合わせ先（公開）"), {"fields": ("contact_name", "contact_phone", "contact_email", "url")}),
        (
            _("関係者限定"),
            {"fields": ("contact_person", "private_phone", "internal_notes", "supporting_coordinator"),
             "description": _("この欄は一般の閲覧者には表示されません。")},
        ),
        (_("立ち上げと確認"), {"fields": ("origin", "origin_date", "verified_on", "verified_by",
                                      "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return resources_editable_by(request.user).select_related("area")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "area" and not is_city_staff(request.user):
            kwargs["queryset"] = areas_editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for warning in form.instance.location_warnings():
            messages.warning(request, warning)
