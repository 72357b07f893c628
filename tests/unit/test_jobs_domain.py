"""The job lifecycle's shape, read from the source: its modules import one another without a circle, the jobs
domain depends on neither the worker nor the API, and only jobs/ sets a job's status."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
LIFECYCLE = ("jobs", "streams", "store", "webhooks", "metering", "schemas")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(tree: ast.Module) -> set[str]:
    """What the module imports when it is loaded (imports inside `if TYPE_CHECKING:` and functions excluded)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports on load (a package counts as its __init__)."""
    paths = {_module(p): p for package in LIFECYCLE for p in (ROOT / package).rglob("*.py")}
    every = {_module(p) for p in ROOT.glob("*/**/*.py") if ".venv" not in p.parts}
    return {
        name: {t for t in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))) if t in every and t != name}
        for name, path in paths.items()
    }


def test_the_lifecycle_imports_without_a_circle() -> None:
    graph = _graph()
    assert "jobs.effects" in graph and "streams.orchestrator" in graph
    inside = {name: {t for t in targets if t in graph} for name, targets in graph.items()}
    try:
        TopologicalSorter(inside).prepare()
    except CycleError as exc:
        raise AssertionError(f"import circle: {' -> '.join(exc.args[1])}") from None


def test_the_jobs_domain_depends_on_neither_the_worker_nor_the_api() -> None:
    arrows = [(a, b) for a, targets in _graph().items() for b in targets
              if a.startswith("jobs") and b.split(".")[0] in ("streams", "api")]
    assert arrows == []


def _status_writes(path: Path) -> list[str]:
    """`x.status = JobStatus.y` and `.values(status=JobStatus.y)`: a job's status being set."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        value = None
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "status" for t in node.targets):
            value = node.value
        elif isinstance(node, ast.keyword) and node.arg == "status":
            value = node.value
        if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "JobStatus":
            found.append(f"{path.relative_to(ROOT)}:{value.lineno}")
    return found


def test_only_the_jobs_domain_sets_a_job_status() -> None:
    packages = [p.parent for p in ROOT.glob("*/__init__.py") if p.parent.name not in ("jobs", "tests")]
    writes = [hit for package in packages for path in sorted(package.rglob("*.py")) for hit in _status_writes(path)]
    assert writes == []
