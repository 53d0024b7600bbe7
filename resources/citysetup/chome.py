"""The city's 町丁: read (e-Stat 小地域 CSV or GeoJSON, 位置参照情報), cut to the
city, each placed in its tier-1 area.

A 町丁 goes to the ward its code begins with (the first five digits of an
e-Stat KEY_CODE or a 位置参照情報 code are the municipality's), else the ward it
names, else the ward its point lies in, else the nearest ward: the simplified
ward outlines put about 3% of points in the wrong ward (SOURCES.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from shapely.geometry import Point

from portal.address_points import Row, parse_features, parse_rows
from portal.files import UndecodableFile, decode_bytes
from portal.sheets import Problem
from portal.text import name_key, normalize_address
from resources.citysetup.outline import Outline

WHERE = "町丁"
# A 町丁 point this far outside the city's outline is named in a warning.
OUTSIDE_WARNING_DEGREES = 0.01  # about 1 km


@dataclass
class Chome:
    row: Row
    tier1: str  # the code of its tier-1 area
    key: str  # its name as addresses are compared (normalize_address)


@dataclass
class ChomeList:
    chome: list[Chome] = field(default_factory=list)
    has_shapes: bool = False  # every 町丁 came with its polygon
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def chome_read(data: bytes, filename: str, *, city_name: str, outline: Outline) -> ChomeList:
    found = ChomeList()
    try:
        text, _encoding = decode_bytes(data)
    except UndecodableFile as exc:
        found.problems.append(Problem(exc.line, WHERE, str(exc)))
        return found
    try:
        if filename.lower().endswith((".geojson", ".json")) or text.lstrip().startswith("{"):
            rows = parse_features(json.loads(text))
        else:
            rows = parse_rows(text)
    except json.JSONDecodeError as exc:
        found.problems.append(
            Problem(exc.lineno, WHERE, f"GeoJSON として読めません（{exc.msg}）。")
        )
        return found
    except ValueError as exc:
        found.problems.append(Problem(None, WHERE, str(exc)))
        return found
    city_key = name_key(city_name)
    mine = [row for row in rows if name_key(row.city) == city_key]
    others = sorted({row.city for row in rows if name_key(row.city) != city_key})
    if not mine:
        found.problems.append(
            Problem(
                None,
                WHERE,
                f"「{city_name}」の町丁がありません（ファイルにある市区町村: {'、'.join(others)[:200] or 'なし'}）。",
            )
        )
        return found
    if others:
        found.warnings.append(
            Problem(
                None,
                WHERE,
                f"{city_name}以外の町丁（{'、'.join(others)[:200]}）は読みません。",
            )
        )
    found.has_shapes = all(row.shape is not None for row in mine)
    by_code = {area.code: area for area in outline.areas}
    by_name = {name_key(area.name): area for area in outline.areas}
    city_shape = outline.shape
    outside: list[str] = []
    for row in sorted(mine, key=lambda r: r.code):
        point = Point(row.lng, row.lat)
        if len(outline.areas) == 1:
            tier1 = outline.areas[0]
        else:
            tier1 = (
                by_code.get(row.code[:5])
                or by_name.get(name_key(row.ward))
                or next((a for a in outline.areas if a.shape.covers(point)), None)
                or min(outline.areas, key=lambda a: a.shape.distance(point))
            )
        if city_shape.distance(point) > OUTSIDE_WARNING_DEGREES:
            outside.append(f"{row.ward}{row.name}")
        found.chome.append(Chome(row, tier1.code, normalize_address(row.name)))
    if outside:
        found.warnings.append(
            Problem(
                None,
                WHERE,
                f"代表点が{city_name}の境界から1km以上離れている町丁があります（ファイルを確かめてください）: "
                + "、".join(outside[:20])
                + (f" ほか{len(outside) - 20}件" if len(outside) > 20 else ""),
            )
        )
    return found
