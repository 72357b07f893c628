"""The import graph's one hard edge: only the API's own callers (`cli`, `tests`) may import `api`.

The worker and the domain packages run without FastAPI; an `import api...` in one of them drags the web app
into the worker and puts a rule where only HTTP can reach it (docs/design.md, the package table).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAY_IMPORT_API = {"api", "cli", "tests"}


def _packages() -> list[Path]:
    return sorted(p.parent for p in ROOT.glob("*/__init__.py") if p.parent.name not in MAY_IMPORT_API)


def _imports_of_api(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found += [f"{path.relative_to(ROOT)}:{node.lineno} imports {n}" for n in names if n.split(".")[0] == "api"]
    return found


def test_the_packages_are_found() -> None:
    names = {p.name for p in _packages()}
    assert {"streams", "store", "schemas", "inference"} <= names, names


def test_no_package_but_cli_and_tests_imports_api() -> None:
    offenders = [hit for package in _packages() for path in sorted(package.rglob("*.py")) for hit in _imports_of_api(path)]
    assert offenders == []


def test_the_whole_tree_imports_without_a_circle() -> None:
    """Every package, the API and the CLI included: module-level imports form no circle (a package counts as its
    `__init__`, so `from api.console import session` inside api/console would close one through the package)."""
    from graphlib import CycleError, TopologicalSorter

    from tests.unit.test_jobs_domain import _module, _top_level_imports

    paths = {_module(p): p for init in ROOT.glob("*/__init__.py") if init.parent.name != "tests"
             for p in init.parent.rglob("*.py")}
    graph = {name: {t for t in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))) if t in paths and t != name}
             for name, path in paths.items()}
    assert "api.console" in graph and "streams.orchestrator" in graph
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        raise AssertionError(f"import circle: {' -> '.join(exc.args[1])}") from None
