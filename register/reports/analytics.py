"""Analytics computed once per change: the network figures, the influence rows and the due list,
kept in Django's cache under the data version they depend on (``register.dataversions``).

* An organisation's network and influence rows, and its due list, depend on the organisation's
  version: they are computed in the request that first asks after a change, then served from
  the cache until the organisation's data changes again.
* A county's and the national network (Louvain, betweenness, every organisation's figures: a
  second or more on a national register) depend on the national version. After a change the page
  serves the last complete figures with the time they were computed, and one background job
  (``register.jobs.enqueue``; a lock in the cache, so many requests after a change ask for one
  recompute) computes them again. Only when no figures exist at all are they computed in the
  request.

What a user may see decides what is counted (``Access``), so each entry is kept per visibility
(``Access.visibility_shape``: everything, or the organisations the user is a member of); the
background job rebuilds that Access from plain values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .. import dataversions, graph, jobs
from ..access import Access
from ..gc_pause import paused_gc
from ..selectors import due as due_selectors
from ..selectors.network import network_data
from . import network_svg

#: How long a lock on a recompute holds when its job never finishes (seconds).
LOCK_SECONDS = 600
#: Kept at most this long (seconds; a day): the date is in every key, so older entries are dead.
KEEP_SECONDS = 2 * 24 * 3600


# --- Whose view -----------------------------------------------------------------------------------


def visibility(access: Access) -> str:
    """Return what decides which arrangements the user's figures count, as a cache key's part:
    ``Access.audience`` (the one plain form of it, which a background job turns back into an
    Access with ``Access.for_audience``), hashed, since a member of many organisations has a long
    one."""
    audience = access.audience()
    if audience == "alla":
        return "all"
    return "m" + hashlib.sha256(audience.encode()).hexdigest()[:16]


# --- An organisation's network and influence ----------------------------------------------------


def organisation_network(access: Access, org_id: int, *, on: dt.date, include_ended: bool, kind):
    """Return (data, net, influence rows) of the organisation's partner network on ``on``, from
    the cache while the organisation's data is unchanged."""
    vis = visibility(access)
    # The network is kept pickled, so the key names the shape of graph.Network: a Redis cache
    # outlives a deploy, and an entry of another shape must never be read back.
    key = (
        f"analytics:org:{graph.Network.SHAPE}:{org_id}:{kind}:{on.isoformat()}:"
        f"{int(include_ended)}:{vis}"
    )
    version = dataversions.for_organisation(org_id)
    stored = cache.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    data = network_data(access, on=on, organisation_id=org_id, with_seats=True)
    net = graph.build(data, on=on, include_ended=include_ended, kind=kind)
    influence = graph.influence_rows(data, org_id, on=on, include_ended=include_ended)
    cache.set(key, (version, (data, net, influence)), KEEP_SECONDS)
    return data, net, influence


# --- The due list ------------------------------------------------------------------------------


def due_rows(access: Access, organisation, today: dt.date) -> list:
    """``selectors.due.due_rows``, from the cache while the organisation's data is unchanged
    (per user's rights: what they may act on is in the rows)."""
    if not due_selectors.may_see_due(access, organisation):
        return []
    return _kept(
        f"due:{organisation.pk}",
        access,
        today,
        dataversions.for_organisation(organisation.pk),
        lambda: due_selectors.due_rows(access, organisation, today),
    )


def _kept(name: str, access: Access, today: dt.date, version: int, compute):
    """Return ``compute()``, from the cache while ``version`` is unchanged (kept per day and per
    user's rights: what they may see and act on decides the result). ``version`` is read before
    computing, so a change meanwhile makes the result out of date at once."""
    rights = hashlib.sha256(repr(access.rights_shape()).encode()).hexdigest()[:16]
    key = f"analytics:{name}:{today.isoformat()}:{rights}"
    stored = cache.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    result = compute()
    cache.set(key, (version, result), KEEP_SECONDS)
    return result


