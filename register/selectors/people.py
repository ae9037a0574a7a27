"""A person's page: the person and the seats the user may see."""

from __future__ import annotations

from ..access import Access
from ..models import (
    Person,
    Seat,
)


def person_detail(access: Access, pk: int):
    person = (
        access.people(Person.objects.select_related("organisation", "user")).filter(pk=pk).first()
    )
    if person is None:
        return None, []
    seats = list(
        Seat.objects.filter(person=person, body__arrangement__in=access.arrangements().values("pk"))
        .select_related("body", "body__arrangement", "appointed_by")
        .order_by("-term_start", "body__arrangement__name")
    )
    return person, seats
