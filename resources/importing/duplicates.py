"""New rows that may already be registered under another code.

A new row is compared with the registered resources that share its phone
number, its address (normalised) or lie within ``IMPORT_DUPLICATE_METERS``
(100 m) of its point — an exact, indexed pre-selection — and then by name:
rapidfuzz's ``fuzz.ratio`` on the normalised names (width, kana, spaces folded
by ``portal.text.normalize``) of at least ``IMPORT_DUPLICATE_SCORE`` (85).
rapidfuzz was chosen over PostgreSQL's pg_trgm because the import also runs on
SQLite and compares in memory what it has already loaded, with no query per row.

Each match is shown as 「登録済みの○○と同じかもしれません」 with a choice:
update the registered one (the row takes its code), keep both, or skip the row.
Until decided, a match is a warning and both are kept.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from typing import TYPE_CHECKING

from django.conf import settings
from rapidfuzz import fuzz

from portal.geo import haversine_km
from portal.sheets import Problem
from portal.text import normalize
from resources.models import Resource

if TYPE_CHECKING:
    from resources.importing.planning import Importer

UPDATE, BOTH, SKIP = "update", "both", "skip"
_DIGITS = re.compile(r"\D")
_CELL = 0.001  # degrees of the grid that pre-selects points (about 100 m)
_SPACES = re.compile(r"[\s　]+")


def _address_key(address: str) -> str:
    """Addresses compared as written, width and spaces aside (cheap: every new row)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", address))


def _score() -> float:
    return float(getattr(settings, "IMPORT_DUPLICATE_SCORE", 85))


def _meters() -> float:
    return float(getattr(settings, "IMPORT_DUPLICATE_METERS", 100))


def apply_decisions(importer: Importer, rows) -> list:
    """Rows after the duplicate decisions: skipped ones out, updating ones recoded."""
    decisions = importer.duplicate_decisions
    if not decisions:
        return rows
    kept = []
    for row in rows:
        decision = decisions.get(row.code, "")
        if decision == SKIP:
            continue
        if decision.startswith(UPDATE + ":"):
            row.code = decision[len(UPDATE) + 1 :]
        kept.append(row)
    return kept


def find_duplicates(importer: Importer, plans) -> None:
    new = [p for p in plans if p.action == "new"]
    decided = importer.duplicate_decisions
    new = [p for p in new if decided.get(p.resource.code) != BOTH]
    if not new or not Resource.objects.exists():
        importer.result.duplicates = []
        return
    file_codes = {p.resource.code for p in plans}
    by_phone: dict[str, list[tuple]] = defaultdict(list)
    by_address: dict[str, list[tuple]] = defaultdict(list)
    by_cell: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for item in Resource.objects.values_list(
        "pk", "code", "name", "kana", "contact_phone", "address", "lat", "lng"
    ):
        pk, code, name, _kana, phone, address, lat, lng = item
        if code in file_codes:
            continue
        entry = (pk, code, name, normalize(name), lat, lng)
        digits = _DIGITS.sub("", phone or "")
        if len(digits) >= 9:
            by_phone[digits].append(entry)
        if address:
            by_address[_address_key(address)].append(entry)
        if lat is not None and lng is not None:
            by_cell[(math.floor(lat / _CELL), math.floor(lng / _CELL))].append(entry)
    found = []
    score, meters = _score(), _meters()
    for plan in new:
        resource = plan.resource
        candidates: dict[int, tuple[tuple, str]] = {}
        digits = _DIGITS.sub("", resource.contact_phone or "")
        for entry in by_phone.get(digits, ()) if len(digits) >= 9 else ():
            candidates.setdefault(entry[0], (entry, "電話番号"))
        if resource.address:
            for entry in by_address.get(_address_key(resource.address), ()):
                candidates.setdefault(entry[0], (entry, "住所"))
        if resource.lat is not None and resource.lng is not None:
            row, col = math.floor(resource.lat / _CELL), math.floor(resource.lng / _CELL)
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    for entry in by_cell.get((row + dr, col + dc), ()):
                        km = haversine_km(resource.lat, resource.lng, entry[4], entry[5])
                        if km * 1000 <= meters:
                            candidates.setdefault(entry[0], (entry, "位置"))
        if not candidates:
            continue
        name = normalize(resource.name)
        best = None
        for entry, why in candidates.values():
            similarity = fuzz.ratio(name, entry[3])
            if similarity >= score and (best is None or similarity > best[0]):
                best = (similarity, entry, why)
        if best is None:
            continue
        _similarity, entry, why = best
        found.append(
            {
                "row": plan.row.number,
                "code": resource.code,
                "name": resource.name,
                "existing_code": entry[1],
                "existing_name": entry[2],
                "why": why,
                "current": decided.get(resource.code, ""),
            }
        )
        plan.row.warnings.append(
            Problem(
                plan.row.number,
                importer.header("name"),
                f"登録済みの「{entry[2]}」（{entry[1]}）と同じかもしれません（名称と{why}が近い）。"
                "更新するか、両方残すか、飛ばすかを選べます。",
            )
        )
        importer.result.warnings.append(plan.row.warnings[-1])
    importer.result.duplicates = found
