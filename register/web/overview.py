"""The overview of a portfolio (an organisation's, a county's, the country's), its timeline and
goals map, and the introduction pack (HTML, PDF, XLSX). Thin views: the figures come from
register/selectors/portfolio.py, the files from register/reports/, all through the user's Access.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from .. import downloads, rules
from ..access import Access
from ..models import BackgroundJob, County, Organisation
from ..reports import analytics, charts, intro_pack
from ..selectors import portfolio as pf
from . import filters, pdf_jobs, tables


def _organisation(pk) -> Organisation:
    return get_object_or_404(Organisation, pk=pk)


def _admin_only(access: Access) -> None:
    if not access.can_view_wide_overviews():
        raise PermissionDenied("Läns- och riksöversikten är registeradministratörens.")


def _charts(portfolio, subject: str) -> dict:
    return charts.portfolio_charts(portfolio, subject=subject, prefix="diagram")


def _overview(request, scope: pf.Scope, access: Access):
    today = rules.today()
    if request.GET:  # filtered, sorted or another page: computed for this request
        body = _overview_content(request, scope, access, today)
    else:  # the overview as it opens: kept until the data under it changes
        body = analytics.overview_content(
            access, scope, today, lambda: _overview_content(request, scope, access, today)
        )
    return render(request, "register/overview.html", {"scope": scope, "body": body})


def keep_overview(org_id: int, shapes: list) -> None:
    """A background job after a change in the organisation (``analytics.keep_overviews_after``):
    compute its overview as it opens (no filter, sort or page) for each of these rights
    (``Access.rights_shape``), and keep it as a request would, under the version read first."""
    analytics.keeping_overview_starts(org_id)
    organisation = Organisation.objects.filter(pk=org_id).first()
    if organisation is None:
        return
    scope = pf.organisation_scope(organisation)
    today = rules.today()
    for shape in shapes:
        access = Access.for_rights(shape)
        request = HttpRequest()  # the page's own address, asked for without parameters
        request.method, request.GET = "GET", QueryDict()
        request.path = request.path_info = reverse("register:overview_organisation", args=[org_id])
        analytics.overview_content(
            access,
            scope,
            today,
            lambda request=request, access=access: _overview_content(request, scope, access, today),
        )


def _overview_content(request, scope: pf.Scope, access: Access, today):
    arrangements = pf.portfolio_arrangements(access, scope)
    filterset = filters.PortfolioFilterSet(request.GET or None, queryset=arrangements)
    only = None
    is_filtered = bool(
        filterset.is_bound
        and any(filterset.data.get(name) not in ("", None) for name in filterset.filters)
    )
    if is_filtered and filterset.is_valid():
        only = filterset.qs
    portfolio = pf.portfolio(access, scope, today=today, only=only)
    # The choices are the portfolio's own forms and areas (no queries of their own).
    filterset.form.fields["form"].widget.choices = [("", "Alla former"), *portfolio.forms]
    filterset.form.fields["area"].widget.choices = [("", "Alla områden"), *portfolio.areas]
    table = tables.PortfolioTable(portfolio.shown_rows, last_year=portfolio.last_year)
    RequestConfig(request, paginate={"per_page": tables.PER_PAGE}).configure(table)
    return render_to_string(
        "register/_overview_body.html",
        {
            "scope": scope,
            "portfolio": portfolio,
            "table": table,
            "filter": filterset,
            "is_filtered": is_filtered,
            "charts": _charts(portfolio, scope.label),
            "today": today,
        },
        request=request,
    )


@login_required
@require_safe
def overview_index(request):
    """Pick whose overview: one's own organisations, or (an administrator) any, a county or all."""
    access = Access.for_user(request.user)
    chosen = request.GET.get("organisation", "")
    if chosen:
        if chosen.isdigit() and Organisation.objects.filter(pk=chosen).exists():
            return redirect("register:overview_organisation", pk=int(chosen))
        return render(
            request,
            "register/overview_index.html",
            _index_context(access, error="Välj en organisation i listan."),
            status=400,
        )
    return render(request, "register/overview_index.html", _index_context(access))


def _index_context(access: Access, error: str = "") -> dict:
    own = list(access.member_organisations().order_by("name"))
    context = {"own": own, "error": error}
    if access.can_view_wide_overviews():
        context["organisations"] = list(
            Organisation.objects.filter(participations__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        )
        context["counties"] = list(County.objects.order_by("code"))
    return context


@login_required
@require_safe
def overview_organisation(request, pk):
    access = Access.for_user(request.user)
    return _overview(request, pf.organisation_scope(_organisation(pk)), access)


@login_required
@require_safe
def overview_county(request, pk):
    access = Access.for_user(request.user)
    _admin_only(access)
    return _overview(request, pf.county_scope(get_object_or_404(County, pk=pk)), access)


@login_required
@require_safe
def overview_national(request):
    access = Access.for_user(request.user)
    _admin_only(access)
    return _overview(request, pf.national_scope(), access)


@login_required
@require_safe
def overview_timeline(request, pk):
    access = Access.for_user(request.user)
    scope = pf.organisation_scope(_organisation(pk))
    arrangements = pf.portfolio_arrangements(access, scope).order_by("name")
    filterset = filters.TimelineFilterSet(
        request.GET or None, queryset=arrangements, arrangements=arrangements
    )
    area = arrangement_id = None
    if filterset.is_bound and filterset.is_valid():
        area = filterset.form.cleaned_data.get("area")
        chosen = filterset.form.cleaned_data.get("arrangement")
        arrangement_id = chosen.pk if chosen else None
    events = pf.timeline(access, scope, area=area, arrangement_id=arrangement_id)
    return render(
        request,
        "register/overview_timeline.html",
        {
            "scope": scope,
            "events": events,
            "filter": filterset,
            "is_filtered": bool(area or arrangement_id),
        },
    )


@login_required
@require_safe
def overview_goals(request, pk):
    access = Access.for_user(request.user)
    scope = pf.organisation_scope(_organisation(pk))
    return render(
        request,
        "register/overview_goals.html",
        {"scope": scope, "goal_map": pf.goal_map(access, scope)},
    )


def _pack(request, pk):
    organisation = _organisation(pk)
    return organisation, intro_pack.build(Access.for_user(request.user), organisation)


@login_required
@require_safe
def intro_pack_html(request, pk):
    _, pack = _pack(request, pk)
    return render(request, "register/intro_pack.html", {"pack": pack, "for_print": False})


@login_required
@require_safe
def intro_pack_pdf(request, pk):
    organisation = _organisation(pk)
    return pdf_jobs.serve_or_start(
        request,
        kind=BackgroundJob.Kind.INTRO_PACK,
        key=str(organisation.pk),
        organisation=organisation,
        file_name=downloads.safe_filename(organisation.name, ".pdf", prefix="introduktion-"),
    )


@login_required
@require_safe
def intro_pack_xlsx(request, pk):
    organisation, pack = _pack(request, pk)
    content = intro_pack.xlsx(pack)
    return downloads.download(content, organisation.name, prefix="introduktion-")
