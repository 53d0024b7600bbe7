from django.urls import path

from resources import upcoming, views

app_name = "resources"
urlpatterns = [
    path("", views.search, name="search"),
    path("map.geojson", views.map_geojson, name="map_geojson"),
    path("areas.geojson", views.areas_geojson, name="areas_geojson"),
    path("<int:pk>/", views.detail, name="detail"),
    path("upcoming/", upcoming.upcoming, name="upcoming"),
]
