"""Read side of the internal register: lists, detail pages and the overview. Thin views: the
data comes from register/selectors/, filtered by the user's Access."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .. import rules
from ..access import Access
from ..selectors import arrangements, briefings, lists, organisations, overview, people, reviews
from ..selectors.costs import MEASURES
from ..selectors.join_requests import join_requests_to_answer
from . import filters, tables


class RegisterListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """A filtered, sortable, paginated list (NetBox style: queryset + filterset + table)."""

    table_pagination = {"per_page": tables.PER_PAGE}
    selector = None
    heading = ""
    intro = ""

    def get_access(self) -> Access:
        return Access.for_user(self.request.user)

    def get_queryset(self):
        return type(self).selector(self.get_access())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = self.heading
        context["intro"] = self.intro
        filterset = context.get("filter")
        context["is_filtered"] = bool(
            filterset is not None
            and any(filterset.data.get(name) not in ("", None) for name in filterset.filters)
        )
        return context


class ArrangementListView(RegisterListView):
    template_name = "register/arrangement_list.html"
    filterset_class = filters.ArrangementFilterSet
    table_class = tables.ArrangementTable
    heading = "Samverkan"
    intro = "All publicerad samverkan och all samverkan som din organisation deltar i."

    def get_queryset(self):
        access = self.get_access()
        self.own_organisation = lists.own_organisation(access)
        return lists.arrangement_list_queryset(
            access, own_org_id=self.own_organisation.pk if self.own_organisation else None
        )

    def get_table_kwargs(self):
        return {"own_organisation": self.own_organisation}


class OrganisationListView(RegisterListView):
    template_name = "register/organisation_list.html"
    filterset_class = filters.OrganisationFilterSet
    table_class = tables.OrganisationTable
    selector = lists.organisation_list_queryset
    heading = "Organisationer"
    intro = "Kommuner, regioner, förbund, bolag och andra parter i samverkan."


class PersonListView(RegisterListView):
    template_name = "register/person_list.html"
    filterset_class = filters.PersonFilterSet
    table_class = tables.PersonTable
    selector = lists.person_list_queryset
    heading = "Personer"
    intro = "Förtroendevalda och tjänstepersoner med uppdrag i samverkans organ."


class DecisionListView(RegisterListView):
    template_name = "register/decision_list.html"
    filterset_class = filters.DecisionFilterSet
    table_class = tables.DecisionTable
    selector = lists.decision_list_queryset
    heading = "Beslut"
    intro = "Beslut som rör samverkan, i de egna organen och i samverkans organ."


class ReviewListView(RegisterListView):
    template_name = "register/review_list.html"
    filterset_class = filters.ReviewFilterSet
    table_class = tables.ReviewTable
    selector = lists.review_list_queryset
    heading = "Strategiska genomgångar"
    intro = (
        "Kommunstyrelsens genomgångar av all samverkan: inriktning, prioritering och uppföljning."
    )


@login_required
@require_safe
def home(request):
    access = Access.for_user(request.user)
    today = rules.today()
    return render(
        request,
        "register/home.html",
        {
            "summaries": overview.home_summaries(access, today=today),
            "mine": briefings.my_assignments(access, request.user, today=today),
            "today": today,
            "join_requests_to_answer": join_requests_to_answer(access).count()
            if access.is_editor
            else 0,
        },
    )


LOG_PAGE = 50  # change-log entries a page shows at first, and how many more each "Visa fler" adds
LOG_MAX = 500


def _log_limit(request) -> int:
    """Return how many change-log entries to show: ``?logg=N`` (50, 100, ... up to 500)."""
    try:
        wanted = int(request.GET.get("logg", LOG_PAGE))
    except ValueError:
        return LOG_PAGE
    return min(max(LOG_PAGE, wanted - wanted % LOG_PAGE), LOG_MAX)


def _log_paging(log_limit: int) -> dict:
    """The template's change-log paging: how many are shown, and the next step (None at most)."""
    return {
        "log_limit": log_limit,
        "log_more": log_limit + LOG_PAGE if log_limit < LOG_MAX else None,
    }


@login_required
@require_safe
def arrangement_detail(request, pk):
    access = Access.for_user(request.user)
    measure = request.GET.get("kostnad", "amount")
    if measure not in MEASURES:
        measure = "amount"
    log_limit = _log_limit(request)
    detail = arrangements.arrangement_detail(access, pk, measure=measure, log_limit=log_limit)
    if detail is None:
        raise Http404("Samverkan finns inte eller så saknar du behörighet.")
    today = rules.today()
    return render(
        request,
        "register/arrangement_detail.html",
        {
            "detail": detail,
            "arrangement": detail.arrangement,
            "today": today,
            "ongoing": rules.is_ongoing(detail.arrangement, today),
            "status": rules.status_on(detail.arrangement, today),
            "reference_year": rules.reference_year(today),
            "measures": MEASURES.items(),
            "measure": measure,
            **_log_paging(log_limit),
            "measure_label": MEASURES[measure],
        },
    )


@login_required
@require_safe
def organisation_detail(request, pk):
    access = Access.for_user(request.user)
    log_limit = _log_limit(request)
    detail = organisations.organisation_detail(access, pk, log_limit=log_limit)
    if detail is None:
        raise Http404("Organisationen finns inte.")
    return render(
        request,
        "register/organisation_detail.html",
        {"detail": detail, "organisation": detail.organisation, **_log_paging(log_limit)},
    )


@login_required
@require_safe
def person_detail(request, pk):
    access = Access.for_user(request.user)
    person, seats = people.person_detail(access, pk)
    if person is None:
        raise Http404("Personen finns inte.")
    return render(
        request,
        "register/person_detail.html",
        {
            "person": person,
            "seats": seats,
            "show_internal": access.can_view_internal(person),
            "may_take_out_extract": access.can_take_out_register_extract(person),
            "is_example": person.is_example,
        },
    )


@login_required
@require_safe
def decision_detail(request, pk):
    access = Access.for_user(request.user)
    decision = arrangements.decision_detail(access, pk)
    if decision is None:
        raise Http404("Beslutet finns inte eller så saknar du behörighet.")
    return render(
        request,
        "register/decision_detail.html",
        {
            "decision": decision,
            "show_internal": access.can_view_internal(decision),
            "is_example": decision.is_example or decision.arrangement.is_example,
        },
    )


@login_required
@require_safe
def review_detail(request, pk):
    access = Access.for_user(request.user)
    review, items = reviews.review_detail(access, pk)
    if review is None:
        raise Http404("Genomgången finns inte eller så saknar du behörighet.")
    reviews.item_facts(access, review, items, timezone.localdate())
    return render(
        request,
        "register/review_detail.html",
        {
            "review": review,
            "items": items,
            "show_internal": access.can_view_internal(review),
            "is_example": review.is_example or any(i.participation.is_example for i in items),
        },
    )
