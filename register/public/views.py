"""The public site's views: no login, thin, cached (``cache.public_page``).

Templates are rendered without the request's context processors (``render_to_string`` with no
request), so a public page never looks at the visitor's session or user: the same page for
everyone, safe to cache and to share.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from .. import downloads
from .. import personal_data as register_personal_data
from ..downloads import download
from . import cache, embedding, network, opendata, selectors
from .cache import data_version, public_page

SITE = "Insyn i kommunal samverkan"
RESPONSIBILITY = (
    "Kommunen är alltid ansvarig för sin service, även när ett gemensamt organ fattar besluten."
)


def _page(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    context.setdefault("canonical", request.build_absolute_uri(request.path))
    context.setdefault("site_name", SITE)
    context.setdefault("responsibility", RESPONSIBILITY)
    return HttpResponse(render_to_string(template, context), status=status)


def _with_urls(request, arrangements: list[dict]) -> list[dict]:
    """Give each arrangement its page's path and address: the pattern reversed once (a slug is
    digits, ASCII letters and hyphens, which ``reverse`` leaves as they are), for the busiest
    organisation's page has hundreds."""
    path = reverse("public:arrangement", args=["0"]).replace("/0/", "/{}/")
    site = request.build_absolute_uri("/")[:-1]
    for a in arrangements:
        a["path"] = path.format(a["slug"])
        a["url"] = site + a["path"]
    return arrangements


def _portfolio(request, code: str, *, page: bool = False) -> selectors.Portfolio:
    organisation = selectors.organisation_by_code(code)
    if organisation is None:
        raise Http404("Ingen kommun eller region har den koden.")
    p = selectors.portfolio(organisation, page=page)
    _with_urls(request, p.arrangements)
    return p


def _download(content: bytes, name: str, fmt: str) -> HttpResponse:
    """A file of open data, named by register/downloads.py (JSON opens in the browser)."""
    return download(content, name, extension=f".{fmt}", attachment=fmt != "json")


# --- pages -------------------------------------------------------------------------------------


@require_safe
@public_page
def index(request):
    raw = request.GET.get("q", "")
    query = selectors.clean_query(raw)
    results = selectors.search(query) if query else None
    return _page(
        request,
        "public/index.html",
        {
            "query": results["query"] if results else query[:100],
            "results": results,
            # Longer than the search takes: said on the page, and only the start is searched.
            "too_long": selectors.is_too_long(raw),
            "max_length": selectors.MAX_QUERY_LENGTH,
            "description": _INDEX_DESCRIPTION,
        },
    )


_INDEX_DESCRIPTION = (
    "Se vem som ansvarar för kommunens service när den sköts tillsammans med andra: "
    "var det beslutas, vem som företräder kommunen och vad det kostar."
)


@require_safe
@public_page(depends=cache.organisation)
def organisation(request, code):
    # The page shows our costs and the reference year's network only, and fewer fields
    # (selectors.portfolio).
    p = _portfolio(request, code, page=True)
    org = p.organisation
    influence = network.influence(p)
    for a in p.arrangements:
        a["our_influence"] = influence.get(a["id"])
    return _page(
        request,
        "public/organisation.html",
        {
            "org": org,
            "p": p,
            "recent_decisions": p.decisions[:10],
            "network": network.partner_network(p),
            "costs": network.cost_charts(p),
            "description": f"Så samverkar {org['name']} med andra: vem som beslutar, "
            "vem som företräder oss och vad det kostar.",
            "lists": opendata.LISTS,
            "formats": opendata.FORMATS,
        },
    )


@require_safe
@public_page(depends=cache.organisation)
def responsible(request, code):
    p = _portfolio(request, code)
    org = p.organisation
    areas = selectors.who_is_responsible(p)
    # The snippets: the whole list and one box per service, each with a height that fits it.
    boxes = [
        {
            "name": "Hela listan",
            "slug": "",
            "url": request.build_absolute_uri(reverse("public:embed", args=[code])),
            "height": embedding.fitting_height(_embed_html(request, org, areas)),
        }
    ]
    for area in areas:
        boxes.append(
            {
                "name": area["name"],
                "slug": area["slug"],
                "url": request.build_absolute_uri(
                    reverse("public:embed_area", args=[code, area["slug"]])
                ),
                "height": embedding.fitting_height(_embed_html(request, org, [area], area)),
            }
        )
    return _page(
        request,
        "public/responsible.html",
        {
            "org": org,
            "areas": areas,
            "boxes": boxes,
            "description": f"Vem ansvarar för {org['name']}s service som sköts "
            "tillsammans med andra?",
        },
    )


