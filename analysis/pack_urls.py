"""The 協議体 meeting pack at ``/areas/<code>/profile.pdf`` (contract), beside the
area's public page and its map (resources), but for staff only."""

from django.urls import path

from analysis import pack

urlpatterns = [
    path("areas/<slug:code>/profile.pdf", pack.profile_pdf, name="analysis_pack"),
]
