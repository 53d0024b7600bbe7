"""What the preview says about a whole file: decisions first, problems grouped.

- each distinct unknown value once, with its rows (「対象者「概ね65歳以上の方」
  はありません — 55行」), in ``result.unresolved`` for the picker and ``--json``;
- rows of another municipality summarised once (``result.outside``);
- the same problem in many rows said once with its count;
- a few sample rows exactly as they would be stored (type, visibility, area,
  map position, schedule in words);
- a file of dated one-off events refused as such;
- a point far from its address warned about.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import override

from portal.geo import haversine_km
from portal.sheets import Problem, SheetFileError
from resources.importing import extras
from resources.importing.columns import COLUMN_BY_KEY
from resources.models import Resource

if TYPE_CHECKING:
    from resources.importing.planning import Importer

SAMPLE_ROWS = 5


def outside_km() -> float:
    """A point this far from every area is outside the city (``IMPORT_OUTSIDE_KM``)."""
    return float(getattr(settings, "IMPORT_OUTSIDE_KM", 10.0))


def point_address_km() -> float:
    return float(getattr(settings, "IMPORT_POINT_ADDRESS_KM", 2.0))


def check_events(importer: Importer, rows) -> None:
    """A list of 行事 (a name headed 行事名, or most dates one day with its year)."""
    sheet = importer.sheet
    name_header = sheet.headers.get("name", "")
    cells = []
    if "schedule" in sheet.index:
        position = sheet.index["schedule"]
        for _number, raw in sheet.rows[:500]:
            if position < len(raw) and raw[position] is not None:
                cells.append(str(raw[position]))
    if name_header in extras.EVENT_HEADERS or extras.looks_like_events(cells):
        raise SheetFileError(
            "これは行事の一覧のようです（日付の決まった催しが並んでいます）。"
            "地域資源の取込は、くり返し開かれる活動や施設の一覧を読みます。"
            "行事は資源ごとのお知らせとして登録してください。",
            column=name_header,
        )


def check_point_and_address(importer: Importer, item) -> None:
    """A point typed in the file that lies far from its address's 町丁."""
    resource = item.resource
    if resource.lat is None or resource.lng is None or not resource.address:
        return
    entry = importer.placer.match_address(resource.address)
    if entry is None or entry.lat is None:
        return
    km = haversine_km(resource.lat, resource.lng, entry.lat, entry.lng)
    if km > point_address_km():
        header = importer.header("lat") if "lat" in importer.columns else ""
        item.row.warnings.append(
            Problem(
                item.row.number,
                header,
                f"位置（緯度・経度）と住所が約{km:.0f}km離れています。区域は住所で決めます。",
            )
        )


def report_outside(importer: Importer, rows) -> None:
    """Rows of another municipality: one problem for all (or skipped, counted)."""
    result = importer.result
    result.outside = len(rows)
    if not rows:
        return
    places: dict[str, int] = defaultdict(int)
    for row in rows:
        places[row.outside] += 1
    examples = "、".join(
        f"{place} {count:,}行" for place, count in sorted(places.items(), key=lambda p: -p[1])[:3]
    )
    if importer.skip_outside:
        result.warnings.insert(
            0,
            Problem(None, "", f"市外の {len(rows):,}行は取り込みません（{examples} など）。"),
        )
        return
    result.errors.insert(
        0,
        Problem(
            rows[0].number,
            next(
                (
                    importer.header(k)
                    for k in ("address", "address_city", "municipality")
                    if k in importer.columns
                ),
                "",
            ),
            f"市外の行が {len(rows):,}行あります（{examples} など）。"
            "「市外の行を飛ばす」を選ぶと、除いて取り込みます。",
        ),
    )


def report_unresolved(importer: Importer) -> None:
    """One problem per distinct value that waits for a decision."""
    result = importer.result
    listed = importer.unresolved.listed()
    result.unresolved = listed
    problems = []
    for item in listed:
        key = item["key"]
        label = COLUMN_BY_KEY[key].header if key in COLUMN_BY_KEY else key
        header = importer.header(key) if key in importer.columns else label
        problems.append(
            Problem(
                item["first"],
                header,
                f"{label}「{item['value']}」"
                + ("は複数に当てはまります" if item.get("why") == "ambiguous" else "はありません")
                + f" — {item['rows']:,}行。"
                "「値の割り当て」で選んでください。",
            )
        )
    if importer.drop_unknown:  # left empty with a warning instead of waiting
        result.warnings[0:0] = [
            Problem(
                p.row,
                p.column,
                p.message.split(" — ")[0]
                + "。空にして取り込みます"
                + f"（{p.message.split(' — ')[1].split('。')[0]}）。",
            )
            for p in problems
        ]
        return
    result.errors[0:0] = problems


def group_problems(result) -> None:
    """The same problem in many rows, said once with the rows' count."""
    for name in ("errors", "warnings"):
        problems = getattr(result, name)
        groups: dict[tuple[str, str], list[Problem]] = {}
        for problem in problems:
            groups.setdefault((problem.column, problem.message), []).append(problem)
        if all(len(g) == 1 for g in groups.values()):
            continue
        grouped = []
        for (column, message), found in groups.items():
            if len(found) == 1:
                grouped.append(found[0])
                continue
            rows = [p.row for p in found if p.row]
            shown = "・".join(str(r) for r in rows[:5]) + ("…" if len(rows) > 5 else "")
            grouped.append(
                Problem(found[0].row, column, f"{message} — {len(found):,}行（{shown}行目）")
            )
        setattr(result, name, grouped)


def samples(importer: Importer, plans) -> list[dict]:
    """A few rows as they will be stored: what a resident or a coordinator will see."""
    refs = importer.refs
    chosen = [p for p in plans if p.action == "new"][:SAMPLE_ROWS]
    if len(chosen) < SAMPLE_ROWS:
        chosen += [p for p in plans if p.action == "updated"][: SAMPLE_ROWS - len(chosen)]
    found = []
    with override(settings.LANGUAGE_CODE):
        for plan in chosen:
            resource = plan.resource
            if resource.lat is not None and resource.lng is not None:
                source = Resource.LocationSource(resource.location_source or "exact").label
                position = f"{resource.lat:.5f}, {resource.lng:.5f}（{source}）"
            else:
                position = "地図に出ません（位置なし）"
            rules = plan.rules if plan.rules is not None else []
            schedule = "、".join(rule.describe() for rule in rules) if rules else ""
            found.append(
                {
                    "row": plan.row.number,
                    "name": resource.name,
                    "type": str(Resource.Type(resource.resource_type).label),
                    "visibility": str(Resource.Visibility(resource.visibility).label),
                    "area": refs.area_names.get(resource.area_id, "") or "（区域なし）",
                    "position": position,
                    "schedule": schedule,
                    "action": plan.action,
                }
            )
    return found
