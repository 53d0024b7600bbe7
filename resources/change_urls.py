"""The coordinators' editor, the public corrections and their queue, the groups'
own listings (included at the site root by portal/urls.py; the paths are absolute)."""

from django.urls import path

from resources import change_views, editor, suggest_views

app_name = "changes"
urlpatterns = [
    path("staff/resources/new/", editor.resource_new, name="resource_new"),
    path("staff/resources/<int:pk>/edit/", editor.resource_edit, name="resource_edit"),
    path("staff/resources/<int:pk>/confirm/", editor.resource_confirm, name="resource_confirm"),
    path(
        "staff/resources/<int:pk>/group-link/",
        change_views.group_link_manage,
        name="group_link",
    ),
    path("staff/changes/", change_views.change_list, name="change_list"),
    path("staff/changes/<int:pk>/", change_views.change_decide, name="change_decide"),
    path("resources/<int:pk>/suggest/", suggest_views.resource_suggest, name="resource_suggest"),
    path("resources/suggest/", suggest_views.new_suggest, name="new_suggest"),
    path("update/<str:token>/", suggest_views.group_update, name="group_update"),
]
