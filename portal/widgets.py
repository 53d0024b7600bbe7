"""A Leaflet location picker of our own (django-leaflet's form widgets need GDAL)."""

from __future__ import annotations

from django import forms
from django.conf import settings


def map_settings() -> dict:
    """What every map of ours needs: tiles, attribution, the city's centre."""
    from portal.municipality import city

    current = city()
    return {
        "tile_url": settings.TILE_URL,
        "tile_attribution": settings.TILE_ATTRIBUTION,
        "center_lat": current.center_lat,
        "center_lng": current.center_lng,
        "zoom": current.zoom,
    }


class LocationPickerWidget(forms.NumberInput):
    """The latitude input plus a map: a click or a drag of the marker sets lat/lng.

    The longitude input is the field named like this one with ``lat`` -> ``lng``
    (``lat``/``lng``, ``centroid_lat``/``centroid_lng``).
    """

    template_name = "portal/widgets/location_picker.html"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs={"step": "any", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        lng_name = name[: -len("lat")] + "lng" if name.endswith("lat") else "lng"
        context["picker"] = {**map_settings(), "lng_name": lng_name}
        return context

    class Media:
        css = {"all": ("leaflet/leaflet.css", "css/map_widgets.css")}
        js = ("leaflet/leaflet.js", "js/map_widgets.js")


class BoundaryPreviewWidget(forms.Textarea):
    """The GeoJSON text of an area's boundary with a map that draws it."""

    template_name = "portal/widgets/boundary_preview.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["picker"] = map_settings()
        return context

    class Media:
        css = {"all": ("leaflet/leaflet.css", "css/map_widgets.css")}
        js = ("leaflet/leaflet.js", "js/map_widgets.js")