# --- The overview of a portfolio ------------------------------------------------------------------


def overview_content(access: Access, scope, today: dt.date, render) -> str:
    """Return ``render()``, the overview's content (its figures, tables and charts as HTML, with
    nothing in it about who asks beyond what they may see), from the cache while the data
    under it is unchanged: an organisation's version for its own overview, the national one
    for a county's or the country's."""
    if scope.organisation is not None:
        name = f"overview:org:{scope.organisation.pk}"
        version = dataversions.for_organisation(scope.organisation.pk)
    else:
        name = f"overview:{scope.kind}:{scope.county.pk if scope.county else 'all'}"
        version = dataversions.national()

    def compute() -> str:
        if scope.organisation is not None:
            _remember_reader(scope.organisation.pk, access)
        return str(render())

    return mark_safe(_kept(name, access, today, version, compute))


#: How many different readers' rights an organisation's overview is kept computed for after a
#: change (the most recent; a reader not among them computes it in the request, as before).
OVERVIEW_READERS = 4


def _readers_key(org_id: int) -> str:
    return f"analytics:overview-readers:org:{org_id}"


def _remember_reader(org_id: int, access: Access) -> None:
    """Note that a reader with ``access``'s rights opened the organisation's overview (a change
    in the organisation then computes it again for them in the background)."""
    key = _readers_key(org_id)
    shape = access.rights_shape()
    readers = [r for r in cache.get(key, []) if r != shape]
    cache.set(key, [shape, *readers][:OVERVIEW_READERS], KEEP_SECONDS)


def keep_overviews_after(touched: dataversions.Touched) -> None:
    """After a committed change (``dataversions.after_change``): for each organisation it touched
    whose overview has been opened lately, compute that overview again in the background
    (``register.web.overview.keep_overview``), for the rights of those who opened it, so that
    their next request finds it kept. Nothing is served from it until it is computed under
    the new version; a request before that computes the overview itself, as before. A change to
    reference data (everything) is left to the requests."""
    if touched.everything or not touched.organisations:
        return
    keys = {_readers_key(pk): pk for pk in sorted(touched.organisations)}
    for key, readers in cache.get_many(list(keys)).items():
        # One job waiting per organisation, however many changes come before it starts.
        if readers and cache.add(_keeping_key(keys[key]), True, LOCK_SECONDS):
            shapes = [[bool(a), list(m), list(e)] for a, m, e in readers]
            jobs.enqueue("register.web.overview.keep_overview", keys[key], shapes)


def _keeping_key(org_id: int) -> str:
    return f"analytics:overview-keeping:org:{org_id}"


def keeping_overview_starts(org_id: int) -> None:
    """Called as the job begins: a change from now on asks for another job (this one may have
    read the data before that change)."""
    cache.delete(_keeping_key(org_id))


# --- A county's and the national network ---------------------------------------------------------


@dataclass
class AreaFigures:
    """A county's or the national network's figures, as shown on its page."""

    html: SafeString  # the page's figures, picture and tables
    computed: dt.datetime  # when they were computed
    version: int  # the national version they were computed at
    stale: bool = False  # a newer version exists: a recompute is under way
    cost_year: int | None = None  # the year the costs are of (the options line names it)


def _area_key(county_code, kind, on: dt.date, include_ended: bool, vis: str) -> str:
    return (
        f"analytics:area:{county_code or 'all'}:{kind}:{on.isoformat()}:{int(include_ended)}:{vis}"
    )


