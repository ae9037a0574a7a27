"""The overview (home page): each of the user's organisations in figures, and deadlines ahead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Sum,
)

from .. import rules
from ..access import Access
from ..models import (
    Cost,
    Organisation,
    Participation,
)
from ..rules import BEST_AMOUNT


def add_months(day: dt.date, months: int) -> dt.date:
    """Return ``day`` moved by ``months`` (negative for earlier), clamped to the month's end."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


@dataclass
class Deadline:
    arrangement: Any
    end_date: dt.date
    notice_date: dt.date | None

    @property
    def first_date(self) -> dt.date:
        return self.notice_date or self.end_date


def upcoming(arrangements, *, today: dt.date, months: int = 24) -> list[Deadline]:
    """Return arrangements that end, or whose notice deadline falls, within ``months``.

    The notice deadline is the end date minus the notice period; a passed deadline with an end
    still ahead is kept, since the arrangement still ends within the horizon or has to be handled.
    """
    horizon = add_months(today, months)
    result = []
    for a in arrangements:
        if not a.end_date or a.end_date < today:
            continue
        notice = add_months(a.end_date, -a.notice_months) if a.notice_months else None
        if a.end_date <= horizon or (notice and notice <= horizon):
            result.append(Deadline(arrangement=a, end_date=a.end_date, notice_date=notice))
    return sorted(result, key=lambda d: (d.first_date, d.arrangement.name))


@dataclass
class OrganisationSummary:
    organisation: Organisation
    arrangement_count: int
    cost_year: int | None
    cost_total: int | None
    by_form: list
    deadlines: list


def home_summaries(access: Access, *, today: dt.date | None = None, limit: int = 5) -> list:
    """Return, for each of the user's organisations (at most ``limit``), the overview figures.

    Four queries however many organisations: each figure is grouped by organisation."""
    today = today or dt.date.today()
    organisations = list(
        Organisation.objects.filter(pk__in=access.member_org_ids).order_by("name")[:limit]
    )
    if not organisations:
        return []
    by_form: dict[int, list] = {org.pk: [] for org in organisations}
    active = Participation.objects.filter(organisation__in=organisations).filter(
        rules.ongoing_q(today, "arrangement__")
    )
    for row in (
        active.values("organisation_id", "arrangement__form__name")
        .annotate(n=Count("pk"))
        .order_by("organisation_id", "-n", "arrangement__form__name")
    ):
        org_id = row.pop("organisation_id")
        by_form[org_id].append(row)
    latest: dict[int, dict] = {}
    for row in (
        Cost.objects.filter(participation__organisation__in=organisations, year__lte=today.year)
        .values("participation__organisation_id", "year")
        .annotate(total=Sum(BEST_AMOUNT))
        .filter(total__isnull=False)
        .order_by("participation__organisation_id", "-year")
    ):
        latest.setdefault(row["participation__organisation_id"], row)
    ending: dict[int, list] = {org.pk: [] for org in organisations}
    for p in (
        Participation.objects.filter(
            organisation__in=organisations, arrangement__end_date__gte=today
        )
        .filter(rules.ongoing_q(today, "arrangement__"))
        .select_related("arrangement")
    ):
        ending[p.organisation_id].append(p.arrangement)
    summaries = []
    for org in organisations:
        yearly = latest.get(org.pk)
        summaries.append(
            OrganisationSummary(
                organisation=org,
                arrangement_count=sum(row["n"] for row in by_form[org.pk]),
                cost_year=yearly["year"] if yearly else None,
                cost_total=yearly["total"] if yearly else None,
                by_form=by_form[org.pk],
                deadlines=upcoming(ending[org.pk], today=today),
            )
        )
    return summaries
