"""Costs as the pages show them: the best figure, a table per year, the latest trend.

Pure Python fed with prefetched rows; the best figure is ``rules.best_amount``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import rules

MEASURES = {
    "amount": "Utfall, annars prognos eller budget",
    "outcome": "Utfall",
    "budget": "Budget",
    "forecast": "Prognos",
}


def cost_value(cost, measure: str = "amount"):
    """Return the figure of ``measure`` for a cost row (``amount`` = the best available)."""
    if measure == "amount":
        return rules.best_amount(cost)
    return getattr(cost, measure, None)


@dataclass(frozen=True, slots=True)
class CostRow:
    """A cost's figures for one year, without the model instance."""

    year: int
    budget: int | None = None
    outcome: int | None = None
    forecast: int | None = None


@dataclass
class PivotRow:
    participation: Any
    cells: list
    total: int | None


@dataclass
class CostPivot:
    measure: str
    years: list[int]
    rows: list[PivotRow]
    column_totals: list
    grand_total: int | None

    @property
    def is_empty(self) -> bool:
        return not self.years


def _sum(values) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def cost_pivot(participations, measure: str = "amount") -> CostPivot:
    """Return costs as a table: one row per participation, one column per year, with totals.

    ``participations`` carry their costs as ``p.costs.all()`` (prefetched) or a list ``p.cost_list``.
    """
    if measure not in MEASURES:
        measure = "amount"
    rows_by_year = []
    years: set[int] = set()
    for p in participations:
        costs = getattr(p, "cost_list", None)
        if costs is None:
            costs = list(p.costs.all())
        by_year = {c.year: cost_value(c, measure) for c in costs}
        years.update(y for y, v in by_year.items() if v is not None)
        rows_by_year.append((p, by_year))
    ordered_years = sorted(years)
    rows = []
    for p, by_year in rows_by_year:
        cells = [by_year.get(y) for y in ordered_years]
        rows.append(PivotRow(participation=p, cells=cells, total=_sum(cells)))
    column_totals = [_sum(row.cells[i] for row in rows) for i in range(len(ordered_years))]
    return CostPivot(
        measure=measure,
        years=ordered_years,
        rows=rows,
        column_totals=column_totals,
        grand_total=_sum(column_totals),
    )


@dataclass
class CostTrend:
    year: int | None = None
    amount: int | None = None
    previous_year: int | None = None
    previous_amount: int | None = None
    kind_label: str = ""  # which figure ``amount`` is ("utfall", "prognos", "budget")

    @property
    def change(self) -> int | None:
        if self.amount is None or self.previous_amount is None:
            return None
        return self.amount - self.previous_amount

    @property
    def change_percent(self) -> float | None:
        return rules.change_percent(self.amount, self.previous_amount)


def year_trend(costs, year: int) -> CostTrend:
    """Return the cost of ``year`` (the reference year, ``rules.reference_year``), which figure
    it is, and the change from the year before: what the pages show as "this year's cost"."""
    by_year = {c.year: c for c in costs}
    amount = rules.amount_of(by_year[year]) if year in by_year else rules.Amount(year, None)
    before = by_year.get(year - 1)
    return CostTrend(
        year=year,
        amount=amount.amount,
        previous_year=year - 1,
        previous_amount=cost_value(before) if before is not None else None,
        kind_label=amount.kind_label,
    )
