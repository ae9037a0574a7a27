"""Creating an arrangement with its first participant."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..access import Access
from ..models import Arrangement, Organisation
from ..rules import participant_role
from .participations import participation_set
from .records import _require


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
        role = participant_role(arrangement.form, is_host=arrangement.host_id == organisation.pk)
        participation_set(
            access=None, arrangement=arrangement, organisation=organisation, role=role
        )
    return arrangement
