"""Setting up a city from public data: ``manage.py setup_city`` and its staff page.

What an admin brings, and what becomes of it:

- the outline (国土数値情報 行政区域 GeoJSON): tier 1 — the city itself
  (川口市, 港区), or its wards (大阪市) when the file holds several (``outline``);
- the 町丁 (e-Stat 小地域 CSV or boundary GeoJSON, or 位置参照情報 CSV): the
  address table, each 町丁 in its tier-1 area (``chome``);
- the 圏域 table (``圏域``, ``町丁``, optional ``第1層``): tier 2, each 圏域 with
  its 町丁 (``table``), its boundary the union of their polygons or of their
  points' Voronoi cells, cut to the city (``shapes``).

``city_setup`` checks everything before it writes, then writes all of it in one
transaction (or nothing: a dry run, or any problem): the city's settings
(``portal.Municipality``), the areas, the 町丁 with their 圏域 — so addresses
land in the right 圏域 — and the areas of the resources already registered
(``resources_area_refresh``). Run again with the same files it changes nothing;
with a new table, 圏域 keep their codes by name.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import ProtectedError
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from portal.address_points import address_points_write
from portal.cache import data_changed
from portal.models import AddressPoint, Area, Municipality
from portal.municipality import check_digit, code_with_check_digit, municipality_save
from portal.sheets import Problem
from portal.text import name_key
from resources.citysetup.chome import ChomeList, chome_read
from resources.citysetup.outline import Outline, outline_read
from resources.citysetup.shapes import district_shapes, polygonal
from resources.citysetup.table import TABLE_COLUMNS, Assignment, table_assign, table_read
from resources.services import resources_area_refresh

__all__ = ["TABLE_COLUMNS", "CitySetupResult", "city_setup"]

UNNAMED_SHOWN = 50


@dataclass
class AreaOutcome:
    code: str
    name: str
    tier: int
    parent: str = ""
    chome: int = 0
    population: int = 0
    action: str = ""  # new / updated / unchanged


@dataclass
class CitySetupResult:
    city_name: str = ""
    dry_run: bool = True
    written: bool = False
    has_wards: bool = False
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    areas: list[AreaOutcome] = field(default_factory=list)
    chome_total: int = 0
    unnamed: list[str] = field(default_factory=list)  # 町丁 the table does not name
    removed: list[str] = field(default_factory=list)  # 圏域 no longer in the table
    kept: list[str] = field(default_factory=list)  # … still holding records
    resources_moved: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, tier: int, action: str = "") -> int:
        return sum(1 for a in self.areas if a.tier == tier and (not action or a.action == action))

    def summary(self) -> str:
        tier1 = "区" if self.has_wards else "第1層"
        parts = [
            f"{tier1} {self.count(1)}",
            f"圏域 {self.count(2)}（新規 {self.count(2, 'new')}、更新 {self.count(2, 'updated')}）",
            f"町丁 {self.chome_total}（圏域のない町丁 {len(self.unnamed)}）",
            f"区域の変わる地域資源 {self.resources_moved}件",
        ]
        if self.removed:
            parts.append(f"なくなる圏域 {len(self.removed)}")
        return "、".join(parts)


class _Rollback(Exception):
    pass


def city_setup(
    *,
    name: str,
    code: str,
    outline: bytes,
    chome: bytes,
    chome_filename: str = "",
    table: bytes | None = None,
    table_filename: str = "",
    prefecture: str = "",
    dry_run: bool = False,
    by=None,
) -> CitySetupResult:
    """Set the city up from its files, all or nothing (see the module's doc)."""
    name = name.strip()
    result = CitySetupResult(city_name=name, dry_run=dry_run)
    code6 = _code(code, result)
    if not name:
        result.errors.append(Problem(None, "--name", "自治体名を指定してください（例: 川口市）。"))
    if result.errors:
        return result
    shape = outline_read(outline, city_name=name, city_code=code6[:5])
    result.errors += shape.problems
    if result.errors:
        return result
    result.has_wards = shape.has_wards
    points = chome_read(chome, chome_filename, city_name=name, outline=shape)
    result.errors += points.problems
    result.warnings += points.warnings
    if result.errors:
        return result
    result.chome_total = len(points.chome)
    prefecture = prefecture.strip() or shape.prefecture
    assignment = Assignment()
    if table is not None:
        rows, problems, warnings = table_read(table, table_filename or "table.csv")
        result.errors += problems
        result.warnings += warnings
        assignment = table_assign(rows, points.chome, shape, city_name=name, prefecture=prefecture)
        result.errors += assignment.problems
        result.warnings += assignment.warnings
        result.unnamed = [f"{c.row.ward}{c.row.name}" for c in assignment.unnamed]
        if result.unnamed and not result.errors:
            shown = "、".join(result.unnamed[:UNNAMED_SHOWN])
            more = len(result.unnamed) - UNNAMED_SHOWN
            result.warnings.append(
                Problem(
                    None,
                    "町丁",
                    f"圏域の表にない町丁が {len(result.unnamed)}件あります（第1層の区域に入れ、"
                    f"圏域には入れません）: {shown}" + (f" ほか{more}件" if more > 0 else ""),
                )
            )
    if result.errors:
        return result
    others = Area.objects.tier1().exclude(code__in=[a.code for a in shape.areas])
    if others.exists():
        names = "、".join(others.values_list("name", flat=True)[:10])
        result.warnings.append(
            Problem(
                None,
                "第1層",
                f"ほかの第1層の区域（{names}）が登録されています。setup_city はそれらを変えません。",
            )
        )
    boundaries = _boundaries(shape, points, assignment, result)
    try:
        with transaction.atomic():
            _write(
                name=name,
                code6=code6,
                prefecture=prefecture,
                outline=shape,
                points=points,
                assignment=assignment,
                boundaries=boundaries,
                result=result,
                by=by,
            )
            if dry_run or result.errors:
                raise _Rollback
    except _Rollback:
        return result
    result.written = True
    return result


def _code(code: str, result: CitySetupResult) -> str:
    code = (code or "").strip()
    code6 = code_with_check_digit(code)
    if not code6:
        result.errors.append(
            Problem(
                None,
                "--code",
                f"全国地方公共団体コード「{code}」は5桁か6桁（検査数字つき）の数字で指定してください（例: 11203 または 112038）。",
            )
        )
    elif len(code) == 6 and check_digit(code[:5]) != code[5]:
        result.errors.append(
            Problem(
                None,
                "--code",
                f"全国地方公共団体コード「{code}」の検査数字が合いません（{code[:5]} なら {code6[:5]}{check_digit(code[:5])}）。",
            )
        )
    return code6


def _boundaries(
    outline: Outline, points: ChomeList, assignment: Assignment, result: CitySetupResult
) -> dict[tuple[str, str], BaseGeometry | None]:
    """Each 圏域's boundary, by (tier-1 code, 圏域 name)."""
    found: dict[tuple[str, str], BaseGeometry | None] = {}
    for tier1 in outline.areas:
        members = {d.name: d.chome for d in assignment.districts if d.tier1 == tier1.code}
        if not members:
            continue
        in_area = [c for c in points.chome if c.tier1 == tier1.code]
        shapes = district_shapes(members, tier1.shape, in_area, use_polygons=points.has_shapes)
        for district_name, geom in shapes.items():
            if geom is None:
                result.warnings.append(
                    Problem(
                        None,
                        "圏域",
                        f"圏域「{district_name}」の町丁はどれも{tier1.name}の境界の外にあるため、境界を作れません。",
                    )
                )
            found[(tier1.code, district_name)] = geom
    return found


def _geojson(geom: BaseGeometry | None) -> dict | None:
    return json.loads(json.dumps(mapping(geom))) if geom is not None else None


def _map_view(geom: BaseGeometry) -> tuple[float, float, int]:
    """A centre and a zoom that show the whole city on a map some 600 px wide."""
    minx, miny, maxx, maxy = geom.bounds
    span = max(maxx - minx, (maxy - miny) * 1.2, 1e-4)
    zoom = int(min(15, max(9, math.floor(math.log2(600 * 360 / (256 * span))))))
    centre = geom.centroid if geom.covers(geom.centroid) else geom.representative_point()
    return round(centre.y, 6), round(centre.x, 6), zoom


def _area_write(area: Area, fields: dict, result: CitySetupResult, outcome: AreaOutcome) -> Area:
    """Set ``fields`` on ``area`` and save it when anything changed."""
    changed = area.pk is None or any(getattr(area, k) != v for k, v in fields.items())
    for key, value in fields.items():
        setattr(area, key, value)
    outcome.action = "new" if area.pk is None else "updated" if changed else "unchanged"
    result.areas.append(outcome)
    if changed:
        area.full_clean()
        area.save()
    return area


def _write(
    *,
    name: str,
    code6: str,
    prefecture: str,
    outline: Outline,
    points: ChomeList,
    assignment: Assignment,
    boundaries: dict,
    result: CitySetupResult,
    by,
) -> None:
    city_shape = outline.shape
    settings_fields = {
        "name": name,
        "prefecture": prefecture,
        "code": code6,
        "has_wards": outline.has_wards,
    }
    current = Municipality.objects.filter(pk=1).first()
    if current is None or current.name != name or current.center_lat is None:
        # The map's view is the city's own only until the admin sets another.
        lat, lng, zoom = _map_view(city_shape)
        settings_fields |= {"center_lat": lat, "center_lng": lng, "zoom": zoom}
    if current is None or current.name != name:
        settings_fields["name_en"] = ""  # the environment's English name is another city's
    municipality_save(**settings_fields)

    population: dict[str, int] = {}
    for item in points.chome:
        population[item.tier1] = population.get(item.tier1, 0) + (item.row.population or 0)
    tier1_areas: dict[str, Area] = {}
    existing = {a.code: a for a in Area.objects.filter(code__in=[t.code for t in outline.areas])}
    for order, tier1 in enumerate(outline.areas, start=1):
        geom = polygonal(tier1.shape)
        point = geom.representative_point()
        area = existing.get(tier1.code) or Area(code=tier1.code)
        tier1_areas[tier1.code] = _area_write(
            area,
            {
                "tier": Area.Tier.CITY,
                "parent": None,
                "name": tier1.name,
                "boundary": _geojson(geom),
                "centroid_lat": round(point.y, 6),
                "centroid_lng": round(point.x, 6),
                "population": population.get(tier1.code) or None,
                "sort_order": order,
            },
            result,
            AreaOutcome(
                tier1.code,
                tier1.name,
                1,
                chome=sum(1 for c in points.chome if c.tier1 == tier1.code),
                population=population.get(tier1.code, 0),
            ),
        )

    area_of_chome: dict[str, Area] = {
        item.row.code: tier1_areas[item.tier1] for item in points.chome
    }
    if not assignment.rows:
        # No table this time: 町丁 already in a 圏域 of their tier-1 area stay there.
        for code, parent_code in AddressPoint.objects.filter(
            code__in=list(area_of_chome), area__parent__isnull=False
        ).values_list("code", "area__parent__code"):
            if area_of_chome[code].code == parent_code:
                del area_of_chome[code]
    leftovers: dict[int, Area] = {}
    for tier1_code, parent in tier1_areas.items():
        children = {name_key(a.name): a for a in Area.objects.filter(parent=parent)}
        taken = set(
            Area.objects.filter(code__startswith=f"{tier1_code}-").values_list("code", flat=True)
        )
        number = 0
        districts = [d for d in assignment.districts if d.tier1 == tier1_code]
        for order, district in enumerate(districts, start=1):
            area = children.pop(name_key(district.name), None)
            if area is None:
                number += 1
                while f"{tier1_code}-{number}" in taken:
                    number += 1
                area = Area(code=f"{tier1_code}-{number}")
                taken.add(area.code)
            geom = boundaries.get((tier1_code, district.name))
            point = geom.representative_point() if geom is not None else None
            people = sum(c.row.population or 0 for c in district.chome)
            area = _area_write(
                area,
                {
                    "tier": Area.Tier.DISTRICT,
                    "parent": parent,
                    "name": district.name,
                    "boundary": _geojson(geom),
                    "centroid_lat": round(point.y, 6) if point else parent.centroid_lat,
                    "centroid_lng": round(point.x, 6) if point else parent.centroid_lng,
                    "population": people or None,
                    "sort_order": parent.sort_order * 1000 + order,
                },
                result,
                AreaOutcome(
                    area.code,
                    district.name,
                    2,
                    parent=parent.name,
                    chome=len(district.chome),
                    population=people,
                ),
            )
            for item in district.chome:
                area_of_chome[item.row.code] = area
        if assignment.districts or assignment.rows:
            leftovers |= {a.pk: a for a in children.values()}

    address_points_write([c.row for c in points.chome], areas_by_code=area_of_chome)
    for area in leftovers.values():
        label = area.label
        if area.users.exists():
            result.kept.append(label)
            continue
        try:
            with transaction.atomic():
                area.delete()
            result.removed.append(label)
        except ProtectedError:
            result.kept.append(label)
    if result.kept:
        result.warnings.append(
            Problem(
                None,
                "圏域",
                "表にない圏域のうち、地域資源・活動記録・協議体・担当者が属しているものは残しました"
                f"（管理画面で移してから消してください）: {'、'.join(result.kept)}",
            )
        )
    data_changed()  # areas written: the locator of the next step follows
    result.resources_moved = resources_area_refresh(
        reason="自治体の区域の設定（setup_city）", by=by
    )
