"""Staff pages of coordinators (included at /staff/ by portal/urls.py)."""

from django.urls import path

from coordinators import views
from portal.sheets.views import sheet_done, sheet_preview, sheet_upload

app_name = "coordinators"
urlpatterns = [
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("resource-checks/", views.due_checks, name="due_checks"),
    path("resource-checks/<int:pk>/", views.resource_verified, name="resource_verified"),
    path("resource-checks/undo/", views.resource_check_undo, name="resource_check_undo"),
    path("resource-checks/sheets/<str:sheet>/", views.recheck_sheet, name="recheck_sheet"),
    path("resource-launches/", views.launches, name="launches"),
    path("resource-launches/<int:pk>/", views.resource_launched, name="resource_launched"),
    # The sheet engine's shared import pages for the records' kinds (activities,
    # councils: each registered by its app); any other kind answers 404 here.
    path("imports/<slug:kind>/", sheet_upload, name="records_import"),
    path("imports/<slug:kind>/preview/", sheet_preview, name="records_import_preview"),
    path("imports/<slug:kind>/done/", sheet_done, name="records_import_done"),
]
