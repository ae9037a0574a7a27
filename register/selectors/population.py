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
from ..models import County, Organisation


def population_by_year(org_ids=None, *, until_year: int | None = None) -> dict[int, dict]:
    """Return {organisation id: {year: population}} for ``org_ids`` (every organisation when
    None), the years up to ``until_year`` (all when None)."""
    queryset = _with_figures(org_ids, until_year).values_list(*_FIGURE_FIELDS)
    result: dict[int, dict] = defaultdict(dict)
    for row in queryset:
        _add_figure(result, row, until_year)
    return dict(result)


def organisations_and_populations(org_ids, *, until_year: int) -> tuple[dict, dict]:
    """Return ({organisation id: the Organisation, with its county}, ``population_by_year``'s
    figures) for ``org_ids``, in one query: each organisation is made once, however many
    figures and participations it has, so that a portfolio's participations can share them
    (made for each participation with ``select_related``, they were a fifth of the overview)."""
    own = [f.attname for f in Organisation._meta.concrete_fields]
    county = [f.attname for f in County._meta.concrete_fields]
    queryset = _with_figures(org_ids, until_year)
    rows = queryset.values_list(*_FIGURE_FIELDS, *own, *(f"county__{n}" for n in county))
    start, middle = len(_FIGURE_FIELDS), len(_FIGURE_FIELDS) + len(own)
    organisations: dict[int, Organisation] = {}
    figures: dict[int, dict] = defaultdict(dict)
    for row in rows:
        _add_figure(figures, row, until_year)
        if row[0] not in organisations:
            organisation = Organisation.from_db(queryset.db, own, row[start:middle])
            values = row[middle:]
            organisation.county = (
                County.from_db(queryset.db, county, values) if values[0] is not None else None
            )
            organisations[row[0]] = organisation
    return organisations, dict(figures)


_FIGURE_FIELDS = ("pk", "population", "population_year", "figure__year", "figure__population")


def _with_figures(org_ids, until_year: int | None):
    """The organisations (``org_ids``, every one when None) joined to their figures up to
    ``until_year``: a row per organisation and figure."""
    condition = Q(population_figures__year__lte=until_year) if until_year is not None else Q()
    queryset = Organisation.objects.annotate(
        figure=FilteredRelation("population_figures", condition=condition)
    )
    return queryset if org_ids is None else queryset.filter(pk__in=org_ids)


def _add_figure(result: dict, row, until_year: int | None) -> None:
    """Add one row of ``_FIGURE_FIELDS`` to {organisation id: {year: population}}: SCB's figure
    of the year, and the organisation's own figure where SCB has none for its year."""
    pk, own, own_year, year, population = row[:5]
    by_year = result[pk]  # every organisation asked for has an entry, even without a figure
    if year is not None:
        by_year[year] = population
    if own and own_year and (until_year is None or own_year <= until_year):
        by_year.setdefault(own_year, own)


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