@paused_gc()
def compute_area(access: Access, county_code, county_name, *, kind, on, include_ended) -> dict:
    """Compute a county's (``county_code``) or the national (None) network's figures and render
    them (the page's part below its options). The garbage collector rests meanwhile: walking the
    process's objects again and again as the rows and graphs are made cost more than a third of
    the time (``register.gc_pause``)."""
    version = dataversions.national()  # read first: a change meanwhile makes them stale
    data = network_data(access, on=on, county_code=county_code)
    net = graph.build(data, on=on, include_ended=include_ended, kind=kind)
    area = graph.area_figures(net, county_code=county_code)
    title = f"Partnernätverket i {county_name or 'hela registret'}"
    network_url = reverse("register:organisation_network", args=[0]).replace("/0/", "/{}/")
    links = _Links(
        reverse("register:organisation_detail", args=[0]).replace("/0/", "/{}/"),
        reverse("register:arrangement_detail", args=[0]).replace("/0/", "/{}/"),
    )
    picture = network_svg.area_picture(net, area, links, title=title)
    orgs = data.orgs
    rows = [
        {
            "figures": area.figures[n],
            "url": network_url.format(n),
            "community": area.community_of.get(n),
            "betweenness": area.betweenness.get(n, 0.0),
        }
        for n in area.orgs
    ]
    rows.sort(key=lambda r: (-r["figures"].partners, r["figures"].org.name))
    html = render_to_string(
        "register/_network_area_figures.html",
        {
            "area": area,
            "rows": rows,
            "communities": [[orgs[n] for n in c] for c in area.communities],
            "cross": [
                {
                    "a": orgs[u],
                    "b": orgs[v],
                    "a_url": network_url.format(u),
                    "b_url": network_url.format(v),
                    "shared": e["shared"],
                    "money": e["money"],
                }
                for u, v, e in area.cross_county_ties[:100]
            ],
            "cross_count": len(area.cross_county_ties),
            "without": [(orgs[n], links.organisation(n)) for n in area.without_arrangement],
            "svg": network_svg.render(picture),
            "picture": picture,
            "cost_year": data.cost_year,
        },
    )
    return {
        "html": str(html),
        "computed": timezone.now(),
        "version": version,
        "cost_year": data.cost_year,
    }


class _Links:
    """The links of the picture's nodes (the internal pages)."""

    def __init__(self, organisation: str, arrangement: str):
        self._org, self._arr = organisation, arrangement

    def organisation(self, pk: int) -> str:
        return self._org.format(pk)

    def arrangement(self, pk: int) -> str:
        return self._arr.format(pk)


def recompute_area(county_code, county_name, kind, on, include_ended, audience):
    """The background job: compute the figures again, keep them, let the next change ask again."""
    on = dt.date.fromisoformat(on)
    access = Access.for_audience(audience)
    vis = visibility(access)
    key = _area_key(county_code, kind, on, include_ended, vis)
    try:
        entry = compute_area(
            access, county_code, county_name, kind=kind, on=on, include_ended=include_ended
        )
        cache.set(key, entry, KEEP_SECONDS)
    finally:
        cache.delete(f"{key}:lock")


def network_area(access: Access, county, *, kind, on: dt.date, include_ended: bool) -> AreaFigures:
    """Return the county's (None: the nation's) network figures: the current ones, or the last
    complete ones while a background job computes them again (``stale``); computed in the request
    only when none exist."""
    vis = visibility(access)
    county_code = county.code if county else None
    county_name = county.name if county else None
    key = _area_key(county_code, kind, on, include_ended, vis)
    entry = cache.get(key)
    if entry is None:
        entry = compute_area(
            access, county_code, county_name, kind=kind, on=on, include_ended=include_ended
        )
        cache.set(key, entry, KEEP_SECONDS)
    elif entry["version"] != dataversions.national():
        if cache.add(f"{key}:lock", 1, LOCK_SECONDS):
            jobs.enqueue(
                "register.reports.analytics.recompute_area",
                county_code,
                county_name,
                kind,
                on.isoformat(),
                include_ended,
                access.audience(),
            )
            entry = cache.get(key) or entry  # done already when the job ran in this process
    return AreaFigures(
        html=mark_safe(entry["html"]),  # rendered by our own template, escaped there
        computed=entry["computed"],
        version=entry["version"],
        stale=entry["version"] != dataversions.national(),
        cost_year=entry.get("cost_year"),
    )
