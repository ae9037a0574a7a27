"""The board's review workflow, what is due, mandate-period readiness and the calendar feed.

Every view looks its object up through ``Access`` (not visible: 404; not allowed: 403) and writes
through ``register.services.reviews``. A closed review is read-only: its forms answer 403 with a
message that says so, and the services refuse as well.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from .. import rules
from ..access import Access
from ..downloads import safe_filename
from ..models import BackgroundJob, CalendarToken, Organisation, Review, ReviewItem
from ..reports import analytics, ical
from ..reports import review_pack as pack_report
from ..selectors import due as due_selectors
from ..selectors import readiness
from ..selectors import reviews as review_selectors
from ..services import calendar as calendar_services
from ..services import reviews as review_services
from ..services.records import NOT_ALLOWED
from . import edit, forms, generic, pdf_jobs


def _today() -> dt.date:
    return rules.today()


ITEM_RELATED = ("review", "review__organisation", "participation", "participation__arrangement")


def _item(access: Access, pk: int, *, open_only: bool = False) -> ReviewItem:
    """Return the item (404 if the user may not see it); ``open_only`` refuses a closed review."""
    item = get_object_or_404(
        access.visible(ReviewItem.objects.select_related(*ITEM_RELATED)), pk=pk
    )
    if open_only:
        edit.refuse_closed(item.review)
    return item


def _member_organisation(access: Access, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not due_selectors.may_see_due(access, organisation):
        raise PermissionDenied("Bara organisationens egna användare ser vad som är på gång.")
    return organisation


# --- Items -------------------------------------------------------------------------------------


class _ItemPage:
    """A page about one item of a review the user may see; ``open_only`` refuses a closed one."""

    open_only = True

    def get_object(self):
        return _item(self.access, self.kwargs["pk"], open_only=self.open_only)

    def get_cancel_url(self) -> str:
        return self.object.review.get_absolute_url() + f"#punkt-{self.object.pk}"


class ReviewItemUpdate(_ItemPage, generic.RecordUpdateView):
    """The board's position on one item: direction, priority, decision, assignment."""

    form_class = forms.ReviewItemDecisionForm
    offers_delete = False
    save_service = staticmethod(review_services.review_save)

    def get_title(self) -> str:
        return f"{self.object.participation.arrangement.name} – {self.object.review.title}"


class ReviewItemFollowup(_ItemPage, generic.RecordUpdateView):
    """The follow-up of an item's assignment: open also after the review is closed."""

    form_class = forms.ReviewItemFollowupForm
    open_only = False
    offers_delete = False

    def get_title(self) -> str:
        return f"Följ upp uppdraget: {self.object.participation.arrangement.name}"

    def save(self, form):
        return review_services.review_item_followup(
            access=self.access, item=form.save(commit=False), version=self.version
        )


class _RecordFromItem(generic.RecordCreateView):
    """A goal conflict or an alternative raised by an item of an open review; saved on the
    item's arrangement, then back to the review."""

    def prepare(self) -> None:
        self.item = _item(self.access, self.kwargs["pk"], open_only=True)
        self.require(self.access.can_change(self.item))

    def get_form_extra(self) -> dict:
        return {"arrangement": self.item.participation.arrangement}

    def get_title(self) -> str:
        return f"{self.title} – {self.item.participation.arrangement.name}"

    @property
    def intro(self) -> str:
        return f"Från genomgången {self.item.review.title}."

    def get_cancel_url(self) -> str:
        return self.item.review.get_absolute_url() + f"#punkt-{self.item.pk}"

    def save(self, form):
        review_services.record_from_item(
            access=self.access, item=self.item, instance=form.save(commit=False)
        )
        return self.item.review  # back to the review


class ReviewItemGoalConflict(_RecordFromItem):
    form_class = forms.GoalConflictForm
    title = "Ny målkonflikt"


class ReviewItemAlternative(_RecordFromItem):
    form_class = forms.AlternativeForm
    title = "Nytt alternativ"


