"""The partner network's pages and downloads: an organisation's network and its influence against
cost, a county's and the national network. Thin views: the data comes from
register/selectors/network.py (through Access), the figures from register/graph.py and the
picture from network_svg.py, always next to a table of the same data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import graph, rules
from ..access import Access
from ..downloads import download
from ..models import County, Organisation
from ..reports import analytics, network_svg
from ..reports import network as files
from ..selectors.network import network_data

FORMATS = {
    "json": ".json",
    "gexf": ".gexf",
    "graphml": ".graphml",
    "csv": ".csv",
    "xlsx": ".xlsx",
}
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


class NetworkOptions(forms.Form):
    """The choices of every network page (GET): kinds, a date, history."""

    typ = forms.ChoiceField(
        label="Organisationer",
        choices=[(k, label) for k, (label, _) in graph.KINDS.items()],
        required=False,
    )
    datum = forms.DateField(
        label="Nätverket per datum",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Tomt: i dag.",
        error_messages={"invalid": "Skriv datumet som ÅÅÅÅ-MM-DD."},
    )
    historik = forms.BooleanField(
        label="Ta med avslutad samverkan och parter som lämnat", required=False
    )

    def clean_datum(self):
        value = self.cleaned_data.get("datum")
        if value is not None and not (MIN_DATE <= value <= MAX_DATE):
            raise forms.ValidationError("Välj ett datum mellan år 1900 och 2100.")
        return value


@dataclass
class Options:
    kind: str
    on: dt.date
    include_ended: bool
    form: NetworkOptions

    @property
    def kind_label(self) -> str:
        return graph.KINDS[self.kind][0]

    def query(self) -> str:
        """The options as a query string for the download links (only what the user chose)."""
        from urllib.parse import urlencode

        params = {"typ": self.kind}
        if self.form.is_bound and self.form.is_valid() and self.form.cleaned_data.get("datum"):
            params["datum"] = self.on.isoformat()
        if self.include_ended:
            params["historik"] = "on"
        return urlencode(params)


def options(request, *, default_kind: str) -> Options:
    data = request.GET if any(k in request.GET for k in ("typ", "datum", "historik")) else None
    form = NetworkOptions(data, initial={"typ": default_kind})
    kind, on, history = default_kind, rules.today(), False
    if form.is_bound:
        form.is_valid()  # a bad value keeps its default and shows its message
        cleaned = getattr(form, "cleaned_data", {})
        kind = cleaned.get("typ") or default_kind
        on = cleaned.get("datum") or on
        history = bool(cleaned.get("historik"))
    return Options(kind=kind, on=on, include_ended=history, form=form)


class Urls:
    """The links of the picture's nodes (one reverse per kind of page, then string work)."""

    def __init__(self):
        self._org = reverse("register:organisation_detail", args=[0]).replace("/0/", "/{}/")
        self._arr = reverse("register:arrangement_detail", args=[0]).replace("/0/", "/{}/")

    def organisation(self, pk: int) -> str:
        return self._org.format(pk)

    def arrangement(self, pk: int) -> str:
        return self._arr.format(pk)


def _format(request) -> str:
    fmt = request.GET.get("format", "json")
    if fmt not in FORMATS:
        raise Http404("Det formatet finns inte. Välj json, gexf, graphml, csv eller xlsx.")
    return fmt


def _send(fmt: str, net, figures, nodes, name: str, title: str):
    if fmt == "gexf":
        content = files.graph_gexf(net, nodes)
    elif fmt == "graphml":
        content = files.graph_graphml(net, nodes)
    elif fmt == "json":
        content = files.graph_json(net, nodes)
    elif fmt == "csv":
        content = files.figures_csv(figures)
    else:
        content = files.figures_xlsx(figures, title=title)
    return download(content, name, extension=FORMATS[fmt])


# --- An organisation -----------------------------------------------------------------------------


def _organisation_network(request, pk):
    access = Access.for_user(request.user)
    organisation = get_object_or_404(
        access.organisations(Organisation.objects.select_related("county")), pk=pk
    )
    opts = options(request, default_kind="all")
    data, net, influence = analytics.organisation_network(
        access, organisation.pk, on=opts.on, include_ended=opts.include_ended, kind=opts.kind
    )
    return access, organisation, opts, data, net, influence


