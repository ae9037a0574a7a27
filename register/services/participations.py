"""An organisation's participation in an arrangement and its costs per year."""

from __future__ import annotations

from django.db import transaction

from ..access import Access
from ..models import Arrangement, Cost, Organisation, Participation
from .records import _require, tag


@transaction.atomic
def participation_set(
    *,
    access: Access | None,
    arrangement: Arrangement,
    organisation: Organisation,
    reason: str = "",
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
    tag(participation, reason)
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
