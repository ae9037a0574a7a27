"""Saving and deleting any one record, or a formset of them, that the user may change; and
creating or deleting many records of one model at once (``records_create_many``,
``records_delete_many``) by the same rules.

``reason`` is the change reason on the history rows a write makes (simple-history's
``history_change_reason``): the importer tags its writes with its batch so that it can undo them
from the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms import BaseModelFormSet
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

from ..access import Access
from ..models import Body
from ..versions import Version, lock
from . import bulk

NOT_ALLOWED = "Du har inte behörighet att ändra de här uppgifterna."


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED)


def user_or_none(user):
    """The user a record names as its author (requested by, invited by, recorded by): None for
    no user or an anonymous one."""
    return user if user is not None and user.is_authenticated else None


def tag(instance: models.Model, reason: str) -> None:
    """Give the history row that saving or deleting ``instance`` makes ``reason`` as its change
    reason (none when ``reason`` is empty)."""
    if reason:
        instance._change_reason = reason


def _names(names: list[str]) -> str:
    """Return "A", "A och B" or "A, B och C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} och {names[-1]}"


def require_deletable(access: Access | None, instance: models.Model) -> None:
    """Refuse to delete what the user may not delete (call inside the deleting transaction).

    A body where another organisation has appointed seats is refused with a message that says
    whose seats they are (a ``ValidationError``, shown on the page); anything else not allowed is
    a ``PermissionDenied``.
    """
    if access is None:
        return
    if isinstance(instance, Body) and access.can_change(instance):
        lock(Body.objects.filter(pk=instance.pk), key=True)  # no seat is added meanwhile
        others = list(access.other_appointers(instance).values_list("name", flat=True))
        if others:
            raise ValidationError(
                f"Organet ”{instance}” kan inte tas bort eftersom {_names(others)} har utsett "
                "ledamöter eller andra uppdrag i det, och de skulle tas bort med organet. Be "
                "dem ta bort sina uppdrag först, eller be registrets administratör ta bort "
                "organet.",
                code="others_seats",
            )
    _require(access.can_delete(instance))


@transaction.atomic
def record_save(
    *,
    access: Access | None,
    instance: models.Model,
    save_m2m: Callable[[], None] | None = None,
    version: Version | None = None,
    reason: str = "",
) -> models.Model:
    """Validate and save one record the user may change (after a form has been validated).

    With ``version`` (what the user's page showed), a record changed meanwhile is refused with
    ``versions.StaleEdit``.
    """
    if access is not None:
        _require(access.can_change(instance))
        # Fields only a register administrator changes (the SCB reference facts), for every
        # writer, not only the forms that disable them.
        _require(not access.changed_locked_fields(instance))
    if version is not None:
        version.check()
    instance.full_clean()
    tag(instance, reason)
    instance.save()
    if save_m2m is not None:
        save_m2m()
    return instance


@transaction.atomic
def record_delete(
    *,
    access: Access | None,
    instance: models.Model,
    version: Version | None = None,
    reason: str = "",
) -> None:
    """Delete one record the user may delete.

    Raises ``django.db.models.ProtectedError`` when other records still refer to it, and
    ``versions.StaleEdit`` when it changed since the page in ``version`` was shown.
    """
    require_deletable(access, instance)
    if version is not None:
        version.check()
    tag(instance, reason)
    instance.delete()


@transaction.atomic
def formset_save(
    *,
    access: Access | None,
    formset: BaseModelFormSet,
    may_add: Callable[[models.Model], bool] | None = None,
    version: Version | None = None,
) -> list[models.Model]:
    """Save a validated model formset all or nothing.

    Every new or changed row must be one the user may change (``may_add`` decides for new rows when
    given, e.g. adding another organisation as a partner); every deleted row one they may delete.
    With ``version`` (what the user's page showed), rows changed, added or deleted meanwhile are
    refused with ``versions.StaleEdit``.
    """
    if version is not None:
        version.check()
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        require_deletable(access, obj)
    if access is not None:
        for obj in instances:
            if obj.pk is None and may_add is not None:
                _require(may_add(obj))
            else:
                _require(access.can_change(obj))
            _require(not access.changed_locked_fields(obj))
    for obj in formset.deleted_objects:
        obj.delete()
    for obj in instances:
        obj.full_clean()
        obj.save()
    formset.save_m2m()
    return instances


