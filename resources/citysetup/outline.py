"""The city's outline (国土数値情報 行政区域, GeoJSON): the city, or its wards.

A 行政区域 file holds one feature per piece of a municipality (an island is a
piece of its own), with ``N03_001`` the prefecture, ``N03_003`` the 政令市 of a
ward, ``N03_004`` the municipality or ward and ``N03_007`` its code. A file of
the whole prefecture is cut to the city by name or code. One code left is the
city itself as tier 1 (川口市, 港区); several are its wards (大阪市).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from portal import parsers
from portal.files import UndecodableFile, decode_bytes
from portal.geo import boundary_error
from portal.sheets import Problem
from portal.text import name_key

CODE_PROPERTIES = ("N03_007", "code", "区域コード")
NAME_PROPERTIES = ("N03_004", "name", "名称")
PREFECTURE_PROPERTIES = ("N03_001", "prefecture", "都道府県")


@dataclass
class Tier1:
    code: str
    name: str
    shape: BaseGeometry


@dataclass
class Outline:
    areas: list[Tier1] = field(default_factory=list)
    prefecture: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_wards(self) -> bool:
        return len(self.areas) > 1

    @property
    def shape(self) -> BaseGeometry:
        return unary_union([a.shape for a in self.areas])


def _first(properties: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = properties.get(name)
        if value not in (None, ""):
            return parsers.text(parsers.nfkc(value))
    return ""


def outline_read(data: bytes, *, city_name: str, city_code: str) -> Outline:
    """The tier-1 areas of ``data``; problems in Japanese (then no areas)."""
    outline = Outline()
    where = "行政区域"
    try:
        text, _encoding = decode_bytes(data)
        document = json.loads(text)
    except (UndecodableFile, json.JSONDecodeError) as exc:
        outline.problems.append(Problem(None, where, f"GeoJSON として読めません（{exc}）。"))
        return outline
    features = document.get("features") if isinstance(document, dict) else None
    if isinstance(document, dict) and document.get("type") == "Feature":
        features = [document]
    if not isinstance(features, list) or not features:
        outline.problems.append(
            Problem(None, where, "GeoJSON の FeatureCollection（地物のあるもの）ではありません。")
        )
        return outline

    city_key = name_key(city_name)
    pieces: list[tuple[str, str, dict, dict]] = []  # code, name, properties, feature
    for feature in features:
        properties = (feature or {}).get("properties") or {}
        code = _first(properties, CODE_PROPERTIES)
        pieces.append((code, _first(properties, NAME_PROPERTIES), properties, feature))
    mine = [
        piece
        for piece in pieces
        if piece[0] == city_code
        or name_key(piece[1]) == city_key
        or name_key(_first(piece[2], ("N03_003",))) == city_key
    ]
    if not mine:
        if any(code or name for code, name, *_rest in pieces):
            names = "、".join(dict.fromkeys(name or code for code, name, *_r in pieces))
            outline.problems.append(
                Problem(
                    None,
                    where,
                    f"「{city_name}」（{city_code}）の地物がありません（ファイルにあるのは {names[:200]}）。",
                )
            )
            return outline
        mine = pieces  # a file of this city alone, without the N03 attributes
    grouped: dict[str, tuple[str, list[BaseGeometry]]] = {}
    for number, (code, name, properties, feature) in enumerate(mine, start=1):
        geometry = (feature or {}).get("geometry")
        problem = boundary_error(geometry) if geometry else "境界（geometry）がありません。"
        if problem:
            outline.problems.append(Problem(None, f"{where} {number}番目の地物", problem))
            continue
        outline.prefecture = outline.prefecture or _first(properties, PREFECTURE_PROPERTIES)
        key = code or name or city_code
        entry = grouped.setdefault(key, (name, []))
        entry[1].append(shape(geometry))
    if outline.problems:
        return outline
    if len(grouped) == 1:
        # The city itself: its code and name as given, whatever the file calls it.
        ((_name, shapes),) = grouped.values()
        outline.areas.append(Tier1(city_code, city_name, _clean(shapes)))
        return outline
    for code, (name, shapes) in sorted(grouped.items()):
        if not code.isdigit() or not name:
            outline.problems.append(
                Problem(
                    None,
                    where,
                    f"区の地物に区域コード（N03_007）と名称（N03_004）が必要です: {code} {name}",
                )
            )
            continue
        outline.areas.append(Tier1(code, name, _clean(shapes)))
    return outline


def _clean(shapes: list[BaseGeometry]) -> BaseGeometry:
    import shapely

    geom = shapes[0] if len(shapes) == 1 else unary_union(shapes)
    return geom if geom.is_valid else shapely.make_valid(geom)
