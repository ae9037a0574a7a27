"""pyproject.toml and requirements.txt agree: the package's dependencies are the packages the
register runs on, and requirements.txt pins each of them (it is the lock; pyproject names them)."""

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("register", "importers")
# Packages the register runs on without importing them itself, and what needs them.
RUN_WITHOUT_IMPORT = {
    "gunicorn": "the application server (README, Drift)",
    "psycopg": "Django's PostgreSQL backend (DATABASE_URL)",
    "redis": "Django's Redis cache (REDIS_URL)",
    "tzdata": "zoneinfo's Europe/Stockholm where the system has no time zone database",
}


def pinned() -> set[str]:
    """Return the names pinned in requirements.txt."""
    names = set()
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            assert str(requirement.specifier).startswith("=="), f"not pinned exactly: {line}"
            names.add(canonicalize_name(requirement.name))
    return names


def declared() -> set[str]:
    """Return the names of pyproject.toml's dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {canonicalize_name(Requirement(d).name) for d in project["dependencies"]}


def imported() -> set[str]:
    """Return the distributions whose modules the register's code imports (not the standard
    library, not its own packages)."""
    modules = set()
    for source in SOURCES:
        for path in (ROOT / source).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    modules |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    modules -= set(sys.stdlib_module_names) | set(SOURCES)
    distributions = packages_distributions()
    unknown = sorted(m for m in modules if m not in distributions)
    assert unknown == [], f"imported but installed by no package: {unknown}"
    return {canonicalize_name(d) for m in modules for d in distributions[m]}


def test_every_package_the_code_imports_is_pinned_and_declared():
    code = imported()
    assert {"icalendar", "python-dateutil", "xlrd"} <= code  # the check sees the code's imports
    assert sorted(code - pinned()) == [], "imported, not pinned in requirements.txt"
    assert sorted(code - declared()) == [], "imported, not in pyproject.toml's dependencies"


def test_the_packages_run_without_an_import_are_pinned_and_declared():
    run_on = {canonicalize_name(name) for name in RUN_WITHOUT_IMPORT}
    assert sorted(run_on - pinned()) == []
    assert sorted(run_on - declared()) == []


def test_every_declared_dependency_is_pinned():
    assert sorted(declared() - pinned()) == []
