"""Write side of the register: every change goes through one of these functions.

Services are keyword-only, run in one transaction and call ``full_clean()`` before saving, so that
nothing half-written reaches the database. Those that take ``access`` check it themselves and raise
``PermissionDenied``; ``access=None`` means a trusted caller (a management command or the importer,
which checks the user's right to the whole batch).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms import BaseModelFormSet
from django.utils import timezone

from .access import Access
from .models import Arrangement, Body, Cost, JoinRequest, Organisation, Participation
from .versions import Version, lock

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


# --- Generic records -------------------------------------------------------------------------


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


# --- Arrangements ----------------------------------------------------------------------------


@transaction.atomic
def arrangement_create(
    *,
    access: Access | None,
    organisation: Organisation | None,
    service_areas: Iterable = (),
    motives: Iterable = (),
    **fields,
) -> Arrangement:
    """Create an arrangement with ``organisation`` (the creator's) as its first participant."""
    if access is not None:
        _require(access.can_create_arrangement())
        if organisation is None and not access.is_admin:
            raise PermissionDenied("Välj för vilken organisation samverkan registreras.")
        if organisation is not None:
            _require(organisation.pk in access.editor_org_ids or access.is_admin)
    arrangement = Arrangement(**fields)
    arrangement.full_clean()
    arrangement.save()
    arrangement.service_areas.set(service_areas)
    arrangement.motives.set(motives)
    if organisation is not None:
        role = (
            Participation.Role.HOST
            if arrangement.host_id == organisation.pk
            else Participation.Role.MEMBER
        )
        participation_set(
            access=None, arrangement=arrangement, organisation=organisation, role=role
        )
    return arrangement


@transaction.atomic
def participation_set(
    *,
    access: Access | None,
    arrangement: Arrangement,
    organisation: Organisation,
    **fields,
) -> Participation:
    """Create or update the organisation's participation in the arrangement."""
    participation = Participation.objects.filter(
        arrangement=arrangement, organisation=organisation
    ).first()
    if participation is None:
        participation = Participation(arrangement=arrangement, organisation=organisation)
        if access is not None:
            _require(access.can_change(arrangement))
    elif access is not None:
        _require(access.can_change(participation))
    for name, value in fields.items():
        setattr(participation, name, value)
    participation.full_clean()
    participation.save()
    return participation


@transaction.atomic
def cost_set(
    *,
    access: Access | None,
    participation: Participation,
    year: int,
    budget: int | None = None,
    outcome: int | None = None,
    forecast: int | None = None,
    note: str = "",
) -> Cost:
    """Create or update the participation's cost for one year (whole kronor)."""
    cost = Cost.objects.filter(participation=participation, year=year).first()
    if cost is None:
        cost = Cost(participation=participation, year=year)
    if access is not None:
        _require(access.can_change(cost))
    cost.budget, cost.outcome, cost.forecast, cost.note = budget, outcome, forecast, note
    cost.full_clean()
    cost.save()
    return cost


# --- Requests to join ------------------------------------------------------------------------


def _user_or_none(user):
    return user if user is not None and user.is_authenticated else None


@transaction.atomic
def join_request_create(
    *,
    access: Access | None,
    arrangement: Arrangement,
    organisation: Organisation,
    role: str = Participation.Role.MEMBER,
    message: str = "",
    user=None,
    import_batch=None,
) -> JoinRequest:
    """Ask for ``organisation`` to take part in ``arrangement``: a pending request that an editor
    of one of its participants accepts or declines.

    Raises ``ValidationError`` when the organisation already takes part or already has a pending
    request (one waits at a time).
    """
    if access is not None:
        _require(access.can_request_join(arrangement, organisation))
    join_request = JoinRequest(
        arrangement=arrangement,
        organisation=organisation,
        role=role,
        message=message,
        requested_by=_user_or_none(user),
        import_batch=import_batch,
    )
    join_request.full_clean()
    join_request.save()
    return join_request


def _pending(join_request: JoinRequest) -> JoinRequest:
    """Return the request locked for the decision; raise if it is already answered."""
    locked = (
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("arrangement", "organisation")
        .get(pk=join_request.pk)
    )
    if not locked.is_pending:
        raise ValidationError(
            f"Begäran är redan {locked.get_status_display().lower()}.", code="answered"
        )
    return locked


def _decide(join_request: JoinRequest, status: str, user) -> None:
    join_request.status = status
    join_request.decided_by = _user_or_none(user)
    join_request.decided_at = timezone.now()
    join_request.full_clean()
    join_request.save()


@transaction.atomic
def join_request_accept(
    *, access: Access | None, join_request: JoinRequest, user=None
) -> Participation:
    """Accept a pending request: the organisation becomes a participant with the requested role,
    through the same service as adding a partner on the participations page."""
    locked = _pending(join_request)
    if access is not None:
        _require(access.can_decide_join_request(locked))
    participation = Participation.objects.filter(
        arrangement=locked.arrangement, organisation=locked.organisation
    ).first()
    if participation is None:  # else added meanwhile on the participations page
        participation = participation_set(
            access=access,
            arrangement=locked.arrangement,
            organisation=locked.organisation,
            role=locked.role,
        )
    _decide(locked, JoinRequest.Status.ACCEPTED, user)
    join_request.status, join_request.decided_at = locked.status, locked.decided_at
    return participation


@transaction.atomic
def join_request_decline(*, access: Access | None, join_request: JoinRequest, user=None) -> None:
    """Decline a pending request; nothing else changes."""
    locked = _pending(join_request)
    if access is not None:
        _require(access.can_decide_join_request(locked))
    _decide(locked, JoinRequest.Status.DECLINED, user)
    join_request.status, join_request.decided_at = locked.status, locked.decided_at
