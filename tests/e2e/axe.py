"""axe-core accessibility checks inside a Playwright page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def assert_accessible(page, *, exclude: tuple[str, ...] = ()) -> None:
    """Fail with the list of violations axe-core finds (WCAG 2.1 A and AA)."""
    if not AXE_JS.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is missing: `make test` installs it with npm ci")
        pytest.skip("axe-core is not installed (npm ci)")
    # Evaluated by the browser's devtools protocol, which the page's
    # Content-Security-Policy does not govern (a <script> tag it would block).
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;void 0")
    context = {"include": [["html"]], "exclude": [[s] for s in exclude]} if exclude else None
    result = page.evaluate(
        """async (context) => await axe.run(context || document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })""",
        context,
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(node["target"][0] for node in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert not violations, "\n".join(violations)
