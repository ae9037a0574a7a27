"""Population by year: the figures that per-inhabitant costs and population shares divide by.

One query whatever the number of organisations. The table ``PopulationFigure`` holds SCB's
figures per year; an organisation's own ``population`` with its ``population_year`` counts as one
more figure (an organisation that is not reference data). Which figure serves a year is
``rules.population_in``: that year's, else the nearest earlier one, named.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import FilteredRelation, Q

from .. import rules
from ..models import Organisation


def population_by_year(org_ids=None, *, until_year: int | None = None) -> dict[int, dict]:
    """Return {organisation id: {year: population}} for ``org_ids`` (every organisation when
    None), the years up to ``until_year`` (all when None)."""
    condition = Q(population_figures__year__lte=until_year) if until_year is not None else Q()
    queryset = Organisation.objects.annotate(
        figure=FilteredRelation("population_figures", condition=condition)
    )
    if org_ids is not None:
        queryset = queryset.filter(pk__in=org_ids)
    result: dict[int, dict] = defaultdict(dict)
    for pk, own, own_year, year, population in queryset.values_list(
        "pk", "population", "population_year", "figure__year", "figure__population"
    ):
        result[pk]  # every organisation asked for has an entry, even without a figure
        if year is not None:
            result[pk][year] = population
        if own and own_year and (until_year is None or own_year <= until_year):
            result[pk].setdefault(own_year, own)
    return dict(result)


def populations_in(year: int, org_ids=None) -> dict[int, rules.Population]:
    """Return each organisation's population for ``year`` (``rules.population_in``); an
    organisation without a figure for that year or before is left out."""
    result = {}
    for pk, by_year in population_by_year(org_ids, until_year=year).items():
        figure = rules.population_in(year, by_year)
        if figure is not None:
            result[pk] = figure
    return result


def scope_population(year: int, by_org: dict[int, dict]) -> rules.Population | None:
    """Return the population of several organisations together in ``year`` (a county's or the
    nation's municipalities): the sum of each one's figure for the year, named by the oldest year
    among them; None when any of them has no figure."""
    figures = [rules.population_in(year, by_year) for by_year in by_org.values()]
    if not figures or any(f is None for f in figures):
        return None
    return rules.Population(sum(f.population for f in figures), min(f.year for f in figures))
