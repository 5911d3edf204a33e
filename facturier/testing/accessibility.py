"""An automated accessibility check of a page: axe-core, installed from the npm registry by
``make browser`` (never committed), run in the page by Playwright."""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA: labels, names, contrast, keyboard reachability, language, structure.
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def accessibility_violations(page, url):
    """The WCAG A/AA rules ``url`` breaks, as "rule-id: target, ..." lines (empty: none)."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make browser installs it from the npm registry)")
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("rules => axe.run(document, rules).then(r => r.violations)", RULES)
    return [f"{v['id']}: " + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5]) for v in violations]
