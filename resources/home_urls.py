"""The home page and the area pages: the public entry points (included at the
site root by portal/urls.py; their URL names carry no namespace)."""

from django.urls import path

from resources import views

urlpatterns = [
    path("", views.home, name="home"),
    path("areas/<slug:code>/", views.area_detail, name="area_detail"),
]
