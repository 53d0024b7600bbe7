"""わたしのリスト (included at /mylist/ by portal/urls.py)."""

from django.urls import path

from resources import mylist

app_name = "mylist"
urlpatterns = [
    path("", mylist.mylist, name="list"),
    path("print.pdf", mylist.mylist_pdf, name="print"),
]