@login_required
@require_safe
def organisation_network(request, pk):
    access, organisation, opts, data, net, influence = _organisation_network(request, pk)
    in_graph = organisation.pk in net.graph
    figures = graph.org_figures(net, organisation.pk, influence) if in_graph else None
    partners = []
    links = Urls()
    if in_graph:
        for p, edge in net.graph[organisation.pk].items():
            arrangements = sorted(
                (data.arrangements[a] for a in edge["arrangements"]), key=lambda a: a.name
            )
            partners.append(
                {
                    "org": data.orgs[p],
                    "url": links.organisation(p),
                    "shared": edge["shared"],
                    "money": edge["money"],
                    "cross": graph.crosses_county(data.orgs[organisation.pk], data.orgs[p]),
                    "arrangements": [(a, links.arrangement(a.id)) for a in arrangements],
                }
            )
        partners.sort(key=lambda r: (-r["shared"], -r["money"], r["org"].name))
    picture = network_svg.ego_picture(net, organisation.pk, links) if in_graph else None
    return render(
        request,
        "register/network_organisation.html",
        {
            "organisation": organisation,
            "opts": opts,
            "figures": figures,
            "partners": partners,
            "arrangements": [
                (data.arrangements[a], links.arrangement(a))
                for a in net.arrangements_of(organisation.pk)
            ],
            "svg": network_svg.render(picture) if picture else "",
            "picture": picture,
            "cost_year": data.cost_year,
            "formats": FORMATS,
            "flagged": sum(1 for r in influence if r.flagged),
            "gap": graph.rules.INFLUENCE_GAP_POINTS,
        },
    )


@login_required
@require_safe
def organisation_influence(request, pk):
    access, organisation, opts, data, net, influence = _organisation_network(request, pk)
    return render(
        request,
        "register/network_influence.html",
        {
            "organisation": organisation,
            "opts": opts,
            "rows": influence,
            "cost_year": data.cost_year,
            "population_year": getattr(data.orgs.get(organisation.pk), "population_year", None),
            "gap": graph.rules.INFLUENCE_GAP_POINTS,
        },
    )


@login_required
@require_safe
def organisation_network_download(request, pk):
    fmt = _format(request)
    access, organisation, opts, data, net, influence = _organisation_network(request, pk)
    if organisation.pk not in net.graph:
        raise Http404("Organisationen är inte med i nätverket med det urvalet.")
    nodes = [organisation.pk, *net.graph[organisation.pk]]
    figures = [graph.org_figures(net, organisation.pk, influence)]
    return _send(
        fmt,
        net,
        figures,
        nodes,
        f"natverk-{organisation.name}",
        f"Partnernätverket för {organisation.name} per {opts.on.isoformat()}",
    )


# --- A county and the nation ---------------------------------------------------------------------


def _area(request, county: County | None):
    access = Access.for_user(request.user)
    opts = options(request, default_kind="municipality_region")
    data = network_data(access, on=opts.on, county_code=county.code if county else None)
    net = graph.build(data, on=opts.on, include_ended=opts.include_ended, kind=opts.kind)
    area = graph.area_figures(net, county_code=county.code if county else None)
    return access, opts, data, net, area


def _area_page(request, county: County | None):
    access = Access.for_user(request.user)
    opts = options(request, default_kind="municipality_region")
    figures = analytics.network_area(
        access, county, kind=opts.kind, on=opts.on, include_ended=opts.include_ended
    )
    where = county.name if county else "hela registret"
    return render(
        request,
        "register/network_area.html",
        {
            "county": county,
            "counties": County.objects.order_by("code"),
            "title": f"Partnernätverket i {where}",
            "opts": opts,
            "figures": figures,
            "cost_year": figures.cost_year,
            "formats": FORMATS,
            "download_url": (
                reverse("register:network_county_download", args=[county.pk])
                if county
                else reverse("register:network_download")
            ),
        },
    )


@login_required
@require_safe
def network_national(request):
    return _area_page(request, None)


@login_required
@require_safe
def network_county(request, pk):
    return _area_page(request, get_object_or_404(County, pk=pk))


def _area_download(request, county):
    fmt = _format(request)
    access, opts, data, net, area = _area(request, county)
    figures = [area.figures[n] for n in area.orgs]
    where = county.name if county else "hela registret"
    return _send(
        fmt,
        net,
        figures,
        _with_neighbours(net, area.orgs) if county else None,
        f"natverk-{county.name if county else 'hela-registret'}",
        f"Partnernätverket i {where} per {opts.on.isoformat()}",
    )


def _with_neighbours(net, nodes) -> set[int]:
    """The nodes and their partners, so that a county's file keeps its cross-county ties."""
    kept = set(nodes)
    for n in nodes:
        kept.update(net.graph[n])
    return kept


@login_required
@require_safe
def network_download(request):
    return _area_download(request, None)


@login_required
@require_safe
def network_county_download(request, pk):
    return _area_download(request, get_object_or_404(County, pk=pk))
