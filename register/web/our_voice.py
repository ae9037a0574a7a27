"""Our voice in the joint bodies, for the organisation's own users: every position we hold in a
period on one page (En röst), and the seats to fill after an election (Platser att tillsätta)
with its workbook for the nominating committee.

The organisation's members see them, its readers too (the opposition sees the positions as soon
as they are recorded); anyone else gets 403. Reading only: the selectors ask ``Access``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .. import rules
from ..access import Access
from ..downloads import download
from ..models import Organisation
from ..reports import seats_to_fill as seats_report
from ..selectors import positions
from ..selectors import seats_to_fill as seats


def _member_organisation(access: Access, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not access.is_member_of(organisation):
        raise PermissionDenied("Bara organisationens egna användare ser dess ställningstaganden.")
    return organisation


# --- One message ---------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    """The period of the one-message page (both days included)."""

    fran = forms.DateField(label="Från och med", widget=forms.DateInput(attrs={"type": "date"}))
    till = forms.DateField(label="Till och med", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fran"), cleaned.get("till")
        if start and end:
            if end < start:
                raise forms.ValidationError(
                    "Slutdatumet kan inte vara före startdatumet.", code="end_before_start"
                )
            if end > rules.add_months(start, positions.LONGEST_PERIOD_MONTHS):
                raise forms.ValidationError(
                    "Välj en period på högst %(months)s månader.",
                    code="too_long",
                    params={"months": positions.LONGEST_PERIOD_MONTHS},
                )
        return cleaned


@login_required
@require_safe
def organisation_one_message(request, pk):
    access = Access.for_user(request.user)
    organisation = _member_organisation(access, pk)
    start, end = positions.default_period(rules.today())
    form = PeriodForm(request.GET or None, initial={"fran": start, "till": end})
    if form.is_bound:
        if form.is_valid():
            start, end = form.cleaned_data["fran"], form.cleaned_data["till"]
        else:
            messages.error(request, "Perioden gick inte att använda; sidan visar standardperioden.")
    data = positions.one_message(access, organisation, start, end)
    return render(
        request,
        "register/one_message.html",
        {"organisation": organisation, "form": form, "data": data},
    )


# --- The seats to fill ---------------------------------------------------------------------------


def _term(request) -> rules.Term:
    """Return the term asked for (``period``: the year it starts), else the current one."""
    raw = request.GET.get("period", "")
    if raw:
        try:
            return rules.term_of(int(raw))
        except ValueError:
            messages.error(request, "Välj en mandatperiod i listan.")
    return rules.current_term(rules.today())


def _seats(request, pk):
    access = Access.for_user(request.user)
    organisation = _member_organisation(access, pk)
    term = _term(request)
    return organisation, seats.seats_to_fill_for(access, organisation, term, rules.today())


@login_required
@require_safe
def organisation_seats_to_fill(request, pk):
    organisation, data = _seats(request, pk)
    return render(
        request,
        "register/seats_to_fill.html",
        {
            "organisation": organisation,
            "data": data,
            "term": data.term,
            "terms": rules.terms_around(rules.today(), before=1, after=1),
        },
    )


@login_required
@require_safe
def organisation_seats_to_fill_xlsx(request, pk):
    organisation, data = _seats(request, pk)
    return download(
        seats_report.workbook(data),
        f"{organisation.name} {data.term}",
        prefix="platser-att-tillsatta-",
    )
