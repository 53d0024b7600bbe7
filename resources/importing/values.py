"""Values of a file that the lists do not know, and the decisions about them.

A cell of 種別, カテゴリ, 対象者, 特徴, 区域, 運営主体の種類, 状態, 公開範囲 or 区分
is looked up in its list (``references``); when that fails it is tried again in
normalised forms (「概ね65歳以上の方」 → 「65歳以上」, 「通所介護（デイサービス）」
part by part, 「医療・福祉/病院・診療所」 by its parts); then the decision of
the mapping (``{"values": {"対象者": {"概ね65歳以上の方": "65歳以上"}}}``: a
portal value, or null to leave it out); else the value is *unresolved*: listed
once with its rows, and the file waits for a decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from portal import parsers
from resources.importing.columns import COLUMN_BY_KEY, COLUMN_REGISTRY

# The columns whose values come from a list (and may be decided on the page).
VALUE_KEYS = (
    "resource_type",
    "service",
    "categories",
    "targets",
    "features",
    "area",
    "ward",
    "organiser_kind",
    "status",
    "visibility",
    "origin",
)
# Lists a decision may add to ("create"): their names are free text.
CREATABLE = ("targets", "features")

_PREFIXES = re.compile(r"^(?:概ね|おおむね|大体|だいたい|原則|原則として|主に|約)\s*")
_SUFFIXES = re.compile(r"\s*(?:の方々|の方|の人|の者|方|者|等|など|さん)$")
_BRACKETS = re.compile(r"[（(【\[「『]([^）)】\]」』]*)[）)】\]」』]")
_AGE = re.compile(r"(\d+)\s*歳\s*(以上)?")


def variants(value: str) -> list[str]:
    """Other spellings of ``value`` to try, most faithful first."""
    base = parsers.nfkc(value).strip()
    found: list[str] = []

    def add(candidate: str) -> None:
        candidate = candidate.strip(" 　・/,、")
        if candidate and candidate != base and candidate not in found:
            found.append(candidate)

    stripped = _SUFFIXES.sub("", _PREFIXES.sub("", base))
    add(stripped)
    add(base.replace("その", ""))  # 「認知症の方とその家族」 → 「認知症の方と家族」
    age = _AGE.search(stripped)
    if age:
        add(f"{age.group(1)}歳以上")
    inner = _BRACKETS.findall(base)
    outer = _BRACKETS.sub("", base)
    add(outer)
    add(_SUFFIXES.sub("", _PREFIXES.sub("", outer)))
    for part in inner:
        add(part)
    for separator in ("/", "／", "・", "、", " "):
        if separator in stripped:
            for part in stripped.split(separator):
                add(part)
                add(_SUFFIXES.sub("", part))
    return found


def column_key(name: str) -> str | None:
    """A column of a mapping file (its export header, a synonym or its key) as a key."""
    if name in COLUMN_BY_KEY:
        return name
    found = COLUMN_REGISTRY.lookup(name)
    return found[0] if found and found[0] else None


@dataclass
class Decisions:
    """The ``values`` part of a mapping: per column key, file value → portal value or None."""

    by_key: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, values: dict | None) -> Decisions:
        by_key: dict[str, dict[str, str | None]] = {}
        for column, pairs in (values or {}).items():
            key = column_key(str(column))
            if key is None or not isinstance(pairs, dict):
                continue
            target = by_key.setdefault(key, {})
            for value, portal in pairs.items():
                target[parsers.name_key(value)] = None if portal in (None, "") else str(portal)
        return cls(by_key)

    def lookup(self, key: str, value: str) -> tuple[bool, str | None]:
        """(decided, portal value or None to leave out)."""
        pairs = self.by_key.get(key)
        if not pairs:
            return False, None
        name = parsers.name_key(value)
        if name in pairs:
            return True, pairs[name]
        return False, None


@dataclass
class Unresolved:
    """Each distinct value waiting for a decision, with the rows that hold it."""

    rows: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    why: dict[tuple[str, str], str] = field(default_factory=dict)  # unknown / ambiguous

    def add(self, key: str, value: str, row: int, why: str = "unknown") -> None:
        self.rows.setdefault((key, value), []).append(row)
        self.why[(key, value)] = why

    def listed(self, skip_rows: set[int] = frozenset()) -> list[dict]:
        """``{column, value, rows, key, first, why}``, column being the export header."""
        found = []
        for (key, value), rows in self.rows.items():
            kept = [r for r in rows if r not in skip_rows]
            if not kept:
                continue
            header = COLUMN_BY_KEY[key].header if key in COLUMN_BY_KEY else key
            found.append(
                {
                    "column": header,
                    "value": value,
                    "rows": len(kept),
                    "key": key,
                    "first": kept[0],
                    "why": self.why.get((key, value), "unknown"),
                }
            )
        found.sort(key=lambda item: (VALUE_KEYS.index(item["key"]), -item["rows"]))
        return found
