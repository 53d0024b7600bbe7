"""The coordinators' editor, the public corrections and their queue, the groups'
own listings (included at the site root by portal/urls.py; the paths are absolute)."""

from django.urls import path

from resources import editor

app_name = "changes"
urlpatterns = [
    path("staff/resources/new/", editor.resource_new, name="resource_new"),
    path("staff/resources/<int:pk>/edit/", editor.resource_edit, name="resource_edit"),
    path("staff/resources/<int:pk>/confirm/", editor.resource_confirm, name="resource_confirm"),
]
