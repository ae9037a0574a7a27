"""The meeting pages: a body's meetings, a meeting with its agenda and our positions, an
organisation's coming meetings and its information log (reading), and the pages that create,
change and delete a meeting, its agenda items, our position on an item and its outcome.

Reading is ``register.selectors.meetings``; the edit pages are the three kinds of page in
``register.web.generic``. A body's meetings and agendas follow the arrangement like the body
(its participants' editors change them); our positions and the information log are our
organisation's (its editors write them, its readers read them at once). Access decides.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from .. import rules
from ..access import Access
from ..models import AgendaItem, InformationEntry, Meeting, Position
from ..selectors import meetings as selectors
from ..services import meetings as services
from ..services.records import NOT_ALLOWED
from . import meeting_forms as forms
from .generic import RecordCreateView, RecordDeleteView, RecordUpdateView, RowsView

PER_PAGE = 50

OTHERS_POSITIONS = (
    "Sammanträdet kan inte tas bort eftersom en annan organisation har registrerat sina "
    "ställningstaganden i dess ärenden eller information om det. Be registrets administratör "
    "ta bort det."
)


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("sida"))


# --- Reading -----------------------------------------------------------------------------------


@login_required
@require_safe
def body_meetings(request, pk):
    access = Access.for_user(request.user)
    body = selectors.visible_body(access, pk)
    if body is None:
        raise Http404("Organet finns inte eller så saknar du behörighet.")
    listing = selectors.body_meetings(access, body, today=rules.today())
    return render(
        request,
        "register/meetings/body_meetings.html",
        {"body": body, "arrangement": body.arrangement, "listing": listing},
    )


@login_required
@require_safe
def meeting_detail(request, pk):
    access = Access.for_user(request.user)
    detail = selectors.meeting_detail(access, pk)
    if detail is None:
        raise Http404("Sammanträdet finns inte eller så saknar du behörighet.")
    meeting = detail.meeting
    return render(
        request,
        "register/meetings/meeting_detail.html",
        {
            "detail": detail,
            "meeting": meeting,
            "body": meeting.body,
            "arrangement": meeting.body.arrangement,
            # The outcome is asked for from the meeting's day on (or once it is marked held).
            "started": timezone.localtime(meeting.starts_at).date() <= rules.today()
            or meeting.status == Meeting.Status.HELD,
        },
    )


@login_required
@require_safe
def meeting_index(request):
    """The menu's "Sammanträden": the coming meetings in the bodies of the user's organisation
    (its own page for a member of one organisation; the coming meetings of all of them for a
    member of several; the organisations' list for others)."""
    access = Access.for_user(request.user)
    organisations = list(access.member_organisations().order_by("name"))
    if len(organisations) == 1:
        return redirect("register:organisation_meetings", pk=organisations[0].pk)
    page = None
    if organisations:
        page = _page(request, selectors.member_meetings(access, today=rules.today()))
    return render(
        request,
        "register/meetings/meeting_index.html",
        {"organisations": organisations, "page": page},
    )


@login_required
@require_safe
def organisation_meetings(request, pk):
    access = Access.for_user(request.user)
    organisation = get_object_or_404(access.organisations(), pk=pk)
    past = request.GET.get("visa") == "tidigare"
    meetings = selectors.organisation_meetings(access, organisation, today=rules.today(), past=past)
    return render(
        request,
        "register/meetings/organisation_meetings.html",
        {
            "organisation": organisation,
            "page": _page(request, meetings),
            "past": past,
            "query": "visa=tidigare&" if past else "",
            "is_member": access.is_member_of(organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def information_log(request, pk):
    """An organisation's information log (its members read it) and the form that adds an entry
    (its editors): who was informed of what, when."""
    access = Access.for_user(request.user)
    organisation = get_object_or_404(access.organisations(), pk=pk)
    if not access.is_member_of(organisation):
        raise PermissionDenied(
            "Informationsloggen är organisationens egen; bara dess användare ser den."
        )
    may_add = access.can_create_for(InformationEntry, organisation)
    if request.method == "POST" and not may_add:
        raise PermissionDenied(NOT_ALLOWED)
    form = None
    if may_add:
        initial = {
            name: request.GET.get(param)
            for name, param in (("meeting", "sammantrade"), ("position", "stallningstagande"))
            if request.GET.get(param)
        }
        form = forms.InformationEntryForm(
            request.POST or None, access=access, organisation=organisation, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            services.information_record(
                access=access,
                organisation=organisation,
                kind=data["kind"],
                informed=data["informed"],
                informed_at=data["informed_at"],
                meeting=data["meeting"],
                position=data["position"],
                note=data["note"],
                user=request.user,
            )
            messages.success(request, "Informationen har förts in i loggen.")
            return redirect("register:information_log", pk=organisation.pk)
    return render(
        request,
        "register/meetings/information_log.html",
        {
            "organisation": organisation,
            "page": _page(request, selectors.information_log(access, organisation)),
            "form": form,
        },
    )


# --- Meetings ----------------------------------------------------------------------------------


def _body_meetings_url(body) -> str:
    return reverse("register:body_meetings", args=[body.pk])


class MeetingCreate(RecordCreateView):
    form_class = forms.MeetingForm
    intro = (
        "Sammanträdets tid och plats. Ärendena lägger du till från sammanträdets sida när det är "
        "sparat. Tider anges i svensk tid."
    )

    def prepare(self) -> None:
        self.body = selectors.visible_body(self.access, self.kwargs["pk"])
        if self.body is None:
            raise Http404("Organet finns inte eller så saknar du behörighet.")
        self.require(self.access.can_change(self.body))

    def get_form_extra(self) -> dict:
        return {"body": self.body}

    def get_title(self) -> str:
        return f"Nytt sammanträde – {self.body} ({self.body.arrangement})"

    def get_cancel_url(self) -> str:
        return _body_meetings_url(self.body)


class MeetingUpdate(RecordUpdateView):
    model = Meeting
    related = ("body", "body__arrangement")
    form_class = forms.MeetingForm

    def get_form_extra(self) -> dict:
        return {"body": self.object.body}

    def get_title(self) -> str:
        return f"Ändra sammanträde: {self.object}"


class MeetingDelete(RecordDeleteView):
    model = Meeting
    related = ("body", "body__arrangement")
    consequences = (
        "Sammanträdets ärenden tas också bort, med organisationens ställningstaganden i dem och "
        "informationsloggens poster om sammanträdet."
    )

    def prepare(self) -> None:
        self.object = self.get_object()
        self.require(self.access.can_change(self.object))
        if not self.access.can_delete(self.object):
            raise PermissionDenied(OTHERS_POSITIONS)
        super().prepare()

    def get_title(self) -> str:
        return "Ta bort sammanträde"

    def get_success_url(self) -> str:
        return _body_meetings_url(self.object.body)


class MeetingItems(RowsView):
    formset_class = forms.AgendaItemFormSet
    intro = (
        "Dagordningen: ett ärende per rad, med nummer (till exempel 5 eller § 12), rubrik, "
        "verksamhetsområde och länk till handlingen. Ordningen bestämmer var ärendet står. "
        "Spara för att få en ny tom rad."
    )
    anchor = "dagordning"
    success_message = "Dagordningen har sparats."

    def get_parent(self):
        meetings = Meeting.objects.select_related("body", "body__arrangement")
        return get_object_or_404(self.access.visible(meetings), pk=self.kwargs["pk"])

    def get_title(self) -> str:
        return f"Dagordning: {self.parent}"

    def get_rows(self):
        return self.parent.items.select_related("service_area").order_by("sort_order", "pk")

    def get_initial(self) -> list:
        last = self.get_rows().last()
        return [{"sort_order": (last.sort_order + 1) if last else 1}]

    def get_form_extra(self) -> dict:
        if not hasattr(self, "areas"):
            self.areas = selectors.item_service_areas(self.parent)
        return {"meeting": self.parent, "areas": self.areas}


# --- Our position on an item -------------------------------------------------------------------


class PositionCreate(RecordCreateView):
    form_class = forms.PositionForm
    intro = (
        "Vad organisationens företrädare ska driva i ärendet och var det är förankrat. "
        "Organisationens läsare, till exempel oppositionen, ser det så snart det är sparat."
    )

    def prepare(self) -> None:
        items = AgendaItem.objects.select_related(
            "meeting", "meeting__body", "meeting__body__arrangement"
        )
        self.item = get_object_or_404(self.access.visible(items), pk=self.kwargs["pk"])
        arrangement = self.item.meeting.body.arrangement
        self.require(self.access.creatable_for(Position, arrangement=arrangement).exists())

    def get_form_extra(self) -> dict:
        return {"item": self.item}

    def get_title(self) -> str:
        return f"Vårt ställningstagande: {self.item}"

    def get_cancel_url(self) -> str:
        return self.item.get_absolute_url()


_POSITION_RELATED = (
    "organisation",
    "item",
    "item__meeting",
    "item__meeting__body",
    "item__meeting__body__arrangement",
)


class PositionUpdate(RecordUpdateView):
    model = Position
    related = _POSITION_RELATED
    form_class = forms.PositionForm

    def get_form_extra(self) -> dict:
        return {"item": self.object.item}

    def get_title(self) -> str:
        return f"Ändra ställningstagande: {self.object.item}"


class PositionDelete(RecordDeleteView):
    model = Position
    related = _POSITION_RELATED
    consequences = "Informationsloggens poster om ställningstagandet tas också bort."

    def label(self) -> str:
        return f"ställningstagandet i ärendet ”{self.object.item}”"

    def get_title(self) -> str:
        return "Ta bort ställningstagande"

    def get_success_url(self) -> str:
        return self.object.item.get_absolute_url()


class PositionOutcome(RecordUpdateView):
    """How the item ended for our position, and the joint body's decision in the same step
    (``services.meetings.position_outcome_record``)."""

    model = Position
    related = _POSITION_RELATED
    form_class = forms.PositionOutcomeForm
    offers_delete = False
    intro = (
        "Hur ärendet slutade för vårt ställningstagande. Registrerar du organets beslut förs det "
        "in bland samverkans beslut och kopplas hit."
    )

    def get_title(self) -> str:
        return f"Utfall: {self.object.item}"

    def save(self, form):
        data = form.cleaned_data
        return services.position_outcome_record(
            access=self.access,
            position=form.save(commit=False),
            outcome=data["outcome"],
            outcome_note=data["outcome_note"],
            decision=form.decision() if "register_decision" in form.fields else None,
            version=self.version,
        )
