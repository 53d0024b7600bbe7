"""SVG drawn on the server for 地域分析: the choropleth of areas by a measure, the
coverage map of one area, and small bar charts. They print (WeasyPrint runs no
JavaScript) and show on the page as they are. The map drawing reuses
resources/svgmap.py (projection, outlines, text, scale bar, north arrow); the
charts are our own few lines of SVG rather than a charting library, so that
they use the PDF's font and need no JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
import shapely
from django.utils.translation import gettext as _
from shapely.geometry import box
from shapely.ops import unary_union

from analysis.measures import FAR_M, NEAR_M, Measure, display
from resources.svgmap import AreaMap, Projection, _Box, _n, _path, _text

# Sequential, colour-blind safe (ColorBrewer YlGnBu, 5 classes), light = low.
CLASS_COLORS = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
NO_VALUE = "#d9d9d9"
UNCOVERED_FAR = "#b2182b"  # no 通いの場 within 1 km
UNCOVERED_NEAR = "#ef8a62"  # none within 500 m
SITE_COLOR = "#1b7a5a"
SITE_AROUND_COLOR = "#8cc2ae"  # the 通いの場 around the area (they count too)


def shade_class(color: str) -> str:
    """The CSS class of a shade (static/css/analysis.css), so that the page needs
    no inline style: swatch--0 … swatch--4, swatch--none."""
    return f"swatch--{CLASS_COLORS.index(color)}" if color in CLASS_COLORS else "swatch--none"


@dataclass
class Shade:
    color: str
    low: float | None
    high: float | None


def classes(values: list[float | None], count: int = 5) -> list[float]:
    """Upper bounds of ``count`` quantile classes of the known values."""
    known = sorted(v for v in values if v is not None)
    if not known:
        return []
    bounds = []
    for i in range(1, count + 1):
        bounds.append(known[min(len(known) - 1, round(i * len(known) / count) - 1)])
    return sorted(set(bounds))


def shade(value: float | None, bounds: list[float]) -> str:
    if value is None or not bounds:
        return NO_VALUE
    for index, bound in enumerate(bounds):
        if value <= bound:
            return CLASS_COLORS[round(index * (len(CLASS_COLORS) - 1) / max(len(bounds) - 1, 1))]
    return CLASS_COLORS[-1]


def legend_entries(measure: Measure, bounds: list[float]) -> list[tuple[str, str]]:
    """(colour, label) of each class, lowest first, then 値なし."""
    entries = []
    low = None
    for bound in bounds:
        text = (
            f"{display(measure, bound)}{measure.unit}" + _("以下")
            if low is None
            else f"{display(measure, low)}〜{display(measure, bound)}{measure.unit}"
        )
        entries.append((shade(bound, bounds), text))
        low = bound
    entries.append((NO_VALUE, _("値なし")))
    return entries


def _frame(width: float, height: float, parts: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}mm" height="{_n(height)}mm" role="img" '
        f'aria-label="{escape(title)}" font-family="BIZ UDPGothic, sans-serif">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def _furniture(projection: Projection, width: float, height: float) -> list[str]:
    furniture = AreaMap(width=width, height=height, outlines=[], markers=[], paper_scale=0.8)
    away = _Box(width + 1, height + 1, width + 2, height + 2)
    scale_svg, scale_box = furniture._scale_bar(projection, away)
    north_svg, _box = furniture._north_arrow(away, scale_box)
    return [scale_svg, north_svg]


def choropleth_svg(
    *,
    shapes: list[tuple[object, str, str]],  # (geometry, label, colour)
    uncovered: list[tuple[float, float, float]],  # (lat, lng, distance m)
    legend: list[tuple[str, str]],
    title: str,
    width: float = 180.0,
    height: float = 150.0,
) -> str:
    """Areas shaded by class, 町丁 without a 通いの場 nearby marked, a legend."""
    geoms = [g for g, _label, _color in shapes if g is not None]
    if not geoms:
        return _frame(width, 20, [_text(width / 2, 10, _("区域の境界がありません。"), 4)], title)
    legend_h = 7 * (len(legend) + 2)
    map_h = height - 4
    projection = Projection(unary_union(geoms).bounds, width - 58, map_h, 4)
    parts = [f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#fff"/>']
    for geom, _label, color in shapes:
        if geom is None:
            continue
        parts.append(
            f'<path d="{_path(projection.geometry(geom).simplify(0.1))}" fill="{color}" '
            f'stroke="#333" stroke-width="0.3" fill-rule="evenodd"/>'
        )
    for geom, label, _color in shapes:
        if geom is None or not label:
            continue
        point = projection.geometry(geom).representative_point()
        parts.append(_text(point.x, point.y, label, 2.4))
    for lat, lng, distance in uncovered:
        x, y = projection.xy(lng, lat)
        if distance > FAR_M:
            parts.append(
                f'<path d="M{_n(x - 1)},{_n(y - 1)} L{_n(x + 1)},{_n(y + 1)} M{_n(x - 1)},{_n(y + 1)} '
                f'L{_n(x + 1)},{_n(y - 1)}" stroke="{UNCOVERED_FAR}" stroke-width="0.6"/>'
            )
        else:
            parts.append(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="0.8" fill="none" stroke="{UNCOVERED_NEAR}" '
                f'stroke-width="0.4"/>'
            )
    parts += _furniture(projection, width - 58, map_h)
    lx, ly = width - 54, 6
    parts.append(_text(lx, ly, title, 3, anchor="start", weight="bold", halo=False))
    for index, (color, label) in enumerate(legend, start=1):
        y = ly + index * 7
        parts.append(
            f'<rect x="{_n(lx)}" y="{_n(y - 2)}" width="6" height="4" fill="{color}" '
            f'stroke="#333" stroke-width="0.25"/>'
        )
        parts.append(_text(lx + 8, y, label, 2.8, anchor="start", halo=False))
    y = ly + (len(legend) + 1) * 7
    parts.append(
        f'<path d="M{_n(lx + 2)},{_n(y - 1)} L{_n(lx + 4)},{_n(y + 1)} M{_n(lx + 2)},{_n(y + 1)} '
        f'L{_n(lx + 4)},{_n(y - 1)}" stroke="{UNCOVERED_FAR}" stroke-width="0.6"/>'
    )
    parts.append(
        _text(lx + 8, y, _("1km以内に通いの場がない町丁"), 2.6, anchor="start", halo=False)
    )
    y += 6
    parts.append(
        f'<circle cx="{_n(lx + 3)}" cy="{_n(y)}" r="0.9" fill="none" stroke="{UNCOVERED_NEAR}" '
        f'stroke-width="0.4"/>'
    )
    parts.append(_text(lx + 8, y, _("500m以内にない町丁"), 2.6, anchor="start", halo=False))
    del legend_h
    return _frame(width, height, parts, title)


COVERAGE_WIDTH, COVERAGE_HEIGHT = 170.0, 120.0
SITE_MM = 2.0  # the side of a 通いの場's square on the coverage map
SITE_GRID_MM = 0.2


def coverage_projection(focus, width: float = COVERAGE_WIDTH, height: float = COVERAGE_HEIGHT):
    """The coverage map's projection: the area fitted with an 8 mm margin."""
    return Projection(focus.bounds, width, height, 8)


