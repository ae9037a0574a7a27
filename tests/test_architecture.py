"""The house's arrows point down (issue 19): walk every import of register/ and importers/ (also
those inside functions) and fail on an arrow that points up or on any cycle.

* nothing under register/ imports importers (the importer builds on the register);
* register/services does not import register/public (the write side tells the public cache
  through one hook, ``register.services.changes``);
* register/reports imports neither register/web nor importers (reports are bytes, not pages);
* register/public imports nothing from register/web;
* no module imports, through any chain, a module that imports it back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("register", "importers")


def modules() -> dict[str, Path]:
    found = {}
    for top in PACKAGES:
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imported(module: str, path: Path, known: dict) -> set[str]:
    """Return the project modules that ``module`` imports (the nearest known module of each)."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            names = [target, *(f"{target}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
    return targets


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    known = modules()
    result = nx.DiGraph()
    for module, path in known.items():
        result.add_node(module)
        for target in imported(module, path, known):
            result.add_edge(module, target)
    return result


def arrows(graph, source: str, target: str) -> list[str]:
    return sorted(
        f"{a} -> {b}"
        for a, b in graph.edges
        if (a == source or a.startswith(source + "."))
        and (b == target or b.startswith(target + "."))
    )


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("register", "importers"),
        ("register.services", "register.public"),
        ("register.reports", "register.web"),
        ("register.reports", "importers"),
        ("register.public", "register.web"),
    ],
)
def test_no_arrow_points_up(graph, source, target):
    assert arrows(graph, source, target) == []


def test_there_is_no_import_cycle(graph):
    cycles = sorted(" -> ".join(cycle) for cycle in nx.simple_cycles(graph))
    assert cycles == []


def test_the_walk_sees_the_imports_it_checks(graph):
    """The walk itself works: known arrows down are there."""
    assert graph.has_edge("importers.services", "register.services.records") or any(
        b.startswith("register.services") for _, b in graph.out_edges("importers.services")
    )
    assert graph.has_edge("register.rules", "register.models.arrangements")
    assert len(graph) > 60
