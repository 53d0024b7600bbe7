"""resources.svgmap: the server-side SVG of printed maps."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
from shapely.geometry import box, shape

from resources.svgmap import (
    AreaMap,
    LegendEntry,
    Marker,
    Outline,
    Projection,
    spot_map_svg,
    spread,
)
from tests.conftest import square

SVG = "{http://www.w3.org/2000/svg}"


def kita_map(markers: list[Marker], **extra) -> AreaMap:
    return AreaMap(
        width=281,
        height=172,
        outlines=[
            Outline(shape(square(135.48, 34.69, 0.04)), "", "focus"),
            Outline(shape(square(135.48, 34.69, 0.02)), "第1圏域", "part"),
            Outline(shape(square(135.43, 34.65, 0.05)), "港区", "neighbour"),
        ],
        markers=markers,
        legend=[LegendEntry("運動", "#1b7a5a", len(markers))],
        **extra,
    )


def test_the_projection_keeps_north_up_and_distances_true():
    projection = Projection((135.48, 34.69, 135.52, 34.73), 200, 200, margin=0)
    x_west, y_south = projection.xy(135.48, 34.69)
    x_east, y_north = projection.xy(135.52, 34.73)
    assert x_east > x_west and y_north < y_south
    # 0.04° of longitude is shorter than 0.04° of latitude at 34.7°N: cos(34.71°) = 0.822.
    assert 0.8 < (x_east - x_west) / (y_south - y_north) < 0.85


def test_spread_markers_do_not_overlap_and_stay_near_their_place():
    anchors = np.array([[100.0, 80.0]] * 12 + [[101.0, 80.5]] * 6 + [[30.0, 30.0]])
    radius = 2.6
    placed = spread(anchors, radius, 281, 172)
    distances = np.hypot(*(placed[:, None, :] - placed[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(distances, np.inf)
    assert distances.min() >= 2 * radius - 0.2
    assert np.hypot(*(placed - anchors).T).max() < 25
    assert np.allclose(placed[-1], anchors[-1])  # a lone marker stays put
    assert np.allclose(spread(anchors, radius, 281, 172), placed)  # the same every time


def test_the_map_has_numbered_coloured_markers_legend_scale_and_north():
    markers = [
        Marker(n, 34.70 + n * 0.002, 135.49 + n * 0.002, "#1b7a5a", f"会{n}") for n in range(1, 9)
    ]
    svg = kita_map(markers).svg()
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for n in range(1, 9):
        assert str(n) in texts
    assert "凡例" in texts and "運動（8）" in texts and "北" in texts
    assert any(t and re.fullmatch(r"\d+(m|km)", t) for t in texts)  # the scale bar
    assert "第1圏域" in texts and "港区" in texts
    assert svg.count('fill="#1b7a5a"') >= 9  # the markers and the legend
    assert root.get("width") == "281mm"


def test_markers_of_shapes_per_group_and_hollow_without_category():
    markers = [
        Marker(1, 34.70, 135.49, "#b45309", "", "square"),
        Marker(2, 34.71, 135.50, "#555555", "", "hollow"),
    ]
    svg = kita_map(markers).svg()
    assert 'fill="#b45309"' in svg and "<rect" in svg
    assert 'fill="#fff" stroke="#333"' in svg


def test_light_colours_carry_a_dark_number_and_every_shape_is_drawn():
    markers = [
        Marker(1, 34.70, 135.49, "#F0E442", "", "triangle"),  # Okabe–Ito yellow
        Marker(2, 34.71, 135.50, "#0072B2", "", "diamond"),  # Okabe–Ito blue
    ]
    root = ET.fromstring(kita_map(markers).svg())
    inks = {t.text: t.get("fill") for t in root.iter(f"{SVG}text") if t.text in ("1", "2")}
    assert inks == {"1": "#000000", "2": "#FFFFFF"}
    filled = [p for p in root.iter(f"{SVG}polygon") if p.get("fill") in ("#F0E442", "#0072B2")]
    assert len(filled) == 2 and all(p.get("stroke") == "#1a1a1a" for p in filled)


def test_a_marker_outside_the_area_is_still_on_the_page():
    svg = kita_map([Marker(1, 34.60, 135.40)]).svg()
    root = ET.fromstring(svg)
    circles = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == "#555555"]
    page = box(0, 0, 281, 172)
    assert circles and all(
        page.contains(
            box(
                float(c.get("cx")) - 1,
                float(c.get("cy")) - 1,
                float(c.get("cx")) + 1,
                float(c.get("cy")) + 1,
            )
        )
        for c in circles
    )


def test_the_legend_counts_unmapped_resources():
    svg = kita_map([Marker(1, 34.70, 135.49)], unmapped=3).svg()
    assert "地図に表示なし 3件" in svg


def test_an_empty_map_still_draws_the_area():
    svg = kita_map([]).svg()
    assert "<path" in svg and "凡例" in svg


def test_the_spot_map_has_the_place_a_scale_and_north():
    svg = spot_map_svg(
        lat=34.70,
        lng=135.49,
        color="#1b7a5a",
        outlines=[Outline(shape(square(135.48, 34.69, 0.02)), "北区 第1圏域", "focus")],
    )
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "北" in texts and any(t and t.endswith("m") for t in texts)
    assert 'fill="#1b7a5a"' in svg


def test_an_island_without_resources_does_not_shrink_the_map():
    mainland = shape(square(135.43, 34.66, 0.02))
    island = shape(square(135.35, 34.60, 0.01))
    area = AreaMap(
        width=281,
        height=172,
        outlines=[Outline(mainland.union(island), "", "focus")],
        markers=[Marker(1, 34.665, 135.435), Marker(2, 34.675, 135.445)],
    )
    root = ET.fromstring(area.svg())
    circles = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == "#555555"]
    xs = [float(c.get("cx")) for c in circles]
    # Fitted to the mainland (0.02° across), the two markers sit far apart.
    assert max(xs) - min(xs) > 40
