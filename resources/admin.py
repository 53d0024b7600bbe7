from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import VersionedDataAdmin
from portal.roles import Reader, areas_served_by, is_city_staff
from portal.weekdays import CHOICES as WEEKDAY_CHOICES
from portal.widgets import LocationPickerWidget
from resources.importing import ResourceImportExportAdminMixin
from resources.models import (
    Category,
    Feature,
    ImportProfile,
    Resource,
    ScheduleException,
    ScheduleRule,
    Target,
)
from resources.policy import FIELD_TIERS, hidden_fields, resources_editable_by
from resources.services import (
    labels_delete,
    resource_create,
    resource_delete,
    resource_place,
    resource_update,
    resources_delete,
    resources_reindex,
    schedule_exception_delete,
    schedule_exception_save,
)

# The admin's sections of tiered fields, from the policy's one list.
TIER_SECTIONS = (
    (Reader.RELATED, _("関係者限定"), _("ケアマネジャーなど関係者と担当者に表示されます。")),
    (
        Reader.IN_CHARGE,
        _("担当者限定"),
        _("コーディネーターと市職員だけに表示されます（関係者には表示されません）。"),
    ),
)


def tier_fieldsets() -> tuple:
    return tuple(
        (
            title,
            {
                "fields": tuple(name for name, tier in FIELD_TIERS.items() if tier == needs),
                "description": description,
            },
        )
        for needs, title, description in TIER_SECTIONS
    )


