"""A model field's own checks of a value (``Field.clean(value, None)``, as ``full_clean()`` runs
them: to Python, choices, blank, null, maximum length, validators), remembered while a file is
imported.

An import checks the same value with the same field more than once: a row's name when the cell is
read, again when the arrangement is checked as a whole, and again when the records are inserted
(:func:`register.services.bulk.validate_column`). Inside :func:`remembered` the outcome for a
plain value (a string, a number, a date, None: equal values of one type pass or fail alike) is
worked out once per field and value and given again after that; outside it every call checks.
The checks do not depend on the record (``model_instance`` is None), so the outcome is the same.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from types import NoneType

from django.core.exceptions import ValidationError

_PLAIN = (str, int, date, NoneType)
_outcomes: ContextVar[dict | None] = ContextVar("field_check_outcomes", default=None)


@contextmanager
def remembered():
    """Remember the outcome of each field's check of each plain value in the block (usable as a
    decorator). Nested blocks share the outermost one's outcomes."""
    if _outcomes.get() is not None:
        yield
        return
    token = _outcomes.set({})
    try:
        yield
    finally:
        _outcomes.reset(token)


def clean(field, value):
    """Return ``field.clean(value, None)``, or raise its ``ValidationError``."""
    outcomes = _outcomes.get()
    if outcomes is None or field.is_relation or not isinstance(value, _PLAIN):
        return field.clean(value, None)  # a relation's check asks the database
    # By the field's id, quicker to hash than the field; the outcome holds the field, so that
    # no other field takes its id while the outcomes are kept.
    key = (id(field), type(value), value)
    outcome = outcomes.get(key)
    if outcome is None:
        try:
            outcome = (True, field.clean(value, None), field)
        except ValidationError as exc:
            errors = exc.error_list if hasattr(exc, "error_list") else exc.error_dict
            outcome = (False, errors, field)
        outcomes[key] = outcome
    ok, result, _field = outcome
    if ok:
        return result
    raise ValidationError(result)
