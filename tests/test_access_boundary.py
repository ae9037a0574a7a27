"""Access decides everything: outside register/access.py no code reads what Access is made of.

``is_admin``, ``editor_org_ids`` and ``member_org_ids`` are Access's own facts; every decision
built on them (who may see, change, create, for which organisation, who is a member, which fields
are locked ...) is a method of Access that the rest of the code asks. A rule written beside Access
is unknown to every other writer, so this test reads the source of register/ and importers/ (not
the tests, not the migrations) and fails on any use of those names outside access.py that is not
in ``ALLOWED`` below, each with its reason. Keep the list short: the way off it is a method of
Access.

An entry names the file and the line's code (not its number, which every edit above it would
move), and each entry must still be found, so that the list shrinks as the code is fixed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("register", "importers")
ACCESS = Path("register/access.py")
NAMES = re.compile(r"\b(is_admin|editor_org_ids|member_org_ids)\b")

#: (file, the line's code without surrounding whitespace) -> why it may read Access's facts.
ALLOWED: dict[tuple[str, str], str] = {}


def scanned_files():
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or "tests" in relative.parts:
                continue
            if relative == ACCESS:
                continue
            yield relative


def uses():
    """Return every (file, code, line number) outside access.py that names one of the facts."""
    found = []
    for relative in scanned_files():
        for number, line in enumerate((ROOT / relative).read_text().splitlines(), start=1):
            if NAMES.search(line):  # in comments and docstrings too: they describe decisions
                found.append((relative.as_posix(), line.strip(), number))
    return found


def test_outside_access_no_code_reads_is_admin_editor_org_ids_or_member_org_ids():
    unexpected = [
        f"{path}:{number}: {code}" for path, code, number in uses() if (path, code) not in ALLOWED
    ]
    assert not unexpected, (
        "Ask Access instead (or add the line to ALLOWED with its reason):\n" + "\n".join(unexpected)
    )


def test_every_allowed_use_is_still_there_and_has_a_reason():
    found = {(path, code) for path, code, _ in uses()}
    gone = [f"{path}: {code}" for path, code in ALLOWED if (path, code) not in found]
    assert not gone, "Fixed: remove from ALLOWED:\n" + "\n".join(gone)
    assert all(reason.strip() for reason in ALLOWED.values())


def test_the_scan_sees_the_names_where_they_are():
    """The scan itself works: access.py, which it skips, is full of them."""
    assert NAMES.search((ROOT / ACCESS).read_text())
    assert any(path == "register/web/forms.py" for path in map(Path.as_posix, scanned_files()))


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_access_imports_nothing_from_the_importer():
    """The importer registers its batch rule (importers/apps.py, ``Access.register``)."""
    modules = _imported_modules(ROOT / ACCESS)
    assert not {m for m in modules if m == "importers" or m.startswith("importers.")}


def test_the_register_imports_nothing_from_the_importer():
    """Arrows point down: the core app does not import the importer."""
    offenders = []
    for path in sorted((ROOT / "register").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        if any(m == "importers" or m.startswith("importers.") for m in _imported_modules(path)):
            offenders.append(path.relative_to(ROOT).as_posix())
    assert not offenders


def test_the_importer_batch_rule_is_registered_with_access():
    from importers.models import ImportBatch
    from register.access import Access

    rule = Access.rule(ImportBatch)
    assert rule is not None
    assert (rule.members, rule.owner) == ("organisation", "organisation")
