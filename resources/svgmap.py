"""Printed maps as SVG, drawn on the server (WeasyPrint runs no JavaScript).

An equirectangular projection scaled by cos(latitude) is exact enough for a ward
a few kilometres across. One SVG user unit is one millimetre on paper, so sizes
here (marker radius, font size, line width) are what gets printed.

The map of an area shows the area's outline, its tier-2 areas dashed, the
neighbouring areas in grey, numbered markers coloured by category (the numbers
of the printed list), a legend, a scale bar and a north arrow. Markers that
would cover each other are pushed apart and joined to their true place by a
thin line, so that a dense cluster stays readable. Without a tile background
(off by default: see DESIGN.md, tiles are never bulk-downloaded) the outlines
are the whole base map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

import numpy as np
import shapely
from django.utils.translation import gettext, pgettext
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from portal.geo import EARTH_RADIUS_KM
from resources.palette import ink_on

FONT_FAMILY = "BIZ UDPGothic"
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
UNCATEGORISED_COLOR = "#555555"
FOCUS_FILL = "#fffdf2"
NEIGHBOUR_FILL = "#e4e4e4"
NEIGHBOUR_TEXT = "#6b6b6b"
# A marker this far (× its radius) from its true place gets a leader line.
LEADER_MIN = 1.2
SCALE_STEPS_M = (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000)


@dataclass
class Marker:
    """A numbered point of the printed list."""

    number: int
    lat: float
    lng: float
    color: str = UNCATEGORISED_COLOR
    label: str = ""
    shape: str = "circle"  # "circle" | "square" | "diamond" | "triangle" | "hollow"


@dataclass
class Outline:
    """An area boundary to draw: the focus area, one of its parts, or a neighbour."""

    geometry: BaseGeometry  # lng/lat
    label: str = ""
    kind: str = "neighbour"  # "focus" | "part" | "neighbour"


@dataclass
class LegendEntry:
    label: str
    color: str
    count: int
    shape: str = "circle"


@dataclass
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def hits(self, other: _Box, gap: float = 0.0) -> bool:
        return not (
            self.x1 + gap <= other.x0
            or other.x1 + gap <= self.x0
            or self.y1 + gap <= other.y0
            or other.y1 + gap <= self.y0
        )

    def inside(self, width: float, height: float, margin: float = 1.0) -> bool:
        return (
            self.x0 >= margin
            and self.y0 >= margin
            and self.x1 <= width - margin
            and self.y1 <= height - margin
        )


class Projection:
    """lng/lat to millimetres on the page: north up, ``bounds`` centred and fitted."""

    def __init__(
        self,
        bounds: tuple[float, float, float, float],
        width: float,
        height: float,
        margin: float = 8.0,
    ):
        minx, miny, maxx, maxy = bounds
        self.k = math.cos(math.radians((miny + maxy) / 2))
        span_x = max((maxx - minx) * self.k, 1e-4)
        span_y = max(maxy - miny, 1e-4)
        self.scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
        self.cx, self.cy = (minx + maxx) / 2, (miny + maxy) / 2
        self.width, self.height = width, height

    def xy(self, lng: float, lat: float) -> tuple[float, float]:
        return (
            self.width / 2 + (lng - self.cx) * self.k * self.scale,
            self.height / 2 - (lat - self.cy) * self.scale,
        )

    def lnglat_bounds(self) -> tuple[float, float, float, float]:
        """The lng/lat box the page shows."""
        half_w = self.width / 2 / (self.k * self.scale)
        half_h = self.height / 2 / self.scale
        return (self.cx - half_w, self.cy - half_h, self.cx + half_w, self.cy + half_h)

    def geometry(self, geom: BaseGeometry) -> BaseGeometry:
        def to_page(coords: np.ndarray) -> np.ndarray:
            out = np.empty_like(coords)
            out[:, 0] = self.width / 2 + (coords[:, 0] - self.cx) * self.k * self.scale
            out[:, 1] = self.height / 2 - (coords[:, 1] - self.cy) * self.scale
            return out

        return shapely.transform(geom, to_page)

    @property
    def mm_per_km(self) -> float:
        return self.scale / KM_PER_DEGREE


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _path(geom: BaseGeometry) -> str:
    """SVG path data of the polygons in ``geom`` (holes included, even-odd fill)."""
    parts = []
    for polygon in shapely.get_parts(geom):
        if polygon.geom_type == "MultiPolygon":
            parts.append(_path(polygon))
            continue
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            coords = list(ring.coords)
            if len(coords) < 3:
                continue
            head = coords[0]
            tail = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords[1:-1])
            parts.append(f"M{_n(head[0])},{_n(head[1])} L{tail} Z")
    return " ".join(p for p in parts if p)


def text_width(text: str, size: float) -> float:
    """Rough printed width of ``text`` in BIZ UDPGothic (full-width vs. narrow glyphs)."""
    return sum(
        size * (0.56 if ord(c) < 0x2E80 or 0xFF61 <= ord(c) <= 0xFF9F else 0.98) for c in text
    )


def _symbol(shape: str, x: float, y: float, r: float, color: str, edge: float) -> str:
    """A marker: circle, rounded square, diamond, triangle (resources/palette.py), or a
    hollow circle (no category); a white halo then a thin dark edge, so that a light
    colour (yellow, white) still shows on paper."""
    if shape == "hollow":
        return (
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r - edge)}" fill="#fff" stroke="#333" '
            f'stroke-width="{_n(edge * 1.6)}"/>'
        )
    if shape == "chip":  # a category's colour in the legend: not a marker's shape
        body = (
            f'<rect x="{_n(x - r * 1.1)}" y="{_n(y - r * 0.75)}" width="{_n(r * 2.2)}" '
            f'height="{_n(r * 1.5)}" rx="{_n(r * 0.3)}"'
        )
    elif shape == "square":
        side = r * 1.8
        body = (
            f'<rect x="{_n(x - side / 2)}" y="{_n(y - side / 2)}" width="{_n(side)}" '
            f'height="{_n(side)}" rx="{_n(r * 0.3)}"'
        )
    elif shape in ("diamond", "triangle"):
        k = r * 1.2
        corners = (
            [(x, y - k), (x + k, y), (x, y + k), (x - k, y)]
            if shape == "diamond"
            else [(x, y - k * 1.05), (x + k * 1.05, y + k * 0.75), (x - k * 1.05, y + k * 0.75)]
        )
        body = '<polygon points="' + " ".join(f"{_n(a)},{_n(b)}" for a, b in corners) + '"'
    else:
        body = f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}"'
    return (
        f'{body} fill="none" stroke="#fff" stroke-width="{_n(edge * 2)}" '
        f'stroke-linejoin="round"/>{body} fill="{escape(color)}" stroke="#1a1a1a" '
        f'stroke-width="{_n(edge * 0.5)}" stroke-linejoin="round"/>'
    )


def _label_spots(geom: BaseGeometry, step: float, limit: int = 400) -> list[tuple[float, float]]:
    """Places for a label inside ``geom``: the point farthest inside first, then a grid
    of points inside by distance from it."""
    polygons = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not polygons:
        return []
    largest = max(polygons, key=lambda p: p.area)
    try:
        seed = polylabel(largest, tolerance=step / 2)
    except Exception:  # a degenerate ring
        seed = largest.representative_point()
    minx, miny, maxx, maxy = largest.bounds
    xs = np.arange(minx + step / 2, maxx, step)
    ys = np.arange(miny + step / 2, maxy, step / 1.5)
    grid = np.array([(x, y) for y in ys for x in xs]).reshape(-1, 2)
    if len(grid):
        inside = shapely.contains_xy(largest, grid[:, 0], grid[:, 1])
        grid = grid[inside]
        order = np.argsort(np.hypot(grid[:, 0] - seed.x, grid[:, 1] - seed.y))
        grid = grid[order][:limit]
    return [(seed.x, seed.y), *map(tuple, grid.tolist())]


def _text(
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    fill: str = "#222",
    anchor: str = "middle",
    weight: str = "normal",
    halo: bool = True,
) -> str:
    """Text centred on its line at (x, y), over a white halo so that it reads on any line."""
    common = (
        f'x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
        f'dominant-baseline="central" font-weight="{weight}"'
    )
    body = escape(text)
    under = ""
    if halo:
        # A white plate under the text (one text element, so the PDF's text is not doubled).
        width = text_width(text, size) + size * 0.5
        left = {"start": x - size * 0.25, "end": x - width + size * 0.25}.get(anchor, x - width / 2)
        under = (
            f'<rect x="{_n(left)}" y="{_n(y - size * 0.62)}" width="{_n(width)}" '
            f'height="{_n(size * 1.24)}" rx="{_n(size * 0.3)}" fill="#fff" fill-opacity="0.78"/>'
        )
    return f'{under}<text {common} fill="{fill}">{body}</text>'


def marker_radius(count: int, paper_scale: float = 1.0) -> float:
    """Marker size: smaller when there are many, never too small to read the number."""
    base = 3.0 if count <= 40 else 2.6 if count <= 120 else 2.3
    return base * paper_scale


def spread(anchors: np.ndarray, radius: float, width: float, height: float) -> np.ndarray:
    """Marker centres near ``anchors`` (N×2, mm) that do not overlap one another.

    Overlapping pairs push each other apart, a little each round, with a weak pull
    back to the true place; identical places fan out in a fixed direction per
    marker so that the result is the same on every print.
    """
    count = len(anchors)
    positions = anchors.astype(float).copy()
    if count < 2:
        return positions
    need = 2 * radius + 0.5
    angles = np.arange(count) * 2.399963  # golden angle: fans identical points evenly
    fan = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    low, high = radius + 0.5, np.array([width, height]) - radius - 0.5
    for _round in range(160):
        tree = shapely.STRtree(shapely.points(positions))
        left, right = tree.query(shapely.points(positions), predicate="dwithin", distance=need)
        keep = left < right
        left, right = left[keep], right[keep]
        if not len(left):
            break
        delta = positions[left] - positions[right]
        dist = np.hypot(delta[:, 0], delta[:, 1])
        same = dist < 1e-6
        delta[same] = fan[left[same]] - fan[right[same]]
        dist = np.where(same, np.hypot(delta[:, 0], delta[:, 1]), dist)
        dist = np.maximum(dist, 1e-6)
        push = ((need - dist) / 2 / dist)[:, None] * delta * 0.6
        moves = np.zeros_like(positions)
        np.add.at(moves, left, push)
        np.add.at(moves, right, -push)
        positions += moves + (anchors - positions) * 0.01
        positions = np.clip(positions, low, high)
    return positions


@dataclass
class AreaMap:
    """The SVG of a printed area map."""

    width: float
    height: float
    outlines: list[Outline]
    markers: list[Marker]
    legend: list[LegendEntry] = field(default_factory=list)
    unmapped: int = 0
    paper_scale: float = 1.0
    title: str = ""
    note: str = ""  # a message over the map, e.g. when nothing matched

    def svg(self) -> str:
        focus = [o for o in self.outlines if o.kind == "focus"]
        points = shapely.points([(m.lng, m.lat) for m in self.markers]) if self.markers else []
        extent = self._extent(focus, points)
        s = self.paper_scale
        projection = Projection(extent.bounds, self.width, self.height, margin=10 * s)
        view = box(*projection.lnglat_bounds())
        parts: list[str] = [
            f'<rect x="0" y="0" width="{_n(self.width)}" height="{_n(self.height)}" fill="#fff"/>'
        ]
        labels: list[tuple[str, Outline, BaseGeometry]] = []
        tolerance = 0.15 * s
        page = box(0, 0, self.width, self.height)
        strokes: list[str] = []  # the focus outline goes over the dashed parts
        for kind in ("neighbour", "focus", "part"):
            for outline in (o for o in self.outlines if o.kind == kind):
                if not outline.geometry.intersects(view):
                    continue
                geom = projection.geometry(outline.geometry).simplify(tolerance)
                geom = geom.intersection(page) if kind == "neighbour" else geom
                if geom.is_empty:
                    continue
                d = _path(geom)
                if kind == "neighbour":
                    parts.append(
                        f'<path d="{d}" fill="{NEIGHBOUR_FILL}" stroke="#fff" '
                        f'stroke-width="{_n(0.6 * s)}" fill-rule="evenodd"/>'
                    )
                elif kind == "focus":
                    parts.append(f'<path d="{d}" fill="{FOCUS_FILL}" fill-rule="evenodd"/>')
                    strokes.append(
                        f'<path d="{d}" fill="none" stroke="#222" stroke-width="{_n(0.7 * s)}" '
                        f'stroke-linejoin="round"/>'
                    )
                else:
                    parts.append(
                        f'<path d="{d}" fill="none" stroke="#666" stroke-width="{_n(0.35 * s)}" '
                        f'stroke-dasharray="{_n(2 * s)},{_n(1.2 * s)}"/>'
                    )
                if outline.label:
                    labels.append((kind, outline, geom))
        parts += strokes

        radius = marker_radius(len(self.markers), s)
        anchors = np.array([projection.xy(m.lng, m.lat) for m in self.markers]).reshape(-1, 2)
        centres = spread(anchors, radius, self.width, self.height)
        taken = [_Box(x - radius, y - radius, x + radius, y + radius) for x, y in centres.tolist()]

        # Corner furniture first, where it covers the fewest markers and least of the area.
        focus_page = (
            shapely.union_all([projection.geometry(o.geometry) for o in focus]) if focus else None
        )
        legend_svg, legend_box = self._legend(
            centres, focus_page, bool(self._moved(anchors, centres, radius))
        )
        furniture = [legend_box]
        scale_svg, scale_box = self._scale_bar(projection, legend_box)
        north_svg, north_box = self._north_arrow(legend_box, scale_box)
        furniture += [scale_box, north_box]

        # Area names: tier-2 parts in dark grey, neighbours in light grey; skipped
        # where they would cover a marker or another name.
        placed: list[_Box] = list(furniture)
        label_svg: list[str] = []
        for kind, outline, geom in sorted(labels, key=lambda item: item[0] != "part"):
            size = (3.6 if kind == "part" else 3.2) * s
            spot = self._place_area_label(outline.label, size, geom, taken + placed)
            if spot is None:
                continue
            x, y, label_box = spot
            placed.append(label_box)
            label_svg.append(
                _text(
                    x,
                    y,
                    outline.label,
                    size,
                    fill="#444" if kind == "part" else NEIGHBOUR_TEXT,
                    weight="bold" if kind == "part" else "normal",
                )
            )
        parts += label_svg

        # Markers: leader lines from the true place, then the numbered circles.
        lines, dots, circles, names = [], [], [], []
        for marker, (ax, ay), (x, y) in zip(
            self.markers, anchors.tolist(), centres.tolist(), strict=True
        ):
            if math.hypot(x - ax, y - ay) > radius * LEADER_MIN:
                lines.append(
                    f'<line x1="{_n(ax)}" y1="{_n(ay)}" x2="{_n(x)}" y2="{_n(y)}" '
                    f'stroke="#333" stroke-width="{_n(0.25 * s)}"/>'
                )
                dots.append(f'<circle cx="{_n(ax)}" cy="{_n(ay)}" r="{_n(0.55 * s)}" fill="#333"/>')
            circles.append(_symbol(marker.shape, x, y, radius, marker.color, 0.35 * s))
            digits = len(str(marker.number))
            size = radius * (1.25 if digits == 1 else 1.1 if digits == 2 else 0.86)
            if marker.shape == "hollow":
                size *= 0.9
            if marker.shape == "triangle":
                size *= 0.85
            ink = "#222" if marker.shape == "hollow" else ink_on(marker.color)
            lift = radius * 0.3 if marker.shape == "triangle" else 0
            circles.append(
                f'<text x="{_n(x)}" y="{_n(y + lift + size * 0.04)}" font-size="{_n(size)}" '
                f'text-anchor="middle" dominant-baseline="central" font-weight="bold" '
                f'fill="{ink}">{marker.number}</text>'
            )
        if len(self.markers) <= 40:
            names = self._name_labels(centres, radius, taken, placed)
        parts += lines + dots + circles + names
        parts += [legend_svg, scale_svg, north_svg]
        if self.note:
            size = 4.5 * s
            width = text_width(self.note, size) + size * 2
            x0, y0 = (self.width - width) / 2, 12 * s
            parts.append(
                f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(width)}" height="{_n(size * 2.2)}" '
                f'fill="#fff" stroke="#222" stroke-width="{_n(0.4 * s)}"/>'
            )
            parts.append(
                _text(self.width / 2, y0 + size * 1.1, self.note, size, weight="bold", halo=False)
            )
        parts.append(
            f'<rect x="0" y="0" width="{_n(self.width)}" height="{_n(self.height)}" '
            f'fill="none" stroke="#222" stroke-width="{_n(0.4 * s)}"/>'
        )
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="map-svg" role="img" '
            f'aria-label="{escape(self.title)}" width="{_n(self.width)}mm" height="{_n(self.height)}mm" '
            f'viewBox="0 0 {_n(self.width)} {_n(self.height)}" font-family="{FONT_FAMILY}">'
            + "".join(parts)
            + "</svg>"
        )

    def _extent(self, focus: list[Outline], points) -> BaseGeometry:
        """What the page must show: the parts of the area that hold markers (an
        island or a port without any resource does not shrink the map), and the
        markers; the whole area when nothing is on the map."""
        pieces = [part for o in focus for part in shapely.get_parts(o.geometry)]
        if len(points) and pieces:
            held = [part for part in pieces if shapely.intersects(part, points).any()]
            return shapely.union_all([*(held or pieces), *points])
        if pieces or len(points):
            return shapely.union_all([*pieces, *points])
        if self.outlines:
            return shapely.union_all([o.geometry for o in self.outlines])
        return box(135.4, 34.6, 135.6, 34.8)

    @staticmethod
    def _moved(anchors: np.ndarray, centres: np.ndarray, radius: float) -> int:
        if not len(anchors):
            return 0
        return int((np.hypot(*(centres - anchors).T) > radius * LEADER_MIN).sum())

    def _legend(self, centres: np.ndarray, focus, moved: bool) -> tuple[str, _Box]:
        s = self.paper_scale
        size = 3.3 * s
        row = size * 1.55
        lines = [(f"{e.label}（{e.count}）", e) for e in self.legend]
        notes = [gettext("数字は一覧の番号")]
        if moved:
            notes.append(gettext("● 線の先が実際の場所"))
        if self.unmapped:
            notes.append(gettext("地図に表示なし %(n)s件") % {"n": self.unmapped})
        title = gettext("凡例")
        width = (
            max(
                [text_width(t, size) + size * 2.2 for t, _ in lines]
                + [text_width(t, size * 0.86) for t in notes]
                + [text_width(title, size)]
            )
            + 4 * s
        )
        height = row * (len(lines) + 1) + row * 0.9 * len(notes) + 3 * s
        corner = self._best_corner(width, height, centres, focus)
        x0, y0 = corner
        out = [
            f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(width)}" height="{_n(height)}" '
            f'fill="#fff" fill-opacity="0.94" stroke="#444" stroke-width="{_n(0.3 * s)}"/>'
        ]
        y = y0 + row * 0.75 + s
        out.append(_text(x0 + 2 * s, y, title, size, anchor="start", weight="bold", halo=False))
        for text, entry in lines:
            y += row
            out.append(
                _symbol(entry.shape, x0 + 2 * s + size * 0.5, y, size * 0.55, entry.color, 0.25 * s)
            )
            out.append(_text(x0 + 2 * s + size * 1.5, y, text, size, anchor="start", halo=False))
        for note in notes:
            y += row * 0.9
            out.append(
                _text(x0 + 2 * s, y, note, size * 0.86, anchor="start", fill="#444", halo=False)
            )
        return "".join(out), _Box(x0, y0, x0 + width, y0 + height)

    def _best_corner(
        self, width: float, height: float, centres: np.ndarray, focus
    ) -> tuple[float, float]:
        pad = 3 * self.paper_scale
        corners = [
            (self.width - width - pad, pad),
            (pad, pad),
            (self.width - width - pad, self.height - height - pad),
            (pad, self.height - height - pad),
        ]

        def cost(corner: tuple[float, float]) -> float:
            x0, y0 = corner
            covered = 0
            if len(centres):
                inside = (
                    (centres[:, 0] > x0 - 4)
                    & (centres[:, 0] < x0 + width + 4)
                    & (centres[:, 1] > y0 - 4)
                    & (centres[:, 1] < y0 + height + 4)
                )
                covered = int(inside.sum())
            overlap = 0.0
            if focus is not None and not focus.is_empty:
                overlap = focus.intersection(box(x0, y0, x0 + width, y0 + height)).area
            return covered * 1000 + overlap

        return min(corners, key=cost)

    def _scale_bar(self, projection: Projection, legend: _Box) -> tuple[str, _Box]:
        s = self.paper_scale
        target_mm = min(self.width * 0.18, 45 * s)
        metres = max(
            (m for m in SCALE_STEPS_M if m / 1000 * projection.mm_per_km <= target_mm),
            default=SCALE_STEPS_M[0],
        )
        length = metres / 1000 * projection.mm_per_km
        label = f"{metres // 1000}km" if metres >= 1000 and metres % 1000 == 0 else f"{metres}m"
        pad = 5 * s
        left = legend.x0 > self.width / 2 or legend.y1 < self.height / 2
        x0 = pad if left else self.width - pad - length
        y = self.height - pad
        bar = 1.2 * s
        out = [
            f'<rect x="{_n(x0 - 1.5 * s)}" y="{_n(y - 7.5 * s)}" width="{_n(length + 3 * s)}" '
            f'height="{_n(9 * s)}" fill="#fff" fill-opacity="0.85"/>',
            f'<rect x="{_n(x0)}" y="{_n(y - bar)}" width="{_n(length / 2)}" height="{_n(bar)}" fill="#222"/>',
            f'<rect x="{_n(x0 + length / 2)}" y="{_n(y - bar)}" width="{_n(length / 2)}" '
            f'height="{_n(bar)}" fill="#fff" stroke="#222" stroke-width="{_n(0.25 * s)}"/>',
            _text(x0, y - 4.2 * s, "0", 2.8 * s, halo=False),
            _text(x0 + length, y - 4.2 * s, label, 2.8 * s, halo=False),
        ]
        return "".join(out), _Box(x0 - 1.5 * s, y - 7.5 * s, x0 + length + 1.5 * s, y + 1.5 * s)

    def _north_arrow(self, legend: _Box, scale: _Box) -> tuple[str, _Box]:
        s = self.paper_scale
        pad = 5 * s
        size = 10 * s
        # Top-left unless the legend sits there; then bottom-left above the scale bar
        # or top-right.
        if not (legend.x0 < self.width / 2 and legend.y0 < self.height / 2):
            cx, top = pad + size / 2, pad
        else:
            cx, top = self.width - pad - size / 2, pad
        out = [
            f'<circle cx="{_n(cx)}" cy="{_n(top + size * 0.62)}" r="{_n(size * 0.62)}" fill="#fff" '
            f'fill-opacity="0.85"/>',
            f'<path d="M{_n(cx)},{_n(top + size * 0.15)} L{_n(cx + size * 0.28)},{_n(top + size)} '
            f'L{_n(cx)},{_n(top + size * 0.78)} Z" fill="#222"/>',
            f'<path d="M{_n(cx)},{_n(top + size * 0.15)} L{_n(cx - size * 0.28)},{_n(top + size)} '
            f'L{_n(cx)},{_n(top + size * 0.78)} Z" fill="#fff" stroke="#222" stroke-width="{_n(0.25 * s)}"/>',
            _text(cx, top + size * 0.02, pgettext("compass", "北"), 3.2 * s, weight="bold"),
        ]
        return "".join(out), _Box(
            cx - size * 0.62, top - 2 * s, cx + size * 0.62, top + size * 1.25
        )

    def _place_area_label(
        self, text: str, size: float, geom: BaseGeometry, taken: list[_Box]
    ) -> tuple[float, float, _Box] | None:
        width = text_width(text, size)
        visible = geom.intersection(box(0, 0, self.width, self.height))
        if visible.is_empty:
            return None
        spots = np.array(_label_spots(visible, step=size * 1.2)).reshape(-1, 2)
        if not len(spots):
            return None
        half_w, half_h = width / 2, size * 0.6
        boxes = np.column_stack(
            [spots[:, 0] - half_w, spots[:, 1] - half_h, spots[:, 0] + half_w, spots[:, 1] + half_h]
        )
        ok = (
            (boxes[:, 0] >= 1)
            & (boxes[:, 1] >= 1)
            & (boxes[:, 2] <= self.width - 1)
            & (boxes[:, 3] <= self.height - 1)
        )
        if taken:
            other = np.array([(b.x0, b.y0, b.x1, b.y1) for b in taken])
            gap = 0.5
            clash = ~(
                (boxes[:, None, 2] + gap <= other[None, :, 0])
                | (other[None, :, 2] + gap <= boxes[:, None, 0])
                | (boxes[:, None, 3] + gap <= other[None, :, 1])
                | (other[None, :, 3] + gap <= boxes[:, None, 1])
            )
            ok &= ~clash.any(axis=1)
        # Prefer a label wholly inside its area; else any free place with its centre inside.
        corners_in = np.ones(len(spots), dtype=bool)
        for cx, cy in ((0, 1), (2, 1), (0, 3), (2, 3)):
            corners_in &= shapely.contains_xy(visible, boxes[:, cx], boxes[:, cy])
        for mask in (ok & corners_in, ok):
            hits = np.flatnonzero(mask)
            if len(hits):
                i = int(hits[0])
                x, y = spots[i]
                return float(x), float(y), _Box(*map(float, boxes[i]))
        return None

    def _name_labels(
        self, centres: np.ndarray, radius: float, taken: list[_Box], placed: list[_Box]
    ) -> list[str]:
        """Short names beside the markers, where they fit without covering anything."""
        s = self.paper_scale
        size = 2.7 * s
        out = []
        boxes = list(taken) + list(placed)
        for marker, (x, y) in zip(self.markers, centres.tolist(), strict=True):
            name = marker.label if len(marker.label) <= 12 else marker.label[:11] + "…"
            if not name:
                continue
            width = text_width(name, size)
            gap = radius + 0.8 * s
            options = [
                (
                    x + gap,
                    y,
                    "start",
                    _Box(x + gap, y - size * 0.6, x + gap + width, y + size * 0.6),
                ),
                (x - gap, y, "end", _Box(x - gap - width, y - size * 0.6, x - gap, y + size * 0.6)),
                (
                    x,
                    y - gap - size * 0.5,
                    "middle",
                    _Box(x - width / 2, y - gap - size * 1.1, x + width / 2, y - gap + size * 0.1),
                ),
                (
                    x,
                    y + gap + size * 0.5,
                    "middle",
                    _Box(x - width / 2, y + gap - size * 0.1, x + width / 2, y + gap + size * 1.1),
                ),
            ]
            for lx, ly, anchor, label_box in options:
                if not label_box.inside(self.width, self.height):
                    continue
                # The marker's own box never meets its label (the gap), so all boxes count.
                if any(label_box.hits(b, 0.3) for b in boxes):
                    continue
                boxes.append(label_box)
                out.append(_text(lx, ly, name, size, anchor=anchor, fill="#222"))
                break
        return out


def spot_map_svg(
    *,
    lat: float,
    lng: float,
    color: str,
    outlines: Sequence[Outline],
    width: float = 80.0,
    height: float = 60.0,
    radius_km: float = 0.9,
    label: str = "",
) -> str:
    """A small map around one resource: area outlines, the place, scale and north."""
    dlat = radius_km / KM_PER_DEGREE
    dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
    projection = Projection((lng - dlng, lat - dlat, lng + dlng, lat + dlat), width, height, 0)
    view = box(*projection.lnglat_bounds())
    page = box(0, 0, width, height)
    parts = [f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#fff"/>']
    labels: list[tuple[Outline, BaseGeometry]] = []
    for kind in ("neighbour", "focus", "part"):
        for outline in (o for o in outlines if o.kind == kind):
            if not outline.geometry.intersects(view):
                continue
            geom = projection.geometry(outline.geometry).simplify(0.1).intersection(page)
            if geom.is_empty:
                continue
            fill = (
                FOCUS_FILL if kind == "focus" else NEIGHBOUR_FILL if kind == "neighbour" else "none"
            )
            stroke = "#222" if kind == "focus" else "#fff" if kind == "neighbour" else "#666"
            parts.append(
                f'<path d="{_path(geom)}" fill="{fill}" stroke="{stroke}" stroke-width="0.5" '
                f'fill-rule="evenodd"/>'
            )
            if outline.label:
                labels.append((outline, geom))
    x, y = projection.xy(lng, lat)
    pin = _Box(x - 12, y - 12, x + 12, y + 6)
    for outline, geom in labels:
        point = geom.representative_point()
        size = 3.0
        w = text_width(outline.label, size)
        label_box = _Box(point.x - w / 2, point.y - 2, point.x + w / 2, point.y + 2)
        if label_box.inside(width, height) and not label_box.hits(pin):
            parts.append(_text(point.x, point.y, outline.label, size, fill=NEIGHBOUR_TEXT))
    parts += [
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="6" fill="{escape(color)}" fill-opacity="0.18"/>',
        f'<path d="M{_n(x)},{_n(y)} L{_n(x - 3.2)},{_n(y - 6)} A3.6,3.6 0 1 1 {_n(x + 3.2)},{_n(y - 6)} Z" '
        f'fill="{escape(color)}" stroke="#1a1a1a" stroke-width="0.5"/>',
        f'<circle cx="{_n(x)}" cy="{_n(y - 7.6)}" r="1.4" fill="#fff" stroke="#1a1a1a" '
        f'stroke-width="0.4"/>',
    ]
    if label:
        parts.append(_text(x, y + 4.5, label, 3.2, weight="bold"))
    furniture = AreaMap(width=width, height=height, outlines=[], markers=[], paper_scale=0.8)
    empty = _Box(width + 1, height + 1, width + 2, height + 2)
    scale_svg, scale_box = furniture._scale_bar(projection, empty)
    north_svg, _ = furniture._north_arrow(empty, scale_box)
    parts += [scale_svg, north_svg]
    parts.append(
        f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="none" stroke="#222" '
        f'stroke-width="0.4"/>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map-svg" width="{_n(width)}mm" '
        f'height="{_n(height)}mm" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'font-family="{FONT_FAMILY}">' + "".join(parts) + "</svg>"
    )
