from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import views

urlpatterns = [
    path("", include("resources.home_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("settings/text-size/", views.text_size, name="text_size"),
    path("settings/language/", views.language, name="language"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/jobs/", include("portal.jobs.urls")),
    path("staff/", include("coordinators.urls")),
    path("staff/councils/", include("councils.urls")),
    path("staff/reports/", include("reports.urls")),
    path("staff/analysis/", include("analysis.urls")),
    path("resources/", include("resources.urls")),
    path("mylist/", include("resources.mylist_urls")),
    # Printing (PDF lists, sheets, area maps) and data in/out (imports, exports,
    # HSDS API) keep their own URL modules; their paths are absolute.
    path("", include("analysis.pack_urls")),
    path("", include("analysis.public_urls")),
    path("", include("resources.print_urls")),
    path("", include("resources.io_urls")),
    path("", include("resources.change_urls")),
    path("admin/", admin.site.urls),
]
