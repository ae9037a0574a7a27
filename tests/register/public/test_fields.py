"""The public allow-list never names an internal field, and the public package never imports
the internal web layer: the boundary shows in the tree."""

from __future__ import annotations

import ast
from pathlib import Path

from register.public import fields
from register.public.words import CITIZEN_WORDS, area_slugs_for


def test_the_allow_list_names_no_internal_field_or_contact_detail():
    for model, names in fields.PUBLIC_FIELDS.items():
        for name in names:
            last = name.split("__")[-1]
            assert not last.startswith(fields.FORBIDDEN_PREFIX), (model, name)
            assert last not in fields.FORBIDDEN_NAMES, (model, name)


def test_every_allow_listed_field_exists():
    for model, names in fields.PUBLIC_FIELDS.items():
        model.objects.values(*names).query.sql_with_params()  # raises FieldError when wrong


def test_the_public_package_imports_nothing_from_the_internal_web_layer():
    package = Path(fields.__file__).parent
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = ("." * node.level) + (node.module or "")
                assert "web" not in module.split("."), (path.name, module)


def test_citizen_words_point_to_real_service_areas(db):
    from register.models import ServiceArea

    slugs = set(ServiceArea.objects.values_list("slug", flat=True))
    assert {s for targets in CITIZEN_WORDS.values() for s in targets} <= slugs


def test_a_word_beginning_finds_the_service():
    assert area_slugs_for("sop") == ["avfall"]
    assert area_slugs_for("Brandkår") == ["raddningstjanst"]
    assert area_slugs_for("") == []
