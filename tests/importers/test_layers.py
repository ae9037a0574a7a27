"""The importer's modules import one way: from the upload to SQL, readers → values → planning →
services (and the pages above them); nothing lower imports anything higher, no two modules import
each other, and no module reads another's private state. The write side of the register does not
know the public site. Read from the source with ``ast``, without importing anything."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. A module may import its own layer's and lower layers' modules, never a higher's.
LAYERS = {
    "text": ["importers", "importers.text"],  # the package itself is its docstring
    "readers": ["importers.readers", "importers.readers.*"],
    "values": [
        "importers.values",
        "importers.representatives",
        "importers.partners",
        "importers.choices",
    ],
    "planning": [
        "importers.models",
        "importers.results",
        "importers.selectors",
        "importers.lookups",
        "importers.fields",
        "importers.parsing",
        "importers.changes",
        "importers.joining",
        "importers.planning",
    ],
    "services": [
        "importers.background",
        "importers.storage",
        "importers.writing",
        "importers.batch_history",
        "importers.obstacles",
        "importers.undo",
        "importers.services",
        "importers.meetings",
    ],
    "pages": [
        "importers.apps",
        "importers.admin",
        "importers.forms",
        "importers.exporters",
        "importers.views",
        "importers.urls",
        "importers.management",
        "importers.management.commands",
        "importers.management.commands.*",
        "importers.migrations",
        "importers.migrations.*",
    ],
}
RANK = {name: rank for rank, name in enumerate(LAYERS)}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package: str) -> dict[str, Path]:
    return {module_name(p): p for p in (ROOT / package.replace(".", "/")).rglob("*.py")}


IMPORTERS = modules("importers")


def layer_of(name: str) -> str | None:
    for layer, patterns in LAYERS.items():
        for pattern in patterns:
            if name == pattern or (
                pattern.endswith(".*") and name.startswith(pattern[:-1]) and name != pattern[:-2]
            ):
                return layer
    return None


def imported(name: str, path: Path) -> set[str]:
    """Return the modules ``name`` imports (anywhere in it, functions included), resolved."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.add(target)
            for alias in node.names:  # "from . import selectors" imports a module
                if f"{target}.{alias.name}" in IMPORTERS or f"{target}.{alias.name}" in REGISTER:
                    found.add(f"{target}.{alias.name}")
    return found


REGISTER = modules("register")


def own_imports(name: str) -> set[str]:
    return {m for m in imported(name, IMPORTERS[name]) if m in IMPORTERS and m != name}


def test_every_importer_module_has_a_layer():
    assert [name for name in IMPORTERS if layer_of(name) is None] == []


def test_no_importer_module_imports_a_higher_layer():
    upward = [
        f"{name} ({layer_of(name)}) imports {other} ({layer_of(other)})"
        for name in IMPORTERS
        for other in own_imports(name)
        if RANK[layer_of(other)] > RANK[layer_of(name)]
    ]
    assert upward == []


def test_no_importer_modules_import_each_other_in_a_circle():
    graph = {name: own_imports(name) for name in IMPORTERS}
    cycles = []

    def visit(name, path):
        for other in sorted(graph[name]):
            if other in path:
                cycles.append(" → ".join([*path[path.index(other) :], other]))
            elif other not in done:
                visit(other, [*path, other])
        done.add(name)

    done: set[str] = set()
    for name in sorted(graph):
        if name not in done:
            visit(name, [name])
    assert cycles == []


def test_the_readers_use_no_orm():
    orm = [
        f"{name} imports {other}"
        for name in IMPORTERS
        if layer_of(name) == "readers"
        for other in imported(name, IMPORTERS[name])
        if other.startswith(("django.db", "register.models", "importers.models"))
    ]
    assert orm == []


def test_planning_reads_the_database_only_through_the_selectors():
    queries = [
        f"{name}:{node.lineno} .{node.attr}"
        for name in IMPORTERS
        if layer_of(name) == "planning" and name not in {"importers.selectors", "importers.models"}
        for node in ast.walk(ast.parse(IMPORTERS[name].read_text()))
        if isinstance(node, ast.Attribute)
        and node.attr in {"objects", "_base_manager", "_default_manager", "arrangements"}
    ]
    assert queries == []


def test_no_module_reads_private_state_another_module_set():
    """``result._lookups = ...`` in one module read as ``result._lookups`` in another: a private
    attribute used as a channel between modules."""
    set_in: dict[str, set[str]] = {}
    read_in: dict[str, set[str]] = {}
    for name, path in IMPORTERS.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
                continue
            if node.attr.startswith("__") or (
                isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}
            ):
                continue
            side = set_in if isinstance(node.ctx, ast.Store) else read_in
            side.setdefault(node.attr, set()).add(name)
    crossing = [
        f".{attr} set in {sorted(setters)}, read in {sorted(read_in[attr] - setters)}"
        for attr, setters in set_in.items()
        if read_in.get(attr, set()) - setters
    ]
    assert crossing == []


def test_every_writer_uses_the_registers_service_api_not_its_bulk_path():
    """The importer, seed_scale and everything else outside ``register.services`` write many
    records through ``records_create_many``; the bulk path is how it does so."""
    direct = [
        f"{name} imports {other}"
        for name, path in {**IMPORTERS, **REGISTER}.items()
        if not name.startswith("register.services")
        for other in imported(name, path)
        if other == "register.services.bulk"
    ]
    assert direct == []


@pytest.mark.parametrize("forbidden", ["register.public", "importers", "register.web"])
def test_the_registers_write_side_does_not_know_the_public_site_or_its_callers(forbidden):
    found = [
        f"{name} imports {other}"
        for name, path in REGISTER.items()
        if name.startswith("register.services")
        for other in imported(name, path)
        if other == forbidden or other.startswith(forbidden + ".")
    ]
    assert found == []


@pytest.mark.parametrize("name", sorted(IMPORTERS))
def test_no_importer_module_is_much_over_500_lines(name):
    assert len(IMPORTERS[name].read_text().splitlines()) <= 500
