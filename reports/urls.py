"""The report tables (included at /staff/reports/ by portal/urls.py).

``/staff/reports/<name>.csv?fy=YYYY[&area=CODE]`` is part of DESIGN.md's contract.
"""

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:name>/", views.report, name="report"),
    path("<slug:name>.csv", views.report_csv_view, name="csv"),
    path("<slug:name>.xlsx", views.report_xlsx_view, name="xlsx"),
    path("<slug:name>.pdf", views.report_pdf_view, name="pdf"),
]
