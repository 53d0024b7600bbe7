"""A Leaflet map without inline script (the Content-Security-Policy allows none).

django-leaflet's ``{% leaflet_map %}`` writes a ``<script>`` block per map. This tag
writes the same options as JSON data (``json_script``) beside an empty ``<div>``;
``static/js/maps.js`` (loaded after ``{% leaflet_js %}``) builds the map from them
and hands it to the page's callback, a function name looked up on ``window``.
"""

from __future__ import annotations

import json

from django import template
from django.utils.html import format_html, json_script
from leaflet.templatetags.leaflet_tags import leaflet_map

register = template.Library()


@register.simple_tag
def portal_map(name: str, callback: str = "") -> str:
    """``{% portal_map "resource-map" callback="portalSearchMap" %}``."""
    options = leaflet_map(name)
    callback = callback.removeprefix("window.")
    return format_html(
        '<div id="{}" class="leaflet-container-default" data-portal-map="{}" '
        'data-map-callback="{}"></div>{}',
        name,
        f"{name}-options",
        callback,
        json_script(json.loads(options["djoptions"]), f"{name}-options"),
    )
