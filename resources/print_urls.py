"""URLs of the printing pages (included at the site root by portal/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "printing"
urlpatterns: list = []