def _embed_html(request, org: dict, areas: list[dict], area: dict | None = None) -> str:
    code = org["code"]
    page_url = request.build_absolute_uri(reverse("public:responsible", args=[code]))
    if area is not None:
        page_url += f"#omrade-{area['slug']}"
    return render_to_string(
        "public/embed.html",
        {
            "org": org,
            "areas": areas,
            "area": area,
            "page_url": page_url,
            "canonical": request.build_absolute_uri(request.path),
            "responsibility": RESPONSIBILITY,
        },
    )


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@public_page(depends=cache.organisation)
def embed(request, code, area=None):
    """The "Vem ansvarar?" box, for a municipality's own website (an iframe; no script): every
    service, or one (``area``, a service area's slug)."""
    p = _portfolio(request, code)
    areas = selectors.who_is_responsible(p)
    chosen = None
    if area is not None:
        chosen = next((a for a in areas if a["slug"] == area), None)
        if chosen is None:
            raise Http404("Kommunen har ingen publicerad samverkan inom den verksamheten.")
        areas = [chosen]
    return HttpResponse(_embed_html(request, p.organisation, areas, chosen))


@require_safe
@public_page(depends=cache.arrangement)
def arrangement(request, slug):
    arrangement_id = selectors.arrangement_id_from_slug(slug)
    a = selectors.arrangement_document(arrangement_id) if arrangement_id else None
    if a is None:
        raise Http404("Den samverkan finns inte eller är inte publicerad.")
    if a["slug"] != slug:  # renamed: the id is the permalink, the name only a readable tail
        return HttpResponsePermanentRedirect(reverse("public:arrangement", args=[a["slug"]]))
    _with_urls(request, [a])
    return _page(
        request,
        "public/arrangement.html",
        {
            "a": a,
            "governing_documents": selectors.governing_documents(arrangement_id),
            "description": (a["public_description"] or f"{a['name']}: {a['form']}.")[:200],
        },
    )


@require_safe
@public_page
def accessibility(request):
    return _page(
        request,
        "public/accessibility.html",
        {"description": "Tillgänglighetsredogörelse för Insyn i kommunal samverkan."},
    )


@require_safe
@public_page
def personal_data(request):
    return _page(
        request,
        "public/personal_data.html",
        {
            "description": "Vilka personuppgifter Samverkansregistret behandlar, varför, vem som "
            "ser dem och hur länge de sparas.",
            "processing": register_personal_data.processing(),
        },
    )


@require_safe
@public_page
def data_index(request):
    return _page(
        request,
        "public/data.html",
        {
            "description": "Öppna data om kommunal samverkan: ladda ned hela registret.",
            "licence_url": opendata.LICENCE_URL,
            "licence_name": opendata.LICENCE_NAME,
        },
    )


# --- open data ---------------------------------------------------------------------------------


@require_safe
@public_page(depends=cache.organisation)
def organisation_data(request, code):
    p = _portfolio(request, code)
    return _download(opendata.as_json(opendata.organisation_json(p)), "data", "json")


@require_safe
@public_page(depends=cache.organisation)
def organisation_list(request, code, name, fmt):
    if name not in opendata.LISTS or fmt not in opendata.FORMATS:
        raise Http404("Den listan eller det formatet finns inte.")
    p = _portfolio(request, code)
    return _download(opendata.encode(fmt, name, p), f"{name}-{code}", fmt)


@require_safe
@public_page
def whole_register(request, fmt):
    arrangements = _with_urls(request, selectors.whole_register())
    if fmt == "json":
        content = opendata.as_json(opendata.whole_register_json(arrangements))
    elif fmt == "xlsx":
        content = opendata.whole_register_xlsx(arrangements)
    else:
        raise Http404("Det formatet finns inte.")
    return _download(content, "samverkansregistret", fmt)


@require_safe
@public_page
def catalogue(request):
    base = request.build_absolute_uri("/").rstrip("/")
    organisations = list(selectors.organisations_with_public_arrangements().values("code", "name"))
    modified = dt.datetime.fromtimestamp(data_version() // 1000, tz=dt.UTC).date()
    doc = opendata.catalogue(base, organisations, modified=modified)
    response = HttpResponse(opendata.as_json(doc), content_type="application/ld+json")
    return response


# --- favicon.ico -------------------------------------------------------------------------------

FAVICON = Path(settings.BASE_DIR) / "static" / "public" / "favicon.ico"


@require_safe
def favicon(request):
    """The site's icon at the address every browser asks for (the same mark as favicon.svg)."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response


# --- robots.txt --------------------------------------------------------------------------------


@require_safe
def robots(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Allow: /insyn/",
        "Allow: /static/",
        "Allow: /sitemap.xml",
        "Disallow: /",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def document_download(request, pk):
    """A published governing document of a published arrangement, for anyone; nothing else."""
    document = selectors.public_document(pk)
    if document is None:
        raise Http404("Dokumentet finns inte eller är inte publicerat.")
    return downloads.stored_file(document, public=True)
