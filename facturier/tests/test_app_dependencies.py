"""The platform's apps depend on each other one way only.

An app may use the apps below it (``invoices`` uses ``dossiers``), never the
reverse: an app that must react to something above it listens to a signal.
Tests and migrations are left out: tests may build any world they need.
"""

import ast
import itertools
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]


def platform_apps():
    """Dotted name → folder of every installed app of the platform, nested apps included."""
    return {config.name: Path(config.path) for config in apps.get_app_configs() if config.name.startswith("facturier.")}


def owner(module, names):
    """The innermost app a dotted module name belongs to."""
    matches = [name for name in names if module == name or module.startswith(name + ".")]
    return max(matches, key=len) if matches else None


def imported_modules(path, package):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
                yield module
                yield from (f"{module}.{alias.name}" for alias in node.names)
            elif node.module:
                yield node.module
                yield from (f"{node.module}.{alias.name}" for alias in node.names)


def dependencies():
    """App → the other apps its code imports."""
    names = platform_apps()
    graph = {name: set() for name in names}
    for name, folder in names.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(ROOT.parent).with_suffix("").parts
            if "tests" in parts or "migrations" in parts or owner(".".join(parts), names) != name:
                continue
            package = ".".join(parts[:-1]) if path.name != "__init__.py" else ".".join(parts)
            for module in imported_modules(path, package):
                target = owner(module, names)
                if target and target != name:
                    graph[name].add(target)
    return graph


def test_no_two_apps_import_each_other():
    graph = dependencies()
    both_ways = sorted((a, b) for a, b in itertools.combinations(graph, 2) if b in graph[a] and a in graph[b])
    assert both_ways == []


def test_apps_depend_in_one_direction():
    """No cycle of any length either: the apps can be listed from the bottom up."""
    graph = dependencies()
    order, left = [], dict(graph)
    while left:
        ready = [name for name, needs in left.items() if not (needs & left.keys())]
        assert ready, f"cycle among {sorted(left)}"
        order += sorted(ready)
        for name in ready:
            del left[name]
    assert order.index("facturier.accounts") < order.index("facturier.dossiers") < order.index("facturier.invoices")


def test_the_checker_sees_an_import_cycle(tmp_path):
    """The walk above really reads imports: a relative and an absolute one are both found."""
    module = tmp_path / "views.py"
    module.write_text("from ..dossiers import access\nimport facturier.ledger.models\n", encoding="utf-8")
    found = set(imported_modules(module, "facturier.invoices"))
    assert {"facturier.dossiers.access", "facturier.ledger.models"} <= found
