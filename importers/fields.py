"""The register's field rules as the importer applies them to cells: lengths, choices and
validators are the model fields' own, checked as ``full_clean()`` checks them, so that a value
too long is a row error on SQLite as on PostgreSQL."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.text import capfirst

from register import fieldchecks


def max_length(model, field_name: str) -> int | None:
    """Return the model field's maximum length: the one place a length is written."""
    return model._meta.get_field(field_name).max_length


def fit(model, field_name: str, text: str) -> str:
    """Cut a text that the importer makes itself (a file name, a decision's title) to the
    model field's length. A cell's own value is never cut: too long is a row error
    (:func:`field_problems`)."""
    limit = max_length(model, field_name)
    return text[:limit] if limit else text


def field_problems(model, field_name: str, value) -> list[str]:
    """Return what the model field's own checks (those of ``full_clean()``: maximum length,
    choices, validators) say against ``value``, in Swedish; nothing when it may be saved.

    SQLite does not enforce a column's length and PostgreSQL does, so the preview checks here
    and a value too long is the same row error on both."""
    try:
        fieldchecks.clean(model._meta.get_field(field_name), value)
    except ValidationError as exc:
        return exc.messages
    return []


def check(plan, header: str, model, field_name: str, value, label: str = "") -> None:
    """Record the field's problems with ``value`` as errors in the cell's column; ``label``
    says which part of the cell (a cell like "KF 2019-03-25 § 45" fills two fields)."""
    for message in field_problems(model, field_name, value):
        plan.error(header, f"{label}: {message}" if label else message)


def field_label(model, field_name: str) -> str:
    """Return the field's name as the forms show it ("Beslutande organ")."""
    return capfirst(model._meta.get_field(field_name).verbose_name)