def coverage_view(focus) -> tuple[float, float, float, float]:
    """The lng/lat box the coverage map of ``focus`` shows, widened by half a
    site's square, so that a site whose square shows at the edge is read."""
    projection = coverage_projection(focus)
    minx, miny, maxx, maxy = projection.lnglat_bounds()
    pad_y = SITE_MM / 2 / projection.scale
    pad_x = pad_y / projection.k
    return (minx - pad_x, miny - pad_y, maxx + pad_x, maxy + pad_y)


def sites_paths(projection: Projection, focus, sites, width: float, height: float) -> str:
    """The 通いの場 of the area, then those around it in a lighter green: each
    kind one ``<path>`` of squares (two elements whatever their number:
    WeasyPrint's cost is per element)."""
    if not sites:
        return ""
    points = np.asarray(sites, dtype=float)
    inside = shapely.contains_xy(focus, points[:, 1], points[:, 0])
    return sites_path(projection, points[~inside], width, height, SITE_AROUND_COLOR) + sites_path(
        projection, points[inside], width, height, SITE_COLOR
    )


def sites_path(projection: Projection, sites, width: float, height: float, color: str) -> str:
    """Sites as squares of one ``<path>``, each square once however many sites
    share its place on paper (to 0.2 mm), and only those on the page."""
    half = SITE_MM / 2
    seen: set[tuple[int, int]] = set()
    squares = []
    for lat, lng in sites:
        x, y = projection.xy(lng, lat)
        if not (-half <= x <= width + half and -half <= y <= height + half):
            continue
        # On a grid of SITE_GRID_MM: a square moves at most 0.1 mm, and the
        # squares of sites next door to each other are drawn once.
        cell = (round(x / SITE_GRID_MM), round(y / SITE_GRID_MM))
        if cell in seen:
            continue
        seen.add(cell)
        left, top = cell[0] * SITE_GRID_MM - half, cell[1] * SITE_GRID_MM - half
        squares.append(f"M{_n(left)},{_n(top)}h{_n(SITE_MM)}v{_n(SITE_MM)}h-{_n(SITE_MM)}z")
    if not squares:
        return ""
    return f'<path d="{"".join(squares)}" fill="{color}"/>'


