"""Loading the 町丁 table from e-Stat 小地域 or 位置参照情報 (大字・町丁目) CSV files."""

from __future__ import annotations

import csv
import io
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
            try:
                rows.append(
                    Row(
                        code=record["KEY_CODE"].strip(),
                        city=(record.get("GST_NAME") or "").strip(),
                        ward=(record.get("CSS_NAME") or "").strip(),
                        name=record["MOJI"].strip(),
                        lat=float(record["Y_CODE"]),
                        lng=float(record["X_CODE"]),
                        population=_int_or_none(record.get("JINKO")),
                        households=_int_or_none(record.get("SETAI")),
                        part_area=float(record.get("AREA") or 0),
                    )
                )
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
            city, sep, ward = city_ward.partition("市")
            try:
                rows.append(
                    Row(
                        code=record["大字町丁目コード"].strip(),
                        city=f"{city}{sep}" if ward else city_ward,
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
        merged[row.code] = keep
    return list(merged.values())


@transaction.atomic
def load_address_points(path: str | Path, *, areas_by_ward: dict[str, Area] | None = None) -> int:
    """Create or update the 町丁 of ``path``; returns how many rows were loaded."""
    rows = parse_rows(read_text(path))
    existing = {p.code: p for p in AddressPoint.objects.filter(code__in=[r.code for r in rows])}
    to_create, to_update = [], []
    for row in rows:
        point = existing.get(row.code) or AddressPoint(code=row.code)
        point.city, point.ward, point.name = row.city, row.ward, row.name
        point.normalized_name = normalize_address(row.name)
        point.lat, point.lng = row.lat, row.lng
        point.population, point.households = row.population, row.households
        if areas_by_ward and row.ward in areas_by_ward and not point.area_id:
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
