"""The public summary of 地域分析 (analysis.public), when the city turns it on."""

from django.urls import path

from analysis import public

urlpatterns = [
    path("analysis/", public.public_summary, name="analysis_public"),
]
