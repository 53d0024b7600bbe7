from __future__ import annotations

from django.urls import path

from portal.jobs import views

app_name = "jobs"

urlpatterns = [
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/result", views.job_result, name="result"),
    path("<int:pk>/retry/", views.job_retry_view, name="retry"),
]
