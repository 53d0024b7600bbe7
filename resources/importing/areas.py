"""Areas (第1層・第2層) with their boundaries from GeoJSON: ``manage.py import_areas``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from portal import parsers
from portal.files import UndecodableFile, decode_bytes
from portal.models import Area
from portal.sheets import MB, Problem

AREA_CODE_PROPERTIES = ("code", "区域コード", "N03_007", "KEY_CODE", "id")
AREA_NAME_PROPERTIES = ("name", "名称", "区域名", "N03_004", "MOJI")
AREA_PARENT_PROPERTIES = ("parent", "parent_code", "親区域コード", "第1層")
AREA_TIER_PROPERTIES = ("tier", "層")
AREA_KANA_PROPERTIES = ("kana", "よみがな")


@dataclass
class AreaImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    written: bool = False

    def summary(self) -> str:
        return f"新規 {self.created}件、更新 {self.updated}件、変更なし {self.unchanged}件"


def _first(properties: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = properties.get(name)
        if value not in (None, ""):
            return parsers.nfkc(value)
    return ""


def areas_import(
    data: bytes,
    *,
    tier: int | None = None,
    parent: str = "",
    dry_run: bool = False,
    max_bytes: int = 100 * MB,
) -> AreaImportResult:
    """Create or update areas from a GeoJSON FeatureCollection, all or nothing.

    Each feature gives a code (``code`` / ``N03_007`` …), a name (``name`` /
    ``N03_004`` …), optionally ``tier`` and ``parent`` (the code of its tier-1
    area); ``tier`` and ``parent`` arguments apply to features without them.
    Features with the same code are one area (a ward drawn in several pieces).
    Idempotent by code: an area whose name, tier, parent and boundary are the
    same is left alone.
    """
    import json

    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    from portal.geo import boundary_error, reset_locator

    result = AreaImportResult()
    if len(data) > max_bytes:
        result.errors.append(
            Problem(None, "", f"ファイルが大きすぎます（{len(data) / MB:.1f} MB）。")
        )
        return result
    try:
        text, _encoding = decode_bytes(data)
        document = json.loads(text)
    except UndecodableFile as exc:
        result.errors.append(Problem(exc.line, "", str(exc)))
        return result
    except json.JSONDecodeError as exc:
        result.errors.append(
            Problem(exc.lineno, "", f"GeoJSON として読めません（{exc.colno}文字目: {exc.msg}）。")
        )
        return result
    if isinstance(document, dict) and document.get("type") == "Feature":
        features = [document]
    elif isinstance(document, dict) and isinstance(document.get("features"), list):
        features = document["features"]
    else:
        result.errors.append(Problem(None, "", "GeoJSON の FeatureCollection ではありません。"))
        return result
    if not features:
        result.errors.append(Problem(None, "", "地物（feature）が1つもありません。"))
        return result

    planned: dict[str, dict] = {}
    for number, feature in enumerate(features, start=1):
        where = f"{number}番目の地物"
        properties = (feature or {}).get("properties") or {}
        geometry = (feature or {}).get("geometry")
        code, name = (
            _first(properties, AREA_CODE_PROPERTIES),
            parsers.text(_first(properties, AREA_NAME_PROPERTIES)),
        )
        if not code or not name:
            result.errors.append(
                Problem(None, where, "区域コード（code）と名称（name）が必要です。")
            )
            continue
        problem = (
            boundary_error(geometry) if geometry is not None else "境界（geometry）がありません。"
        )
        if problem:
            result.errors.append(Problem(None, f"{where}（{code} {name}）", problem))
            continue
        raw_tier = _first(properties, AREA_TIER_PROPERTIES)
        parent_code = _first(properties, AREA_PARENT_PROPERTIES) or parent
        feature_tier = (
            int(raw_tier) if raw_tier in ("1", "2") else tier or (2 if parent_code else 1)
        )
        entry = planned.setdefault(
            code,
            {
                "name": name,
                "kana": parsers.text(_first(properties, AREA_KANA_PROPERTIES)),
                "tier": feature_tier,
                "parent": parent_code if feature_tier == 2 else "",
                "shapes": [],
            },
        )
        entry["shapes"].append(shape(geometry.get("geometry", geometry)))
    existing = {area.code: area for area in Area.objects.filter(code__in=list(planned))}
    parents = {a.code: a for a in Area.objects.filter(tier=Area.Tier.CITY)}
    for code, entry in planned.items():
        if (
            entry["tier"] == 2
            and entry["parent"] not in parents
            and not (entry["parent"] in planned and planned[entry["parent"]]["tier"] == 1)
        ):
            result.errors.append(
                Problem(
                    None,
                    f"{code} {entry['name']}",
                    f"第1層の区域「{entry['parent']}」がありません。",
                )
            )
        geom = entry["shapes"][0] if len(entry["shapes"]) == 1 else unary_union(entry["shapes"])
        entry["boundary"] = json.loads(json.dumps(mapping(geom)))
    if result.errors:
        return result

    def write() -> None:
        for wanted_tier in (1, 2):
            for code, entry in planned.items():
                if entry["tier"] != wanted_tier:
                    continue
                area = existing.get(code) or Area(code=code)
                parent_area = parents.get(entry["parent"]) if entry["parent"] else None
                before = (area.name, area.tier, area.parent_id, area.boundary, area.kana)
                area.name, area.tier, area.parent = entry["name"], entry["tier"], parent_area
                area.kana = entry["kana"] or area.kana
                if area.boundary != entry["boundary"]:
                    area.boundary = entry["boundary"]
                    area.centroid_lat = area.centroid_lng = None  # recomputed on save
                after = (area.name, area.tier, area.parent_id, area.boundary, area.kana)
                if area.pk and before == after:
                    result.unchanged += 1
                    continue
                try:
                    area.full_clean()
                except ValidationError as exc:
                    messages = "、".join(m for ms in exc.message_dict.values() for m in ms)
                    result.errors.append(Problem(None, f"{code} {entry['name']}", messages))
                    continue
                created = not area.pk
                area.save()  # a dry run rolls back below
                if wanted_tier == 1:
                    parents[code] = area
                if created:
                    result.created += 1
                else:
                    result.updated += 1
        if result.errors:
            raise _AreaRollback

    try:
        with transaction.atomic():
            write()
            if dry_run:
                raise _AreaRollback
    except _AreaRollback:
        return result
    result.written = True
    reset_locator()
    return result


class _AreaRollback(Exception):
    pass
