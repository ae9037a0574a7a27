"""Creating arrangements, each with the organisation that registers it as its first participant.

The rule is here once, for one arrangement (a form, the demo loader) and for many at a time (an
import's commit): the first participant's role follows from the form and whether it hosts the
arrangement (:func:`creator_role`), and its entry decision, when one is given, is recorded as a
decision of that organisation on the arrangement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..access import Access
from ..models import Arrangement, CooperationForm, Decision, Organisation, Participation
from ..rules import participant_role
from .participations import participation_set
from .records import _require, record_save, records_create_many, tag


def creator_role(form: CooperationForm | None, *, host_id, organisation_id) -> str:
    """Return the role of the organisation that registers an arrangement of ``form``."""
    return participant_role(form, is_host=host_id is not None and host_id == organisation_id)


def _require_creator(access: Access | None, organisation: Organisation | None) -> None:
    if access is None:
        return
    _require(access.can_create_arrangement())
    if organisation is None and access.must_choose_organisation(Arrangement):
        raise PermissionDenied("Välj för vilken organisation samverkan registreras.")
    if organisation is not None:
        _require(access.can_create_for(Arrangement, organisation))


@transaction.atomic
def arrangement_create(
    *,
    access: Access | None,
    organisation: Organisation | None,
    service_areas: Iterable = (),
    motives: Iterable = (),
    participation: dict | None = None,
    entry_decision: dict | None = None,
    reason: str = "",
    **fields,
) -> Arrangement:
    """Create an arrangement with ``organisation`` (the creator's) as its first participant.

    ``participation`` gives more fields of that participation (a responsible body, notes) and
    ``entry_decision`` the fields of the decision by which the organisation entered (deciding
    body, date, reference, title).
    """
    _require_creator(access, organisation)
    arrangement = Arrangement(**fields)
    arrangement.full_clean()
    tag(arrangement, reason)
    arrangement.save()
    arrangement.service_areas.set(service_areas)
    arrangement.motives.set(motives)
    if organisation is not None:
        own = dict(participation or {})
        if entry_decision is not None:
            decision = Decision(
                arrangement=arrangement,
                organisation=organisation,
                kind=Decision.Kind.ENTRY,
                **entry_decision,
            )
            own["entry_decision"] = record_save(access=None, instance=decision, reason=reason)
        role = creator_role(
            arrangement.form, host_id=arrangement.host_id, organisation_id=organisation.pk
        )
        participation_set(
            access=None,
            arrangement=arrangement,
            organisation=organisation,
            role=role,
            reason=reason,
            **own,
        )
    return arrangement


@dataclass(frozen=True)
class Created:
    """What :func:`arrangements_create_many` created for one arrangement."""

    arrangement_id: int
    participation_id: int
    entry_decision_id: int | None


@transaction.atomic
def arrangements_create_many(
    *,
    access: Access | None,
    organisation: Organisation,
    arrangements: list[dict],
    service_areas: list[list[int]] | None = None,
    participations: list[dict] | None = None,
    entry_decisions: list[dict | None] | None = None,
    reason: str = "",
) -> list[Created]:
    """Create many arrangements as :func:`arrangement_create` creates one, in bulk.

    The arrangements, the creator's participations and entry decisions are given as lists of
    dicts of attribute names to values (``form_id``, ``host_id``), one item per arrangement;
    ``service_areas`` gives each arrangement's area ids. Checked and written as
    :func:`register.services.records.records_create_many` does.
    """
    _require_creator(access, organisation)
    count = len(arrangements)
    forms = CooperationForm.objects.in_bulk({row["form_id"] for row in arrangements})
    arrangement_ids = records_create_many(
        model=Arrangement,
        rows=arrangements,
        reason=reason,
        m2m={"service_areas": service_areas} if service_areas is not None else None,
    )
    decisions = entry_decisions or [None] * count
    decided = [i for i, fields in enumerate(decisions) if fields is not None]
    decision_ids = dict(
        zip(
            decided,
            records_create_many(
                model=Decision,
                rows=[
                    {
                        "arrangement_id": arrangement_ids[i],
                        "organisation_id": organisation.pk,
                        "kind": Decision.Kind.ENTRY.value,
                        **decisions[i],
                    }
                    for i in decided
                ],
                reason=reason,
            ),
            strict=True,
        )
    )
    own = participations or [{}] * count
    participation_ids = records_create_many(
        model=Participation,
        rows=[
            {
                **own[i],
                "arrangement_id": arrangement_ids[i],
                "organisation_id": organisation.pk,
                "role": creator_role(
                    forms.get(row["form_id"]),
                    host_id=row.get("host_id"),
                    organisation_id=organisation.pk,
                ),
                "entry_decision_id": decision_ids.get(i),
            }
            for i, row in enumerate(arrangements)
        ],
        reason=reason,
    )
    return [
        Created(arrangement_ids[i], participation_ids[i], decision_ids.get(i)) for i in range(count)
    ]
