"""地域分析 (included at /staff/analysis/ by portal/urls.py).

``/staff/analysis/areas.csv?tier=1|2&fy=YYYY`` is part of the contract; the
meeting pack ``/areas/<code>/profile.pdf`` is in ``analysis.pack_urls``.
"""

from django.urls import path

from analysis import views

app_name = "analysis"
urlpatterns = [
    path("", views.index, name="index"),
    path("areas.csv", views.areas_csv, name="areas_csv"),
    path("areas.xlsx", views.areas_xlsx, name="areas_xlsx"),
    path("map/", views.area_map, name="map"),
    path("areas/<slug:code>/", views.profile, name="profile"),
    path("areas/<slug:code>/<slug:table>.csv", views.profile_csv, name="profile_csv"),
    path("areas/<slug:code>/<slug:table>.xlsx", views.profile_xlsx, name="profile_xlsx"),
    path("participants/", views.participants, name="participants"),
]
