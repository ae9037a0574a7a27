"""Saving and deleting any one record, or a formset of them, that the user may change."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms import BaseModelFormSet

from ..access import Access
from ..models import Body
from ..versions import Version, lock

NOT_ALLOWED = "Du har inte behörighet att ändra de här uppgifterna."


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED)


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
) -> models.Model:
    """Validate and save one record the user may change (after a form has been validated).

    With ``version`` (what the user's page showed), a record changed meanwhile is refused with
    ``versions.StaleEdit``.
    """
    if access is not None:
        _require(access.can_change(instance))
    if version is not None:
        version.check()
    instance.full_clean()
    instance.save()
    if save_m2m is not None:
        save_m2m()
    return instance


@transaction.atomic
def record_delete(
    *, access: Access | None, instance: models.Model, version: Version | None = None
) -> None:
    """Delete one record the user may delete.

    Raises ``django.db.models.ProtectedError`` when other records still refer to it, and
    ``versions.StaleEdit`` when it changed since the page in ``version`` was shown.
    """
    require_deletable(access, instance)
    if version is not None:
        version.check()
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
    for obj in formset.deleted_objects:
        obj.delete()
    for obj in instances:
        obj.full_clean()
        obj.save()
    formset.save_m2m()
    return instances