# --- Closing -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_close(request, pk):
    access = Access.for_user(request.user)
    review = get_object_or_404(access.visible(Review.objects.select_related("organisation")), pk=pk)
    edit.refuse_closed(review)
    if not access.can_change(review):
        raise PermissionDenied(NOT_ALLOWED)
    errors = []
    if request.method == "POST":
        try:
            decisions = review_services.review_close(access=access, review=review, today=_today())
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                f"Genomgången är avslutad. {len(decisions)} beslut har förts in på samverkan.",
            )
            return redirect(review.get_absolute_url())
    review, items = review_selectors.review_detail(access, pk)
    not_yet = ""
    if not errors and not rules.review_may_close(review.date, _today()):
        not_yet = review_services.NOT_YET.format(date=review.date)
    missing = sum(1 for item in items if not item.outcome)
    return render(
        request,
        "register/review_close.html",
        {
            "review": review,
            "items": items,
            "errors": errors,
            "not_yet": not_yet,
            "missing": missing,
        },
    )


# --- The review pack ---------------------------------------------------------------------------


def _pack_context(request, pk):
    context = pack_report.context(Access.for_user(request.user), pk, _today())
    if context is None:
        raise Http404("Genomgången finns inte eller så saknar du behörighet.")
    return context


@login_required
@require_safe
def review_pack(request, pk):
    return render(request, "register/review_pack.html", _pack_context(request, pk))


def pack_document(request, context):
    """Return the review pack laid out for print (a WeasyPrint document)."""
    return pack_report.document(context)


@login_required
@require_safe
def review_pack_pdf(request, pk):
    access = Access.for_user(request.user)
    review = access.reviews(Review.objects.select_related("organisation")).filter(pk=pk).first()
    if review is None:
        raise Http404("Genomgången finns inte eller så saknar du behörighet.")
    return pdf_jobs.serve_or_start(
        request,
        kind=BackgroundJob.Kind.REVIEW_PACK,
        key=str(review.pk),
        organisation=review.organisation,
        file_name=safe_filename(review.title, ".pdf", prefix="underlag-"),
    )


# --- What is due and readiness -----------------------------------------------------------------


@login_required
@require_safe
def organisation_due(request, pk):
    access = Access.for_user(request.user)
    organisation = _member_organisation(access, pk)
    rows = analytics.due_rows(access, organisation, _today())
    return render(
        request,
        "register/organisation_due.html",
        {
            "organisation": organisation,
            "rows": rows,
            "today": _today(),
            "horizon": rules.due_horizon(_today()),
            "overdue": sum(1 for r in rows if r.is_overdue),
        },
    )


@login_required
@require_safe
def organisation_term(request, pk):
    access = Access.for_user(request.user)
    organisation = _member_organisation(access, pk)
    today = _today()
    terms = rules.terms_around(today, before=1, after=1)
    chosen = rules.current_term(today)
    raw = request.GET.get("period", "")
    if raw:
        try:
            chosen = rules.term_of(int(raw))
        except ValueError:
            messages.error(request, "Välj en mandatperiod i listan.")
    data = readiness.term_readiness(access, organisation, chosen, today)
    return render(
        request,
        "register/organisation_term.html",
        {
            "organisation": organisation,
            "term": chosen,
            "terms": terms,
            "data": data,
            "today": today,
        },
    )


# --- The calendar feed -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar_services.token_revoke(user=request.user)
            messages.success(request, "Kalenderadressen är återkallad och fungerar inte längre.")
        else:
            _token, replaced = calendar_services.token_renew(user=request.user)
            messages.success(
                request,
                "Du har fått en ny kalenderadress. Den gamla fungerar inte längre."
                if replaced
                else "Du har fått en kalenderadress. Lägg in den i din kalender.",
            )
        return redirect("register:calendar_settings")
    token = CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True).first()
    url = (
        request.build_absolute_uri(reverse("register:calendar_feed", args=[token.token]))
        if token
        else ""
    )
    return render(request, "register/calendar_settings.html", {"token": token, "feed_url": url})


@require_safe
def calendar_feed(request, token):
    found = (
        CalendarToken.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if found is None or not found.user.is_active:
        raise Http404("Kalenderadressen finns inte eller har återkallats.")
    body = ical.calendar_for(found.user, _today())
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