class LabelAdmin(VersionedDataAdmin):
    """A label's name is in the search text of the resources carrying it: a
    rename or a delete writes their text again (resources/indexing.py)."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            resources_reindex(label=obj)

    def delete_model(self, request, obj) -> None:
        labels_delete(labels=[obj])

    def delete_queryset(self, request, queryset) -> None:
        labels_delete(labels=list(queryset))


@admin.register(Category)
class CategoryAdmin(LabelAdmin):
    list_display = ("name", "code", "group", "color", "sort_order")
    list_filter = ("group",)
    search_fields = ("name", "code")


@admin.register(Target, Feature)
class ChoiceAdmin(LabelAdmin):
    list_display = ("name", "code", "sort_order")
    search_fields = ("name", "code")


class ScheduleRuleForm(forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        label=_("曜日"),
        required=False,
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ScheduleRule
        fields = (
            "kind",
            "weekdays",
            "weeks_of_month",
            "day_of_month",
            "opens_at",
            "closes_at",
            "note",
        )

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


class ScheduleExceptionInline(admin.TabularInline):
    """Days off (「12月29日〜1月3日はお休み」), time changes and notices with an end
    date (coordinators use their editor, resources/editor.py). Saved in
    ResourceAdmin.save_related."""

    model = ScheduleException
    extra = 0
    fields = ("kind", "starts_on", "ends_on", "opens_at", "closes_at", "text")


class ResourceAdminForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = "__all__"
        widgets = {"lat": LocationPickerWidget()}

    user = None  # set by ResourceAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each field sends back the value the page showed, so that "changed" means
        # changed by this person, not by someone else since the page was opened:
        # the save writes only those fields (resources.services.resource_update).
        for field in self.fields.values():
            field.show_hidden_initial = True

    def clean(self):
        cleaned = super().clean()
        # A point set by hand is exact; it no longer follows the 町丁 of the address.
        if {"lat", "lng"} & set(self.changed_data) and cleaned.get("lat") is not None:
            self.instance.location_source = Resource.LocationSource.EXACT
        # An area chosen by hand wins over the one the address would give.
        if "area" in self.changed_data and cleaned.get("area") is not None:
            cleaned["area_locked"] = True
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.user is None or is_city_staff(self.user):
            return
        # A coordinator may only place resources in their own areas: work out the
        # area the save would assign, and refuse one outside them.
        resource_place(self.instance)
        if not areas_served_by(self.user).filter(pk=self.instance.area_id).exists():
            self.add_error(
                "address",
                _(
                    "この住所・位置は担当区域の外です。担当区域内の地域資源だけを登録・編集できます。"
                ),
            )


@admin.register(Resource)
class ResourceAdmin(ResourceImportExportAdminMixin, SimpleHistoryAdmin):
    form = ResourceAdminForm
    inlines = [ScheduleRuleInline, ScheduleExceptionInline]
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
            {
                "fields": (
                    "venue",
                    "postal_code",
                    "address",
                    "access",
                    "lat",
                    "lng",
                    "location_source",
                    "area",
                    "area_locked",
                    "area_tier1",
                )
            },
        ),
        (
            _("参加"),
            {
                "fields": (
                    "fee_free",
                    "fee_amount",
                    "fee_note",
                    "targets",
                    "features",
                    "capacity",
                    "how_to_join",
                    "holiday_rule",
                )
            },
        ),
        (
            _("問い合わせ先（公開）"),
            {"fields": ("contact_name", "contact_phone", "contact_email", "url")},
        ),
        *tier_fieldsets(),
        (
            _("立ち上げと確認"),
            {"fields": ("origin", "origin_date", "verified_on", "created_at", "updated_at")},
        ),
    )

    def get_queryset(self, request):
        return resources_editable_by(request.user).select_related("area")

    def get_fieldsets(self, request, obj=None):
        # Everyone with the admin is 担当 today; a reader of a lower tier given
        # admin rights by hand still gets no field above their tier (the form
        # is built from these fieldsets, so neither shown nor accepted).
        hidden = hidden_fields(request.user)
        fieldsets = []
        for title, options in super().get_fieldsets(request, obj):
            fields = tuple(name for name in options["fields"] if name not in hidden)
            if fields:
                fieldsets.append((title, {**options, "fields": fields}))
        return fieldsets

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # The history list shows what each change did: never to a field above
        # the reader's tier.
        hidden = list(hidden_fields(request.user))
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=hidden, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def get_autocomplete_fields(self, request):
        hidden = hidden_fields(request.user)
        return tuple(n for n in super().get_autocomplete_fields(request) if n not in hidden)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def _require_in_scope(self, request, object_id) -> None:
        # simple_history falls back to the history of objects outside
        # get_queryset (deleted ones); outside city staff that would leak.
        if is_city_staff(request.user):
            return
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "area" and not is_city_staff(request.user):
            kwargs["queryset"] = areas_served_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # The save path: one service call per save, schedules included, so that the
    # data version moves once and the history has one entry (resources/services.py).

    def save_model(self, request, obj, form, change):
        # Written in save_related, where the inline's schedule rules are known.
        # simple_history's revert view calls form.save_m2m() instead: it writes then.
        form.save_m2m = lambda: _write(request, form, formsets=(), revert=True)

    def save_related(self, request, form, formsets, change):
        _write(request, form, formsets=formsets, revert=False)
        for formset in formsets:
            if formset.model is ScheduleException:
                _exceptions_write(formset)
        for warning in form.instance.location_warnings():
            messages.warning(request, warning)

    def delete_model(self, request, obj):
        resource_delete(resource=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        resources_delete(resources=queryset, by=request.user)


LINKS = ("categories", "targets", "features")


def _write(request, form: ResourceAdminForm, *, formsets, revert: bool) -> None:
    """Create or update the form's resource through the services.

    A change writes only the fields the person changed (a concurrent edit of
    the others survives); a revert to a past version writes them all.
    """
    resource = form.instance
    schedules = _schedule_rules(formsets)
    if resource.pk is None:
        links = {name: form.cleaned_data[name] for name in LINKS if name in form.cleaned_data}
        resource_create(by=request.user, resource=resource, schedules=schedules or (), **links)
        return
    names = set(form.cleaned_data) if revert else set(form.changed_data)
    links = {name: form.cleaned_data[name] for name in LINKS if name in names}
    fields = {name for name in names - set(LINKS) if name in form.cleaned_data}
    if revert or {"lat", "lng"} & fields:
        fields.add("location_source")  # set by the form's clean, or the past version's
    if "area" in fields:
        fields.add("area_locked")
    changes = {name: getattr(resource, name) for name in fields}
    resource_update(resource=resource, by=request.user, schedules=schedules, **links, **changes)


def _schedule_rules(formsets) -> list[ScheduleRule] | None:
    """Every rule the resource keeps after the inline's changes; None when the inline
    changed nothing."""
    for formset in formsets:
        if formset.model is not ScheduleRule:
            continue
        formset.save(commit=False)  # new_objects, deleted_objects … for the change message
        if not (formset.new_objects or formset.changed_objects or formset.deleted_objects):
            return None
        deleted = {rule.pk for rule in formset.deleted_objects}
        kept = [f.instance for f in formset.initial_forms if f.instance.pk not in deleted]
        return kept + list(formset.new_objects)
    return None


def _exceptions_write(formset) -> None:
    """The inline's days off and notices, through the services (the data version
    moves, so that kept pages show them)."""
    for obj in formset.save(commit=False):
        obj.resource = formset.instance
        schedule_exception_save(exception=obj)
    for obj in formset.deleted_objects:
        schedule_exception_delete(exception=obj)


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    """Saved import mappings (made on the import page; the JSON is the mapping file)."""

    list_display = ("name", "city_code", "created_by", "updated_at")
    search_fields = ("name",)
    readonly_fields = ("created_by", "updated_at")


# Read-only views of the change requests and the verification cycle.
from resources import changes_admin  # noqa: E402, F401
