from django.urls import path

from resources import calendars, upcoming, views

app_name = "resources"
urlpatterns = [
    path("", views.search, name="search"),
    path("map.geojson", views.map_geojson, name="map_geojson"),
    path("areas.geojson", views.areas_geojson, name="areas_geojson"),
    path("<int:pk>/", views.detail, name="detail"),
    path("upcoming/", upcoming.upcoming, name="upcoming"),
    path("calendar.ics", calendars.search_calendar, name="search_calendar"),
    path("<int:pk>/calendar.ics", calendars.resource_calendar, name="resource_calendar"),
]
