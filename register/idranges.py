"""Ask the database about many ids at once without a value per id in the statement.

Records written in bulk get ids one after the other, and what is asked about them afterwards (do
the related records exist, which arrangement does each belong to) names thousands of ids. An
``IN (...)`` list of them costs Django a conversion per id and the database a parameter per id;
a run of ids with few gaps is asked for as one range instead (``>= first AND <= last``), the
few ids outside runs in a list as before, and the rows that the ranges find besides the ids asked
for (the gaps) are left out here. The rows returned are exactly those an ``IN`` list returns.
"""

from __future__ import annotations

from django.db.models import Q

# A run is this many ids or more, each at most MAX_GAP above the one before (so at least half of
# the ids a range covers are asked for); fewer ids go in the list.
MIN_RUN = 64
MAX_GAP = 2
# More runs than this and the ids are asked for in a plain list, as without runs.
MAX_RUNS = 32


def runs(ids) -> tuple[list[tuple[int, int]], list]:
    """Split ids into ranges ``(first, last)`` of dense runs and the ids left over.

    Anything that is not a plain int (a string id, None) is never put in a range."""
    values = set(ids)
    if not values or set(map(type, values)) != {int}:
        return [], list(values)
    ordered = sorted(values)
    ranges: list[tuple[int, int]] = []
    rest: list[int] = []
    start = 0
    for i in range(1, len(ordered) + 1):
        if i == len(ordered) or ordered[i] - ordered[i - 1] > MAX_GAP:
            if i - start >= MIN_RUN:
                ranges.append((ordered[start], ordered[i - 1]))
            else:
                rest.extend(ordered[start:i])
            start = i
    if len(ranges) > MAX_RUNS:
        return [], ordered
    return ranges, rest


def rows_in(queryset, name: str, ids, *fields, step: int | None = None) -> list[tuple]:
    """Return ``(value of name, *fields)`` of every row of ``queryset`` whose ``name`` is one of
    ``ids``, as ``queryset.filter(<name>__in=ids).values_list(name, *fields)`` does (in no
    particular order), with one query for the ranges and the first ``step`` leftover ids and one
    more per further ``step`` of them (all of them in one query when ``step`` is None)."""
    ranges, rest = runs(ids)
    wanted = set(ids)
    if not ranges and not rest:
        return []
    if step:  # each range is two of a statement's values
        step = max(1, step - 2 * len(ranges))
    chunks = [rest[i : i + step] for i in range(0, len(rest), step)] if step else [rest]
    found: list[tuple] = []
    for index, chunk in enumerate(chunks or [[]]):
        condition = Q(**{f"{name}__in": chunk}) if chunk else Q()
        if index == 0:
            for first, last in ranges:
                condition |= Q(**{f"{name}__gte": first, f"{name}__lte": last})
        rows = queryset.filter(condition).values_list(name, *fields)
        if ranges:  # a range finds the ids in its gaps too: only those asked for are kept
            rows = [row for row in rows if row[0] in wanted]
        found.extend(rows)
    return found
