"""URLs of the printing pages (included at the site root by portal/urls.py)."""

from django.urls import path

from resources import calendar_print, print_jobs, printing

app_name = "printing"
urlpatterns = [
    path("resources/print.pdf", printing.list_pdf, name="list_pdf"),
    path("resources/<int:pk>/sheet.pdf", printing.sheet_pdf, name="sheet_pdf"),
    path("areas/<slug:code>/map.pdf", printing.area_map_pdf, name="area_map_pdf"),
    path(
        "areas/<slug:code>/calendar.pdf",
        calendar_print.area_calendar_pdf,
        name="area_calendar_pdf",
    ),
    path("resources/print/job/", print_jobs.print_job_start, name="print_job"),
    path("staff/booklet/", printing.booklet, name="booklet"),
]
