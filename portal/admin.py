from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from portal.cache import data_changed
from portal.models import AddressPoint, Area, Job, Municipality, PeriodicRun, User
from portal.widgets import BoundaryPreviewWidget, LocationPickerWidget

admin.site.site_header = _("地域資源ポータル 管理")
admin.site.site_title = _("地域資源ポータル 管理")
admin.site.index_title = _("管理メニュー")


# Forbidden answers 404 in the admin too, as on every other page: an object
# outside what the user's admin lists (its policy's queryset) would otherwise
# redirect to the index with "does not exist", and a page the user lacks the
# permission for would answer 403; both tell that the object or page exists.
def _object_not_found(self, request, opts, object_id):
    raise Http404(_("見つかりません。"))


admin.ModelAdmin._get_obj_does_not_exist_redirect = _object_not_found
_admin_view = admin.site.admin_view


def _admin_view_forbidden_is_missing(view, cacheable=False):
    wrapped = _admin_view(view, cacheable)

    @wraps(view)
    def inner(request, *args, **kwargs):
        try:
            return wrapped(request, *args, **kwargs)
        except PermissionDenied:
            raise Http404(_("見つかりません。")) from None

    return inner


admin.site.admin_view = _admin_view_forbidden_is_missing


class VersionedDataAdmin(admin.ModelAdmin):
    """The admin of something the public pages show: each save (with its inlines)
    or delete moves the data version once (portal/cache.py)."""

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        data_changed()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        data_changed()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        data_changed()


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = "__all__"
        widgets = {
            "boundary": BoundaryPreviewWidget(attrs={"rows": 4}),
            "centroid_lat": LocationPickerWidget(),
        }


class ChildAreaInline(admin.TabularInline):
    model = Area
    fk_name = "parent"
    fields = ("code", "name", "kana", "population", "elderly_population", "sort_order")
    extra = 0
    show_change_link = True
    verbose_name = _("第2層の区域")
    verbose_name_plural = _("第2層の区域")


@admin.register(Area)
class AreaAdmin(VersionedDataAdmin):
    form = AreaForm
    list_display = (
        "name",
        "code",
        "tier",
        "parent",
        "population",
        "elderly_population",
        "sort_order",
    )
    list_filter = ("tier", "parent")
    search_fields = ("name", "kana", "code")
    list_select_related = ("parent",)
    ordering = ("tier", "sort_order", "code")
    fieldsets = (
        (None, {"fields": ("tier", "parent", "code", "name", "kana", "sort_order")}),
        (_("人口"), {"fields": ("population", "elderly_population")}),
        (_("位置"), {"fields": ("centroid_lat", "centroid_lng", "boundary")}),
    )

    def get_inlines(self, request, obj):
        return [ChildAreaInline] if obj and obj.tier == Area.Tier.CITY else []


@admin.register(AddressPoint)
class AddressPointAdmin(VersionedDataAdmin):
    list_display = ("code", "ward", "name", "area", "population", "lat", "lng")
    list_filter = ("ward",)
    search_fields = ("name", "normalized_name", "code")
    list_select_related = ("area",)
    readonly_fields = ("normalized_name",)
    autocomplete_fields = ("area",)


class MunicipalityForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = "__all__"
        widgets = {"center_lat": LocationPickerWidget()}


@admin.register(Municipality)
class MunicipalityAdmin(VersionedDataAdmin):
    """The one row of the city's settings: no second row, no delete."""

    form = MunicipalityForm
    list_display = ("__str__", "prefecture", "code", "has_wards", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "name_en", "prefecture", "code", "has_wards")}),
        (_("ページの表示"), {"fields": ("program_name",)}),
        (_("地図"), {"fields": ("center_lat", "center_lng", "zoom")}),
    )

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not Municipality.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_changeform_initial_data(self, request) -> dict:
        # The environment's values are the first default of a new row.
        from portal.municipality import city

        current = city()
        return {
            "name": current.name,
            "name_en": current.name_en,
            "prefecture": current.prefecture,
            "code": current.code,
            "center_lat": current.center_lat,
            "center_lng": current.center_lng,
            "zoom": current.zoom,
        }

    def save_model(self, request, obj, form, change) -> None:
        obj.pk = 1  # the one row every reader reads
        super().save_model(request, obj, form, change)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # Users keep no django-simple-history table: their history page is the
    # admin's own log (SimpleHistoryAdmin's answered 500).
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("担当"), {"fields": ("display_name", "areas")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("担当"), {"fields": ("display_name", "groups", "areas")}),
    )
    filter_horizontal = ("groups", "user_permissions", "areas")
    list_display = ("username", "display_name", "email", "is_staff", "is_active", "last_login")
    list_filter = ("groups", "is_staff", "is_superuser", "is_active")


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs, to look at (their pages are /staff/jobs/<id>/): the worker
    writes them, and an admin only deletes one."""

    list_display = ("pk", "label", "kind", "user", "state", "done", "total", "created_at")
    list_filter = ("state", "kind")
    search_fields = ("label", "user__username")
    list_select_related = ("user",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ("name", "slot", "state", "finished_at")
    list_filter = ("state", "name")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
