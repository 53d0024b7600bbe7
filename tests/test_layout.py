"""The layout of DESIGN.md, checked: the kernel imports no app, apps import each
other one way only, development apps stay out of production code, and no module
grows past what a maintainer can read."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRODUCTION_APPS = ("portal", "resources", "coordinators", "councils", "reports", "analysis")
DEVELOPMENT_APPS = ("demo", "bench")
APPS = PRODUCTION_APPS + DEVELOPMENT_APPS
MAX_MODULE_LINES = 800


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _imported_apps(path: Path) -> set[str]:
    """The apps a module imports, at the top or inside functions alike."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(APPS)
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {app: set() for app in APPS}
    for app in APPS:
        for path in _modules(app):
            graph[app] |= _imported_apps(path) - {app}
    return graph


def test_the_kernel_imports_no_app():
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_apps(path) - {"portal"})
        for path in _modules("portal")
        if _imported_apps(path) - {"portal"}
    }

    assert offenders == {}


def test_apps_import_each_other_without_a_loop():
    graph = _graph()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph[start]:
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    loops = sorted(app for app in APPS if reaches(app, app, {app}))
    assert loops == [], {app: sorted(graph[app]) for app in loops}


@pytest.mark.parametrize("app", PRODUCTION_APPS)
def test_production_apps_never_import_the_development_apps(app):
    assert _graph()[app] & set(DEVELOPMENT_APPS) == set()


def test_no_module_is_longer_than_a_maintainer_can_read():
    long = {
        str(path.relative_to(ROOT)): n
        for app in APPS
        for path in _modules(app)
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }

    assert long == {}
