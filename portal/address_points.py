"""Loading the 町丁 table from e-Stat 小地域 or 位置参照情報 (大字・町丁目) CSV files,
or from e-Stat 小地域 boundaries as GeoJSON (the same attributes, with each 町丁's
polygon: ``parse_features``)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from portal.cache import data_changed
from portal.files import read_text
from portal.models import AddressPoint, Area
from portal.text import normalize_address


@dataclass
class Row:
    code: str
    city: str
    ward: str
    name: str
    lat: float
    lng: float
    population: int | None = None
    households: int | None = None
    part_area: float = 0.0
    shape: object = None  # the 町丁's polygon (shapely), when the file has one


_WARD_OF_CITY = re.compile(r"(.+市)(.+区)")
# e-Stat 小地域: HCODE 8101 is a 町丁・字, 8154 a 水面調査区 (water, no 町丁 name).
WATER_HCODE = "8154"


def _int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(float(value)) if value else None


def parse_rows(text: str) -> list[Row]:
    """Rows of either format, recognised by its header."""
    reader = csv.DictReader(io.StringIO(text))
    header = set(reader.fieldnames or [])
    rows: list[Row] = []
    if {"KEY_CODE", "MOJI", "X_CODE", "Y_CODE"} <= header:  # e-Stat 小地域
        for line, record in enumerate(reader, start=2):
            if _is_water(record):
                continue
            try:
                rows.append(_estat_row(record))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{line}行目: 読み取れない値があります（{exc}）") from exc
    elif {
        "大字町丁目コード",
        "大字町丁目名",
        "緯度",
        "経度",
        "市区町村名",
    } <= header:  # 位置参照情報
        for line, record in enumerate(reader, start=2):
            city_ward = record["市区町村名"].strip()
            # 大阪市北区 is a ward of a 政令市; 港区, 四日市市 and 市川市 are cities.
            designated = _WARD_OF_CITY.fullmatch(city_ward)
            city, ward = designated.groups() if designated else (city_ward, "")
            try:
                rows.append(
                    Row(
                        code=record["大字町丁目コード"].strip(),
                        city=city,
                        ward=ward,
                        name=record["大字町丁目名"].strip(),
                        lat=float(record["緯度"]),
                        lng=float(record["経度"]),
                    )
                )
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{line}行目: 読み取れない値があります（{exc}）") from exc
    else:
        raise ValueError("e-Stat 小地域 または 位置参照情報（大字・町丁目）の CSV ではありません。")
    return _merge_parts(rows)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _is_water(record: dict) -> bool:
    """A 水面調査区 of e-Stat: a piece of sea or river, not a 町丁."""
    return str(record.get("HCODE") or "").strip() == WATER_HCODE or not str(
        record.get("MOJI") or ""
    ).strip(" ‐-ー－")


def _estat_row(record: dict) -> Row:
    return Row(
        code=str(record["KEY_CODE"]).strip(),
        city=str(record.get("GST_NAME") or "").strip(),
        ward=str(record.get("CSS_NAME") or "").strip(),
        name=str(record["MOJI"]).strip(),
        lat=float(record["Y_CODE"]),
        lng=float(record["X_CODE"]),
        population=_int_or_none(_text(record.get("JINKO"))),
        households=_int_or_none(_text(record.get("SETAI"))),
        part_area=float(record.get("AREA") or 0),
    )


def parse_features(document: dict) -> list[Row]:
    """The 町丁 of e-Stat 小地域 boundaries as a GeoJSON FeatureCollection: the
    attributes of the CSV (KEY_CODE, GST_NAME, CSS_NAME, MOJI, JINKO …) with each
    町丁's polygon; the point is X_CODE/Y_CODE, or a point inside the polygon."""
    from shapely.geometry import shape

    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or not features:
        raise ValueError("町丁の GeoJSON に地物（features）がありません。")
    rows: list[Row] = []
    for number, feature in enumerate(features, start=1):
        properties = dict((feature or {}).get("properties") or {})
        properties.setdefault("MOJI", properties.get("S_NAME"))
        if not properties.get("KEY_CODE") or _is_water(properties):
            continue
        try:
            geom = shape((feature or {}).get("geometry"))
        except Exception as exc:
            raise ValueError(f"{number}番目の地物: 境界を読み取れません（{exc}）") from exc
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
            raise ValueError(f"{number}番目の地物: 境界が Polygon・MultiPolygon ではありません。")
        if not properties.get("X_CODE") or not properties.get("Y_CODE"):
            point = geom.representative_point()
            properties["X_CODE"], properties["Y_CODE"] = point.x, point.y
        properties.setdefault("AREA", geom.area)
        try:
            row = _estat_row(properties)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{number}番目の地物: 読み取れない値があります（{exc}）") from exc
        row.shape = geom
        rows.append(row)
    if not rows:
        raise ValueError("町丁の GeoJSON に e-Stat 小地域の地物（KEY_CODE・MOJI）がありません。")
    return _merge_parts(rows)


def _merge_parts(rows: list[Row]) -> list[Row]:
    """e-Stat lists a 町丁 split in several pieces once per piece: keep the largest
    piece's point and add up the population."""
    merged: dict[str, Row] = {}
    for row in rows:
        first = merged.get(row.code)
        if first is None:
            merged[row.code] = row
            continue
        keep = row if row.part_area > first.part_area else first
        for attr in ("population", "households"):
            values = [v for v in (getattr(first, attr), getattr(row, attr)) if v is not None]
            setattr(keep, attr, sum(values) if values else None)
        keep.part_area = max(row.part_area, first.part_area)
        if first.shape is not None and row.shape is not None:
            keep.shape = first.shape.union(row.shape)
        merged[row.code] = keep
    return list(merged.values())


@transaction.atomic
def load_address_points(path: str | Path, *, areas_by_ward: dict[str, Area] | None = None) -> int:
    """Create or update the 町丁 of ``path``; returns how many rows were loaded."""
    return address_points_write(parse_rows(read_text(path)), areas_by_ward=areas_by_ward)


@transaction.atomic
def address_points_write(
    rows: list[Row],
    *,
    areas_by_ward: dict[str, Area] | None = None,
    areas_by_code: dict[str, Area] | None = None,
) -> int:
    """Create or update the 町丁 of ``rows`` (by code); an area of ``areas_by_code``
    (町丁 code → area) is set, one of ``areas_by_ward`` only where none is yet.
    Returns how many rows were written."""
    existing = {p.code: p for p in AddressPoint.objects.filter(code__in=[r.code for r in rows])}
    to_create, to_update = [], []
    for row in rows:
        point = existing.get(row.code) or AddressPoint(code=row.code)
        point.city, point.ward, point.name = row.city, row.ward, row.name
        point.normalized_name = normalize_address(row.name)
        point.lat, point.lng = row.lat, row.lng
        point.population, point.households = row.population, row.households
        if areas_by_code and row.code in areas_by_code:
            point.area = areas_by_code[row.code]
        elif areas_by_ward and row.ward in areas_by_ward and not point.area_id:
            point.area = areas_by_ward[row.ward]
        (to_update if point.pk else to_create).append(point)
    AddressPoint.objects.bulk_create(to_create, batch_size=500)
    AddressPoint.objects.bulk_update(
        to_update,
        [
            "city",
            "ward",
            "name",
            "normalized_name",
            "lat",
            "lng",
            "population",
            "households",
            "area",
        ],
        batch_size=500,
    )
    data_changed()  # searches "near" a place and the locator read the 町丁
    return len(rows)
