"""The overview (home page): each of the user's organisations in figures, and deadlines ahead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from .. import rules
from ..access import Access
from ..models import (
    Cost,
    Organisation,
    Participation,
)
from .costs import CostRow


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
    horizon = rules.add_months(today, months)
    result = []
    for a in arrangements:
        if not a.end_date or a.end_date < today:
            continue
        notice = rules.notice_deadline(a.end_date, a.notice_months)
        if a.end_date <= horizon or (notice and notice <= horizon):
            result.append(Deadline(arrangement=a, end_date=a.end_date, notice_date=notice))
    return sorted(result, key=lambda d: (d.first_date, d.arrangement.name))


@dataclass
class OrganisationSummary:
    organisation: Organisation
    arrangement_count: int
    cost: rules.Amount  # the reference year's (``rules.reference_year``)
    by_form: list
    deadlines: list

    @property
    def cost_year(self) -> int:
        return self.cost.year

    @property
    def cost_total(self) -> int | None:
        return self.cost.amount


def home_summaries(access: Access, *, today: dt.date | None = None, limit: int = 5) -> list:
    """Return, for each of the user's organisations (at most ``limit``), the overview figures:
    the arrangements it takes part in today (``rules.takes_part``), its cost in the reference year
    (``rules.reference_year``), by form, and what ends or must be given notice within 24 months.

    Four queries however many organisations: each figure is grouped by organisation."""
    today = today or rules.today()
    year = rules.reference_year(today)
    organisations = list(access.member_organisations().order_by("name")[:limit])
    if not organisations:
        return []
    by_form: dict[int, list] = {org.pk: [] for org in organisations}
    active = Participation.objects.filter(organisation__in=organisations).filter(
        rules.takes_part_q(today)
    )
    for row in (
        active.values("organisation_id", "arrangement__form__name")
        .annotate(n=Count("pk"))
        .order_by("organisation_id", "-n", "arrangement__form__name")
    ):
        org_id = row.pop("organisation_id")
        by_form[org_id].append(row)
    costs: dict[int, rules.Amount] = {org.pk: rules.Amount(year, None) for org in organisations}
    for org_id, budget, outcome, forecast in Cost.objects.filter(
        participation__organisation__in=organisations, year=year
    ).values_list("participation__organisation_id", "budget", "outcome", "forecast"):
        costs[org_id] = costs[org_id] + rules.amount_of(CostRow(year, budget, outcome, forecast))
    ending: dict[int, list] = {org.pk: [] for org in organisations}
    for p in (
        active.filter(arrangement__end_date__isnull=False)
        .select_related("arrangement")
        .order_by("arrangement__name")
    ):
        ending[p.organisation_id].append(p.arrangement)
    summaries = []
    for org in organisations:
        summaries.append(
            OrganisationSummary(
                organisation=org,
                arrangement_count=sum(row["n"] for row in by_form[org.pk]),
                cost=costs[org.pk],
                by_form=by_form[org.pk],
                deadlines=upcoming(ending[org.pk], today=today),
            )
        )
    return summaries
