"""Mapping files and saved mappings (DESIGN.md: Contract).

A mapping file is ``{"columns": {"<header in the file>": "<portal column name>" or
null}, "values": {"<portal column name>": {"<value in the file>": "<portal value>"
or null}}}``: the same JSON the import page downloads, the command reads with
``--mapping`` and ``ImportProfile.mapping`` keeps under a name for the city.
"""

from __future__ import annotations

import json

from portal.municipality import city as current_city
from resources.importing.columns import COLUMN_BY_KEY
from resources.importing.values import column_key


class MappingFileError(ValueError):
    pass


def mapping_check(data: object) -> dict:
    """The mapping as a clean dict; raises MappingFileError in Japanese."""
    if not isinstance(data, dict):
        raise MappingFileError(
            '割り当てのファイルは {"columns": {...}, "values": {...}} の形です。'
        )
    columns = data.get("columns") or {}
    values = data.get("values") or {}
    if not isinstance(columns, dict) or not isinstance(values, dict):
        raise MappingFileError("「columns」と「values」は、それぞれ見出しや値の対応表です。")
    clean_columns: dict[str, str | None] = {}
    for header, target in columns.items():
        if target in (None, ""):
            clean_columns[str(header)] = None
            continue
        if column_key(str(target)) is None:
            raise MappingFileError(
                f"列「{header}」の割り当て先「{target}」という項目はありません。"
            )
        clean_columns[str(header)] = str(target)
    clean_values: dict[str, dict[str, str | None]] = {}
    for column, pairs in values.items():
        if column_key(str(column)) is None or not isinstance(pairs, dict):
            raise MappingFileError(f"値の割り当ての「{column}」という項目はありません。")
        clean_values[str(column)] = {
            str(k): (None if v in (None, "") else str(v)) for k, v in pairs.items()
        }
    return {"columns": clean_columns, "values": clean_values}


def mapping_from_json(text: str) -> tuple[dict[str, str], dict]:
    """(column assignment by header for ``resources_import``, the values part)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MappingFileError(
            f"割り当てのファイルが JSON として読めません（{exc.msg}）。"
        ) from exc
    mapping = mapping_check(data)
    return columns_as_keys(mapping["columns"]), mapping["values"]


def columns_as_keys(columns: dict[str, str | None]) -> dict[str, str]:
    return {
        header: (column_key(target) or "") if target else "" for header, target in columns.items()
    }


def mapping_of(result, chosen: dict | None = None, values: dict | None = None) -> dict:
    """The mapping file of a preview: the columns as they were read (chosen ones and
    the recognised ones), and the value decisions made so far."""
    columns = {}
    for m in result.columns:
        if not m.header:
            continue
        if m.key:
            columns[m.header] = COLUMN_BY_KEY[m.key].header
        elif m.status in ("chosen", "ignored") and m.header in (chosen or {}):
            columns[m.header] = None
    return {"columns": columns, "values": values or {}}


def result_json(result) -> dict:
    """The ``--json`` object of an import (DESIGN.md: Contract)."""
    return {
        "rows": result.rows_total,
        "new": result.new,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "written": bool(result.written),
        "layout": getattr(result, "layout", "") or None,
        "problems": [
            {"row": p.row, "column": p.column, "message": p.message} for p in result.errors
        ],
        "unresolved": [
            {"column": u["column"], "value": u["value"], "rows": u["rows"]}
            for u in getattr(result, "unresolved", [])
        ],
        "outside": getattr(result, "outside", 0),
        "warnings": len(result.warnings),
    }


def city_profiles():
    from resources.models import ImportProfile

    return ImportProfile.objects.filter(city_code=current_city().code)


def profile_save(name: str, mapping: dict, user=None):
    from resources.models import ImportProfile

    profile, _new = ImportProfile.objects.update_or_create(
        city_code=current_city().code,
        name=name.strip()[:100],
        defaults={"mapping": mapping_check(mapping), "created_by": user},
    )
    return profile