def coverage_svg(
    *,
    focus,
    neighbours: list,
    chome: list[tuple[float, float, float, int]],  # (lat, lng, distance m, 65+)
    sites: list[tuple[float, float]],
    title: str,
    width: float = COVERAGE_WIDTH,
    height: float = COVERAGE_HEIGHT,
) -> str:
    """One area: its 町丁 coloured by distance to the nearest 通いの場, and the
    sites (those in ``coverage_view``: the caller reads no others)."""
    if focus is None:
        return _frame(width, 20, [_text(width / 2, 10, _("区域の境界がありません。"), 4)], title)
    projection = coverage_projection(focus, width, height)
    view = box(*projection.lnglat_bounds())
    parts = [f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#fff"/>']
    for geom in neighbours:
        if geom is not None and geom.intersects(view):
            clipped = projection.geometry(geom.intersection(view)).simplify(0.1)
            parts.append(
                f'<path d="{_path(clipped)}" fill="#eeeeee" stroke="#fff" stroke-width="0.5"/>'
            )
    parts.append(
        f'<path d="{_path(projection.geometry(focus).simplify(0.1))}" fill="#fffdf2" '
        f'stroke="#222" stroke-width="0.6" fill-rule="evenodd"/>'
    )
    parts.append(sites_paths(projection, focus, sites, width, height))
    for lat, lng, distance, _aged in chome:
        x, y = projection.xy(lng, lat)
        color = (
            "#2c7fb8"
            if distance <= NEAR_M
            else UNCOVERED_NEAR
            if distance <= FAR_M
            else UNCOVERED_FAR
        )
        parts.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="1.3" fill="{color}" stroke="#fff" '
            f'stroke-width="0.3"/>'
        )
    parts += _furniture(projection, width, height)
    legend = [
        ("#2c7fb8", _("500m以内に通いの場がある町丁")),
        (UNCOVERED_NEAR, _("500m〜1km")),
        (UNCOVERED_FAR, _("1km以内にない町丁")),
        (SITE_COLOR, _("通いの場（四角）")),
        (SITE_AROUND_COLOR, _("区域の外の通いの場")),
    ]
    lx = width - 62
    parts.append(
        f'<rect x="{_n(lx - 2)}" y="2" width="62" height="{_n(4 + 6 * len(legend))}" fill="#fff" '
        f'fill-opacity="0.85"/>'
    )
    for index, (color, label) in enumerate(legend):
        y = 6 + index * 6
        if color in (SITE_COLOR, SITE_AROUND_COLOR):
            parts.append(
                f'<rect x="{_n(lx + 0.5)}" y="{_n(y - 1)}" width="2" height="2" fill="{color}"/>'
            )
        else:
            parts.append(f'<circle cx="{_n(lx + 1.5)}" cy="{_n(y)}" r="1.3" fill="{color}"/>')
        parts.append(_text(lx + 5, y, label, 2.6, anchor="start", halo=False))
    return _frame(width, height, parts, title)


def bars_svg(
    items: list[tuple[str, float | None]],
    *,
    title: str,
    unit: str = "",
    width: float = 160.0,
    highlight: int | None = None,
) -> str:
    """Horizontal bars with their values written at their end (labels left)."""
    row = 7.0
    height = row * len(items) + 10
    top = max((v for _l, v in items if v is not None), default=0) or 1
    label_w = 42.0
    bar_w = width - label_w - 22
    parts = [_text(1, 3, title, 3.2, anchor="start", weight="bold", halo=False)]
    for index, (label, value) in enumerate(items):
        y = 9 + index * row
        parts.append(_text(label_w - 2, y + 2.5, label, 2.8, anchor="end", halo=False))
        length = 0 if value is None else bar_w * value / top
        color = "#2c7fb8" if index != highlight else "#d95f02"
        parts.append(
            f'<rect x="{_n(label_w)}" y="{_n(y)}" width="{_n(max(length, 0.3))}" height="5" '
            f'fill="{color}"/>'
        )
        text = "—" if value is None else f"{value:g}{unit}"
        parts.append(_text(label_w + length + 2, y + 2.5, text, 2.8, anchor="start", halo=False))
    return _frame(width, height, parts, title)
