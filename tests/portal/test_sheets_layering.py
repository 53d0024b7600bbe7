"""The sheet engine lives in the kernel: portal imports no app, and the apps whose
imports run on it do not import each other in a loop (coordinators ↔ councils)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("resources", "coordinators", "councils", "reports", "demo", "bench")


def imported_modules(package: str) -> dict[str, set[str]]:
    """Every module a package's files import (also inside functions), by file."""
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_portal_imports_no_app():
    offending = {
        path: sorted(n for n in names if n.split(".")[0] in APPS)
        for path, names in imported_modules("portal").items()
    }

    assert {path: names for path, names in offending.items() if names} == {}


@pytest.mark.parametrize(
    ("package", "other", "allowed"),
    [("coordinators", "councils", ()), ("councils", "coordinators", ("coordinators.models",))],
)
def test_coordinators_and_councils_do_not_import_each_other(package, other, allowed):
    offending = {
        path: sorted(n for n in names if n.split(".")[0] == other and n not in allowed)
        for path, names in imported_modules(package).items()
    }

    assert {path: names for path, names in offending.items() if names} == {}