# --- Many records of one model ------------------------------------------------------------


@transaction.atomic
def records_create_many(
    *,
    model: type[models.Model],
    rows: list[dict],
    reason: str = "",
    m2m: dict[str, list[list]] | None = None,
    history: bool = True,
    validate: bool = True,
) -> list:
    """Create many records of ``model``, each given as a dict of attribute name to value
    (``organisation_id``, not ``organisation``), and return their primary keys in order.

    The rows are checked as :func:`record_save` checks one record (``full_clean()``): related
    records exist, every value keeps its field's rules and every row the model's ``clean()``;
    uniqueness and constraints are the database's, and the insert then fails as a whole. The
    first row that breaks a rule is refused with a ``ValidationError`` that names it, before
    anything is written. ``m2m`` gives, per many-to-many field, the related keys of every row.
    With ``history`` every record gets a history row with ``reason``. ``validate=False`` is for
    bookkeeping that is not register data and whose values the caller made itself.

    Written in bulk (:mod:`register.services.bulk`), without a model instance per record: the
    way a large import's commit and ``seed_scale`` write.
    """
    try:
        return bulk.insert(
            model, rows, history=history, reason=reason, m2m=m2m, validate_values=validate
        )
    except bulk.RowRefused as refused:
        raise ValidationError(
            f"{model._meta.verbose_name.capitalize()}, rad {refused.row}: "
            + "; ".join(_labelled(model, refused))
        ) from refused


def _labelled(model, error: ValidationError) -> list[str]:
    """Return the error's messages, each after the Swedish name of its field."""
    if not hasattr(error, "error_dict"):
        return error.messages
    texts = []
    for name, messages in error.message_dict.items():
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # the model's own clean(), about the record as a whole
            label = ""
        texts.append(f"{label}: {' '.join(messages)}" if label else " ".join(messages))
    return texts


@transaction.atomic
def records_delete_many(*, model: type[models.Model], pks: Iterable, reason: str = "") -> int:
    """Delete the records of ``model`` with the primary keys ``pks`` as deleting each one does
    (what refers to them is cascaded, set to null or protects them: ``ProtectedError``,
    ``RestrictedError``), their history rows tagged with ``reason``; return how many were
    deleted."""
    pks = list(pks)
    history = _history(model)
    deleted = 0
    step = bulk.ids_per_statement(model)
    for start in range(0, len(pks), step):
        chunk = pks[start : start + step]
        began = timezone.now()
        _, per_model = model._base_manager.filter(pk__in=chunk).delete()
        deleted += per_model.get(model._meta.label, 0)
        if reason and history is not None:
            # QuerySet.delete() makes its instances itself: the reason is given to their rows.
            history.filter(
                **{f"{model._meta.pk.attname}__in": chunk},
                history_type="-",
                history_date__gte=began,
            ).update(history_change_reason=reason)
    return deleted


def records_purge(*, model: type[models.Model], pks: list) -> None:
    """Delete rows of ``model`` with plain SQL: no signals and no history rows. Only for data
    that was never the register's (``seed_scale --replace``); the caller deletes or unlinks
    their dependents first (:func:`dependent_relations`)."""
    bulk.delete_rows(model, pks)


def dependent_relations(model) -> list:
    """Return the relations that point at ``model`` (reverse foreign keys and one-to-ones): what
    deleting a record of it cascades to, sets to null or is refused by. The same relations
    Django's deletion collector follows, found through the public ``_meta.get_fields()`` API."""
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
    ]


def _history(model):
    try:
        return get_history_manager_for_model(model)
    except NotHistoricalModelError:
        return None
