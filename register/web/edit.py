"""Edit side of the internal register: create, change and delete, one thin view per URL.

Every view looks its object up through the access selector (an object the user may not see is a
404) and asks ``Access.can_change`` / ``can_delete`` / ``can_create_*`` before showing or saving a
form (not allowed is a 403). Writes go through ``register.services`` in one transaction. Every page
that changes or deletes existing records carries their version (``register.versions``), so that a
save never silently reverts what someone else saved meanwhile.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods

from .. import versions
from ..access import Access
from ..models import (
    Alternative,
    Arrangement,
    Body,
    Contribution,
    Cost,
    Decision,
    Evaluation,
    Goal,
    GoalConflict,
    Participation,
    Review,
    ReviewItem,
    Seat,
    TotalCost,
)
from ..services import arrangements, records
from ..services import reviews as review_services
from . import forms

FORM_TEMPLATE = "register/forms/form.html"
FORMSET_TEMPLATE = "register/forms/formset.html"
DELETE_TEMPLATE = "register/forms/confirm_delete.html"

SAVE_FAILED = (
    "Uppgifterna kunde inte sparas eftersom någon annan ändrade dem samtidigt eller för att de "
    "krockar med befintliga uppgifter. Inget har sparats. Kontrollera och försök igen."
)


STALE_ROW = (
    "En av raderna kan inte sparas: den finns inte längre eller får bara ändras av en annan "
    "organisation. Inget har sparats. Ladda om sidan och försök igen."
)


def _edit_view(func):
    """Require a logged-in user and GET or POST."""
    return login_required(require_http_methods(["GET", "POST"])(func))


def _posted_version(request) -> str | None:
    """Return the version token the page sent back (None when the page is only being shown)."""
    return request.POST.get(versions.FIELD, "") if request.method == "POST" else None


# --- Lookups through the access selector -----------------------------------------------------


def _access(request) -> Access:
    return Access.for_user(request.user)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Du har inte behörighet att ändra de här uppgifterna.")


def _arrangement(access: Access, pk: int) -> Arrangement:
    return get_object_or_404(access.arrangements(), pk=pk)


def _on_visible_arrangement(access: Access, model, pk: int, path: str = "arrangement"):
    """Return the record if it belongs to an arrangement the user may see, else 404."""
    queryset = model.objects.filter(**{f"{path}__in": access.arrangements()})
    return get_object_or_404(queryset, pk=pk)


def _visible(access: Access, queryset, pk: int):
    obj = get_object_or_404(queryset, pk=pk)
    if not access.can_view(obj):
        raise Http404
    return obj


def _arrangement_url(arrangement: Arrangement, anchor: str = "") -> str:
    return arrangement.get_absolute_url() + (f"#{anchor}" if anchor else "")


def _saved(request, obj) -> None:
    messages.success(request, f"{capfirst(obj._meta.verbose_name)} ”{obj}” har sparats.")


# --- Generic pages ---------------------------------------------------------------------------


def _form_page(
    request,
    *,
    form_class,
    form_kwargs: dict,
    save: Callable,
    title: str,
    cancel_url: str,
    intro: str = "",
    delete_url: str = "",
    context: dict | None = None,
    version: versions.Version | None = None,
):
    """Show a form; on a valid POST call ``save(form)`` (a service) and go to the saved record.

    ``version`` is the version of the record the form changes (none when it creates one); the
    ``save`` service checks it.
    """
    access = _access(request)
    if request.method == "POST":
        form = form_class(request.POST, access=access, **form_kwargs)
        if form.is_valid():
            try:
                obj = save(form)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            except IntegrityError:
                form.add_error(None, SAVE_FAILED)
            else:
                _saved(request, obj)
                return redirect(obj.get_absolute_url())
        elif version is not None:
            # Say now, not after the user has corrected the form, that it was changed meanwhile.
            try:
                version.check(lock=False)
            except versions.StaleEdit as exc:
                form.add_error(None, exc.messages)
    else:
        form = form_class(access=access, **form_kwargs)
    ctx = {
        "title": title,
        "intro": intro,
        "form": form,
        "cancel_url": cancel_url,
        "delete_url": delete_url,
        "version_input": version.input() if version else "",
    }
    ctx.update(context or {})
    return render(request, FORM_TEMPLATE, ctx)


def _save_record(
    access: Access, version: versions.Version | None = None, service: Callable | None = None
) -> Callable:
    service = service or records.record_save

    def save(form):
        instance = form.save(commit=False)
        return service(access=access, instance=instance, save_m2m=form.save_m2m, version=version)

    return save


def _create(
    request, *, form_class, form_kwargs, title, cancel_url, intro="", context=None, save=None
):
    access = _access(request)
    return _form_page(
        request,
        form_class=form_class,
        form_kwargs=form_kwargs,
        save=save or _save_record(access),
        title=title,
        cancel_url=cancel_url,
        intro=intro,
        context=context,
    )


def _update(
    request,
    obj,
    *,
    form_class,
    form_kwargs=None,
    title,
    cancel_url,
    delete_name="",
    service: Callable | None = None,
):
    access = _access(request)
    _require(access.can_change(obj))
    delete_url = ""
    if delete_name and access.can_delete(obj):
        delete_url = reverse(f"register:{delete_name}", args=[obj.pk])
    version = versions.Version.of_record(
        obj, fields=form_class.base_fields, posted=_posted_version(request)
    )
    return _form_page(
        request,
        form_class=form_class,
        form_kwargs={"instance": obj, **(form_kwargs or {})},
        save=_save_record(access, version, service),
        title=title,
        cancel_url=cancel_url,
        delete_url=delete_url,
        context={"object": obj},
        version=version,
    )


def _delete(
    request,
    obj,
    *,
    next_url: str | Callable[[], str],
    cancel_url: str,
    consequences: str = "",
    protected_message: str = "",
):
    """Confirm on GET, delete on POST (only), unless the record changed since the page was shown."""
    access = _access(request)
    _require(access.can_delete(obj))
    label = f"{capfirst(obj._meta.verbose_name)} ”{obj}”"
    version = versions.Version.of_record(
        obj,
        fields=versions.editable_fields(type(obj)),
        posted=_posted_version(request),
        deleting=True,
    )
    errors = []
    if request.method == "POST":
        try:
            records.record_delete(access=access, instance=obj, version=version)
        except ValidationError as exc:
            errors = exc.messages
        except ProtectedError:
            messages.error(
                request,
                protected_message
                or f"{label} kan inte tas bort eftersom andra uppgifter i registret hänger ihop "
                "med den.",
            )
            return redirect(cancel_url)
        else:
            messages.success(request, f"{label} har tagits bort.")
            return redirect(next_url() if callable(next_url) else next_url)
    return render(
        request,
        DELETE_TEMPLATE,
        {
            "title": f"Ta bort {obj._meta.verbose_name}",
            "object": obj,
            "label": f"{obj._meta.verbose_name} ”{obj}”",
            "consequences": consequences,
            "cancel_url": cancel_url,
            "errors": errors,
            "version_input": version.input(),
        },
    )


MAX_ROWS = 500  # rows one formset saves at once: more than any arrangement's members
MAX_NEW_ROWS = 10  # new rows one save takes (the page offers one)


class RegisterInlineFormSet(BaseInlineFormSet):
    """An inline formset with Swedish wording for deleting rows and for duplicates."""

    default_error_messages = {
        "missing_management_form": "Formuläret kom inte fram helt. Ladda om sidan och försök igen.",
        "too_many_forms": f"Högst {MAX_ROWS} rader kan sparas på en gång.",
        "too_few_forms": "Fyll i minst en rad.",
    }

    duplicate_message = "Samma uppgift finns på flera rader. Ändra eller ta bort dubbletten."
    duplicate_row_message = "Den här raden är en dubblett av en annan rad."

    #: Messages that replace the errors above the rows: why a save was refused after the rows
    #: themselves were valid (a stale page, a service's refusal). Set by ``refuse``.
    refusal: list[str] | None = None

    def refuse(self, messages_: list[str]) -> None:
        """Show ``messages_`` above the rows instead of the formset's own errors."""
        self.refusal = list(messages_)

    def non_form_errors(self):
        if self.refusal is not None:
            return self.error_class(self.refusal)
        return super().non_form_errors()

    def total_form_count(self):
        # The page offers one new row per save; a posted row count far above that (tampered
        # with, TOTAL_FORMS=100000) must not build and re-render hundreds of forms. The count
        # itself is still checked against absolute_max, with the "too many rows" message.
        count = super().total_form_count()
        if self.is_bound:
            count = min(count, self.initial_form_count() + MAX_NEW_ROWS)
        return count

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Ta bort"

    def get_unique_error_message(self, unique_check):
        return self.duplicate_message

    def get_form_error(self):
        return self.duplicate_row_message

    def clean(self):
        super().clean()
        # A posted row that is not among the rows this user may edit (another organisation's, or
        # one deleted meanwhile) would otherwise be skipped silently.
        if any(form.instance.pk is None for form in self.initial_forms):
            raise ValidationError(STALE_ROW, code="stale_row")


class YearRowsFormSet(RegisterInlineFormSet):
    """Rows with one year each (costs, total costs)."""

    duplicate_message = "Samma år finns på flera rader. Varje år kan bara finnas en gång."
    duplicate_row_message = "Året finns redan på en annan rad."


class ParticipationRowsFormSet(RegisterInlineFormSet):
    duplicate_message = (
        "Samma organisation finns på flera rader. En organisation kan bara delta en gång."
    )
    duplicate_row_message = "Organisationen finns redan på en annan rad."


class ReviewItemRowsFormSet(RegisterInlineFormSet):
    duplicate_message = (
        "Samma samverkan finns på flera rader. Varje samverkan kan bara finnas med en gång."
    )
    duplicate_row_message = "Samverkan finns redan på en annan rad."


def _inline_formset(parent_model, model, form, *, formset=RegisterInlineFormSet, fields=None):
    """Return an inline formset class (one extra row, rows deletable) with Swedish messages."""
    extra = {"fields": fields} if fields else {}
    # A tampered row count (TOTAL_FORMS=100000) builds at most MAX_ROWS + 1 forms, not 2,000.
    return inlineformset_factory(
        parent_model,
        model,
        form=form,
        formset=formset,
        extra=1,
        can_delete=True,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS + 1,
        validate_max=True,
        **extra,
    )


def _formset_page(
    request,
    *,
    formset_class,
    parent,
    queryset,
    form_kwargs: dict,
    title: str,
    intro: str,
    cancel_url: str,
    success_url: str,
    success_message: str,
    layout: str = "table",
    may_add: Callable | None = None,
    others=None,
    others_template: str = "",
    initial: list | None = None,
    scope: Q | None = None,
):
    """Edit a set of rows; save all of them in one transaction or none.

    ``scope`` (a filter on the rows' own columns) limits the rows the user edits under the parent
    and, with them, the version the page carries (other organisations' rows don't make it stale).
    ``others`` are the rows under the parent that the user sees but does not edit, shown by
    ``others_template`` above the form.
    """
    access = _access(request)
    version = versions.Version.of_rows(
        formset_class.model,
        parent=parent,
        fk=formset_class.fk.name,
        scope=scope,
        fields=formset_class.form.base_fields,
        posted=_posted_version(request),
    )
    kwargs = {
        "instance": parent,
        "queryset": queryset,
        "initial": initial,
        "form_kwargs": {"access": access, **form_kwargs},
    }

    def build(*data):
        return _with_hidden_initial(formset_class(*data, **kwargs), initial)

    if request.method == "POST":
        formset = build(request.POST)
        stale = None
        if formset.is_valid():
            try:
                with transaction.atomic():
                    records.formset_save(
                        access=access, formset=formset, may_add=may_add, version=version
                    )
            except versions.StaleEdit as exc:
                stale = exc
            except ValidationError as exc:
                formset.refuse(exc.messages)
            except IntegrityError:
                formset.refuse([SAVE_FAILED])
            else:
                messages.success(request, success_message)
                return redirect(success_url)
        else:
            # Say now, not after the user has corrected the rows, that they were changed meanwhile.
            try:
                version.check(lock=False)
            except versions.StaleEdit as exc:
                stale = exc
        if stale is not None:
            formset = _refused_as_stale(formset, stale, version, build)
    else:
        formset = build()
    return render(
        request,
        FORMSET_TEMPLATE,
        {
            "title": title,
            "intro": intro,
            "formset": formset,
            "layout": layout,
            "cancel_url": cancel_url,
            "others": others,
            "others_template": others_template,
            "object": parent,
            "version_input": version.input(),
        },
    )


def _with_hidden_initial(formset, initial: list | None):
    """Let the new rows' suggested values (next year) travel with the page, so that a suggestion
    the user left alone is not taken for typed-in data when it has moved on meanwhile."""
    names = {name for row in initial or () for name in row}
    for form in formset.extra_forms:
        for name in names & set(form.fields):
            form.fields[name].show_hidden_initial = True
    return formset


def _refused_as_stale(formset, stale: versions.StaleEdit, version: versions.Version, build):
    """Return the formset to show after a refused stale save: what the user typed, without the
    rows deleted meanwhile (so that saving again works), with the refusal on top."""
    messages_ = stale.messages
    if formset.management_form.is_valid():
        data, typed = _without_rows_gone(formset, version)
        formset = build(data)
        formset.full_clean()
        messages_ = messages_[:-1] + typed + messages_[-1:] + list(formset.non_form_errors())
    formset.refuse(messages_)
    return formset


def _without_rows_gone(formset, version: versions.Version):
    """Return the formset's posted data without the rows deleted meanwhile (the refusal lists
    them), so that saving the page again works, and a line for each such row the user had
    changed, with what they typed in it."""
    prefix, data = formset.prefix, formset.data
    initial_count = formset.initial_form_count()
    kept, typed = [], []
    for i, form in enumerate(formset.forms):
        if i < initial_count and form.instance.pk is None:
            changes = version.typed_in_row_gone(form)
            if changes:
                typed.append(
                    "Det du skrev på en rad som har tagits bort har inte sparats: "
                    + "; ".join(changes)
                    + "."
                )
            continue
        kept.append(i)
    rebuilt = data.copy()
    for key in list(rebuilt):
        if re.match(rf"^(initial-)?{re.escape(prefix)}-\d+-", key):
            del rebuilt[key]
    for new, old in enumerate(kept):
        for key in data:
            match = re.match(rf"^(initial-)?{re.escape(prefix)}-{old}-(.+)$", key)
            if match:
                rebuilt.setlist(f"{match[1] or ''}{prefix}-{new}-{match[2]}", data.getlist(key))
    rebuilt[f"{prefix}-TOTAL_FORMS"] = str(len(kept))
    rebuilt[f"{prefix}-INITIAL_FORMS"] = str(sum(1 for i in kept if i < initial_count))
    return rebuilt, typed


def _editor_filter(access: Access, field: str) -> Q:
    """Return a filter for the rows the user edits (all rows for a register administrator)."""
    return Q() if access.is_admin else Q(**{f"{field}__in": access.editor_org_ids})


# --- Arrangements ----------------------------------------------------------------------------


@_edit_view
def arrangement_create(request):
    access = _access(request)
    _require(access.can_create_arrangement())

    def save(form):
        data = dict(form.cleaned_data)
        organisation = data.pop("for_organisation", None)
        if organisation is None and not access.is_admin:
            organisation = access.editor_organisations().get()
        return arrangements.arrangement_create(
            access=access,
            organisation=organisation,
            service_areas=data.pop("service_areas", ()),
            motives=data.pop("motives", ()),
            **data,
        )

    return _form_page(
        request,
        form_class=forms.ArrangementForm,
        form_kwargs={},
        save=save,
        title="Ny samverkan",
        intro="Din organisation läggs till som part. Fler parter, organ och kostnader lägger du "
        "till från samverkans sida när den är sparad.",
        cancel_url=reverse("register:arrangement_list"),
    )


@_edit_view
def arrangement_update(request, pk):
    arrangement = _arrangement(_access(request), pk)
    return _update(
        request,
        arrangement,
        form_class=forms.ArrangementForm,
        title=f"Ändra samverkan: {arrangement}",
        cancel_url=arrangement.get_absolute_url(),
        delete_name="arrangement_delete",
    )


@_edit_view
def arrangement_delete(request, pk):
    arrangement = _arrangement(_access(request), pk)
    return _delete(
        request,
        arrangement,
        next_url=reverse("register:arrangement_list"),
        cancel_url=arrangement.get_absolute_url(),
        consequences="Samverkan tas bort för alla parter, med deltaganden, organ, uppdrag, "
        "kostnader, mål, uppföljningar, alternativ och beslut.",
    )


ParticipationFormSet = _inline_formset(
    Arrangement,
    Participation,
    forms.ParticipationForm,
    formset=ParticipationRowsFormSet,
)


@_edit_view
def arrangement_participations(request, pk):
    access = _access(request)
    arrangement = _arrangement(access, pk)
    _require(access.can_change(arrangement))
    all_rows = arrangement.participations.select_related("organisation")
    scope = _editor_filter(access, "organisation")
    editable = all_rows.filter(scope)
    others = all_rows.exclude(pk__in=editable.values("pk"))
    return _formset_page(
        request,
        formset_class=ParticipationFormSet,
        parent=arrangement,
        queryset=editable,
        form_kwargs={"arrangement": arrangement},
        title=f"Parter i {arrangement}",
        intro="Du kan lägga till andra organisationer som parter. Varje organisation ändrar sedan "
        "sina egna uppgifter. Lägg till en part i taget; spara för att få en ny tom rad.",
        cancel_url=_arrangement_url(arrangement, "parter"),
        success_url=_arrangement_url(arrangement, "parter"),
        success_message="Parterna har sparats.",
        layout="stacked",
        may_add=lambda obj: access.can_change(arrangement),
        others=others,
        others_template="register/forms/_others_participations.html",
        scope=scope,
    )


def _participation(access: Access, pk: int) -> Participation:
    return get_object_or_404(
        Participation.objects.select_related("arrangement", "organisation").filter(
            arrangement__in=access.arrangements()
        ),
        pk=pk,
    )


@_edit_view
def participation_update(request, pk):
    participation = _participation(_access(request), pk)
    return _update(
        request,
        participation,
        form_class=forms.ParticipationForm,
        form_kwargs={"arrangement": participation.arrangement},
        title=f"Ändra deltagande: {participation.organisation} i {participation.arrangement}",
        cancel_url=participation.get_absolute_url(),
        delete_name="participation_delete",
    )


@_edit_view
def participation_delete(request, pk):
    access = _access(request)
    participation = _participation(access, pk)
    arrangement = participation.arrangement

    def next_url():
        # After removing their own participation the user may no longer see the arrangement.
        if access.arrangements().filter(pk=arrangement.pk).exists():
            return arrangement.get_absolute_url()
        return reverse("register:arrangement_list")

    return _delete(
        request,
        participation,
        next_url=next_url,
        cancel_url=participation.get_absolute_url(),
        consequences="Organisationens kostnader och genomgångspunkter för samverkan tas också "
        "bort.",
    )


CostFormSet = _inline_formset(
    Participation,
    Cost,
    forms.CostForm,
    formset=YearRowsFormSet,
    fields=["year", "budget", "outcome", "forecast", "note"],
)


@_edit_view
def participation_costs(request, pk):
    access = _access(request)
    participation = _participation(access, pk)
    _require(access.can_change(participation))
    costs = participation.costs.order_by("year")
    last = costs.last()
    next_year = (last.year + 1) if last else _this_year()
    return _formset_page(
        request,
        formset_class=CostFormSet,
        parent=participation,
        queryset=costs,
        form_kwargs={},
        title=f"Kostnader för {participation.organisation} i {participation.arrangement}",
        intro="Belopp i hela kronor per år. Du kan skriva mellanslag mellan tusental, till exempel "
        "1\u00a0234\u00a0567. Spara för att få en ny tom rad.",
        cancel_url=_arrangement_url(participation.arrangement, "kostnader"),
        success_url=_arrangement_url(participation.arrangement, "kostnader"),
        success_message="Kostnaderna har sparats.",
        initial=[{"year": next_year}],
    )


def _this_year() -> int:
    return timezone.localdate().year


BodyFormSet = _inline_formset(Arrangement, Body, forms.BodyForm)


@_edit_view
def arrangement_bodies(request, pk):
    access = _access(request)
    arrangement = _arrangement(access, pk)
    _require(access.can_change(arrangement))
    return _formset_page(
        request,
        formset_class=BodyFormSet,
        parent=arrangement,
        queryset=arrangement.bodies.order_by("name"),
        form_kwargs={},
        title=f"Organ i {arrangement}",
        intro="Samverkans organ: förbundsfullmäktige, direktion, gemensam nämnd, styrgrupp och "
        "liknande. Ledamöter och ersättare lägger du till under varje organ. Att ta bort ett organ "
        "tar också bort dess uppdrag; har en annan part utsett uppdrag i organet kan bara "
        "registrets administratör ta bort det.",
        cancel_url=_arrangement_url(arrangement, "organ"),
        success_url=_arrangement_url(arrangement, "organ"),
        success_message="Organen har sparats.",
        layout="stacked",
    )


SeatFormSet = _inline_formset(Body, Seat, forms.SeatForm)


@_edit_view
def body_seats(request, pk):
    access = _access(request)
    body = _on_visible_arrangement(access, Body, pk)
    arrangement = body.arrangement
    appointing = forms.editor_participants(access, arrangement)
    _require(access.can_change(body) and appointing.exists())
    seats = body.seats.select_related("person", "appointed_by")
    scope = _editor_filter(access, "appointed_by")
    editable = seats.filter(scope)
    others = seats.exclude(pk__in=editable.values("pk"))
    return _formset_page(
        request,
        formset_class=SeatFormSet,
        parent=body,
        queryset=editable,
        form_kwargs={"body": body},
        title=f"Uppdrag i {body} ({arrangement})",
        intro="Vem sitter i organet och vem har utsett dem. Du ändrar de uppdrag som din "
        "organisation utser. Saknas personen? Lägg först till den under Personer.",
        cancel_url=body.get_absolute_url(),
        success_url=body.get_absolute_url(),
        success_message="Uppdragen har sparats.",
        layout="stacked",
        others=others,
        others_template="register/forms/_others_seats.html",
        scope=scope,
    )


TotalCostFormSet = _inline_formset(
    Arrangement,
    TotalCost,
    forms.TotalCostForm,
    formset=YearRowsFormSet,
)


@_edit_view
def arrangement_totalcosts(request, pk):
    access = _access(request)
    arrangement = _arrangement(access, pk)
    _require(access.can_change(arrangement))
    totals = arrangement.total_costs.order_by("year")
    last = totals.last()
    return _formset_page(
        request,
        formset_class=TotalCostFormSet,
        parent=arrangement,
        queryset=totals,
        form_kwargs={},
        title=f"Total kostnad för {arrangement}",
        intro="Samverkans hela omslutning eller budget per år, i hela kronor. Används för att "
        "räkna ut varje parts andel.",
        cancel_url=_arrangement_url(arrangement, "kostnader"),
        success_url=_arrangement_url(arrangement, "kostnader"),
        success_message="De totala kostnaderna har sparats.",
        initial=[{"year": (last.year + 1) if last else _this_year()}],
    )


# --- Goals -----------------------------------------------------------------------------------


@_edit_view
def arrangement_goal_create(request, pk):
    access = _access(request)
    arrangement = _arrangement(access, pk)
    _require(access.can_change(arrangement))
    return _create(
        request,
        form_class=forms.GoalForm,
        form_kwargs={"owner": arrangement},
        title=f"Nytt mål för {arrangement}",
        intro="Samverkans eget mål, som parterna är överens om.",
        cancel_url=_arrangement_url(arrangement, "mal"),
    )


@_edit_view
def organisation_goal_create(request, pk):
    access = _access(request)
    organisation = get_object_or_404(access.organisations(), pk=pk)
    _require(access.can_change(organisation))
    return _create(
        request,
        form_class=forms.GoalForm,
        form_kwargs={"owner": organisation},
        title=f"Nytt eget mål för {organisation}",
        intro="Organisationens egna mål: vision, målområde och mål.",
        cancel_url=organisation.get_absolute_url() + "#mal",
    )


def _goal(access: Access, pk: int) -> Goal:
    visible = Q(organisation__isnull=False) | Q(arrangement__in=access.arrangements())
    return get_object_or_404(Goal.objects.filter(visible), pk=pk)


@_edit_view
def goal_update(request, pk):
    goal = _goal(_access(request), pk)
    return _update(
        request,
        goal,
        form_class=forms.GoalForm,
        title=f"Ändra mål: {goal}",
        cancel_url=goal.get_absolute_url(),
        delete_name="goal_delete",
    )


@_edit_view
def goal_delete(request, pk):
    goal = _goal(_access(request), pk)
    return _delete(
        request,
        goal,
        next_url=goal.get_absolute_url(),
        cancel_url=goal.get_absolute_url(),
        consequences="Delmål under målet, kopplingar till samverkan och målkonflikter som gäller "
        "målet tas också bort.",
    )


# --- Records on an arrangement ---------------------------------------------------------------


def _record_on_arrangement_create(request, pk, *, form_class, title, anchor, intro):
    """Create a record (goal link, goal conflict, evaluation, alternative, decision) on an
    arrangement the user changes."""
    access = _access(request)
    arrangement = _arrangement(access, pk)
    _require(access.can_change(arrangement))
    return _create(
        request,
        form_class=form_class,
        form_kwargs={"arrangement": arrangement},
        title=f"{title} – {arrangement}",
        intro=intro,
        cancel_url=_arrangement_url(arrangement, anchor),
        context={"arrangement": arrangement},
    )


def _record_on_arrangement(request, model, pk):
    """Return a record on an arrangement that the user may see, else 404."""
    queryset = _access(request).visible(model.objects.select_related("arrangement"))
    return get_object_or_404(queryset, pk=pk)


def _record_on_arrangement_update(request, obj, *, form_class, delete_name):
    return _update(
        request,
        obj,
        form_class=form_class,
        form_kwargs={"arrangement": obj.arrangement},
        title=f"Ändra {obj._meta.verbose_name}: {obj}",
        cancel_url=obj.get_absolute_url(),
        delete_name=delete_name,
    )


def _record_on_arrangement_delete(request, obj, *, anchor):
    return _delete(
        request,
        obj,
        next_url=_arrangement_url(obj.arrangement, anchor),
        cancel_url=obj.get_absolute_url(),
    )


@_edit_view
def contribution_create(request, pk):
    return _record_on_arrangement_create(
        request,
        pk,
        form_class=forms.ContributionForm,
        title="Koppla till eget mål",
        anchor="mal",
        intro="Vilket av organisationens egna mål ska samverkan bidra till, och hur?",
    )


@_edit_view
def contribution_update(request, pk):
    return _record_on_arrangement_update(
        request,
        _record_on_arrangement(request, Contribution, pk),
        form_class=forms.ContributionForm,
        delete_name="contribution_delete",
    )


@_edit_view
def contribution_delete(request, pk):
    return _record_on_arrangement_delete(
        request, _record_on_arrangement(request, Contribution, pk), anchor="mal"
    )


@_edit_view
def goalconflict_create(request, pk):
    return _record_on_arrangement_create(
        request,
        pk,
        form_class=forms.GoalConflictForm,
        title="Ny målkonflikt",
        anchor="malkonflikter",
        intro="En konflikt mellan ett eget mål och samverkan eller ett av dess beslut, och hur den "
        "hanteras.",
    )


@_edit_view
def goalconflict_update(request, pk):
    return _record_on_arrangement_update(
        request,
        _record_on_arrangement(request, GoalConflict, pk),
        form_class=forms.GoalConflictForm,
        delete_name="goalconflict_delete",
    )


@_edit_view
def goalconflict_delete(request, pk):
    return _record_on_arrangement_delete(
        request, _record_on_arrangement(request, GoalConflict, pk), anchor="malkonflikter"
    )


@_edit_view
def evaluation_create(request, pk):
    return _record_on_arrangement_create(
        request,
        pk,
        form_class=forms.EvaluationForm,
        title="Ny uppföljning",
        anchor="uppfoljning",
        intro="Hur samverkan har gått: måluppfyllelse, kostnader, samspelet mellan parterna och "
        "rekommendation.",
    )


@_edit_view
def evaluation_update(request, pk):
    return _record_on_arrangement_update(
        request,
        _record_on_arrangement(request, Evaluation, pk),
        form_class=forms.EvaluationForm,
        delete_name="evaluation_delete",
    )


@_edit_view
def evaluation_delete(request, pk):
    return _record_on_arrangement_delete(
        request, _record_on_arrangement(request, Evaluation, pk), anchor="uppfoljning"
    )


@_edit_view
def alternative_create(request, pk):
    return _record_on_arrangement_create(
        request,
        pk,
        form_class=forms.AlternativeForm,
        title="Nytt alternativ",
        anchor="alternativ",
        intro="Vad man kunde ha gjort i stället, vad det hade kostat och varför det inte valdes.",
    )


@_edit_view
def alternative_update(request, pk):
    return _record_on_arrangement_update(
        request,
        _record_on_arrangement(request, Alternative, pk),
        form_class=forms.AlternativeForm,
        delete_name="alternative_delete",
    )


@_edit_view
def alternative_delete(request, pk):
    return _record_on_arrangement_delete(
        request, _record_on_arrangement(request, Alternative, pk), anchor="alternativ"
    )


@_edit_view
def decision_create(request, pk):
    return _record_on_arrangement_create(
        request,
        pk,
        form_class=forms.DecisionForm,
        title="Nytt beslut",
        anchor="beslut",
        intro="Ett beslut i en egen nämnd eller i samverkans organ som påverkar samverkan.",
    )


@_edit_view
def decision_update(request, pk):
    return _record_on_arrangement_update(
        request,
        _record_on_arrangement(request, Decision, pk),
        form_class=forms.DecisionForm,
        delete_name="decision_delete",
    )


@_edit_view
def decision_delete(request, pk):
    return _record_on_arrangement_delete(
        request, _record_on_arrangement(request, Decision, pk), anchor="beslut"
    )


# --- People and organisations ----------------------------------------------------------------


@_edit_view
def person_create(request):
    access = _access(request)
    _require(access.is_editor)
    return _create(
        request,
        form_class=forms.PersonForm,
        form_kwargs={},
        title="Ny person",
        intro="Förtroendevalda och tjänstepersoner. Namn, parti och uppdrag är offentliga; "
        "kontaktuppgifter syns bara internt.",
        cancel_url=reverse("register:person_list"),
    )


@_edit_view
def person_update(request, pk):
    person = get_object_or_404(_access(request).people(), pk=pk)
    return _update(
        request,
        person,
        form_class=forms.PersonForm,
        title=f"Ändra person: {person}",
        cancel_url=person.get_absolute_url(),
        delete_name="person_delete",
    )


@_edit_view
def person_delete(request, pk):
    person = get_object_or_404(_access(request).people(), pk=pk)
    return _delete(
        request,
        person,
        next_url=reverse("register:person_list"),
        cancel_url=person.get_absolute_url(),
        protected_message="Personen har uppdrag i registret och kan inte tas bort. Ta bort "
        "uppdragen först.",
    )


@_edit_view
def organisation_create(request):
    access = _access(request)
    _require(access.can_create_organisation())
    return _create(
        request,
        form_class=forms.OrganisationForm,
        form_kwargs={},
        title="Ny organisation",
        intro="Kommuner och regioner finns redan. Lägg här till förbund, bolag, myndigheter och "
        "andra parter.",
        cancel_url=reverse("register:organisation_list"),
    )


@_edit_view
def organisation_update(request, pk):
    organisation = get_object_or_404(_access(request).organisations(), pk=pk)
    return _update(
        request,
        organisation,
        form_class=forms.OrganisationForm,
        title=f"Ändra organisation: {organisation}",
        cancel_url=organisation.get_absolute_url(),
        delete_name="organisation_delete",
    )


@_edit_view
def organisation_delete(request, pk):
    organisation = get_object_or_404(_access(request).organisations(), pk=pk)
    return _delete(
        request,
        organisation,
        next_url=reverse("register:organisation_list"),
        cancel_url=organisation.get_absolute_url(),
        protected_message="Organisationen kan inte tas bort eftersom den fortfarande deltar i "
        "samverkan eller har beslut, uppföljningar eller uppdrag i registret.",
    )


# --- Strategic reviews -----------------------------------------------------------------------


def _review(access: Access, pk: int, *, open_only: bool = False) -> Review:
    """Return the review (404 if the user may not see it); ``open_only`` refuses a closed one."""
    review = _visible(access, Review.objects.select_related("organisation"), pk)
    if open_only and review.is_closed:
        raise PermissionDenied(review_services.CLOSED)
    return review


@_edit_view
def review_create(request):
    access = _access(request)
    _require(access.is_editor)
    return _create(
        request,
        form_class=forms.ReviewForm,
        form_kwargs={},
        title="Ny strategisk genomgång",
        intro="Kommunstyrelsens genomgång av all samverkan: inriktning, prioritet och uppföljning. "
        "När genomgången sparas får den en punkt för varje samverkan som organisationen deltar i, "
        "med kostnader, uppföljningar, mål och alternativ.",
        cancel_url=reverse("register:review_list"),
        save=lambda form: review_services.review_open(
            access=access, review=form.save(commit=False), today=timezone.localdate()
        ),
    )


@_edit_view
def review_update(request, pk):
    review = _review(_access(request), pk, open_only=True)
    return _update(
        request,
        review,
        form_class=forms.ReviewForm,
        title=f"Ändra genomgång: {review}",
        cancel_url=review.get_absolute_url(),
        delete_name="review_delete",
        service=review_services.review_save,
    )


@_edit_view
def review_delete(request, pk):
    review = _review(_access(request), pk, open_only=True)
    return _delete(
        request,
        review,
        next_url=reverse("register:review_list"),
        cancel_url=review.get_absolute_url(),
        consequences="Genomgångens alla punkter tas också bort.",
    )


ReviewItemFormSet = _inline_formset(
    Review,
    ReviewItem,
    forms.ReviewItemForm,
    formset=ReviewItemRowsFormSet,
)


@_edit_view
def review_items(request, pk):
    access = _access(request)
    review = _review(access, pk, open_only=True)
    _require(access.can_change(review))
    return _formset_page(
        request,
        formset_class=ReviewItemFormSet,
        parent=review,
        queryset=review.items.select_related("participation__arrangement"),
        form_kwargs={"review": review},
        title=f"Punkter i {review}",
        intro="En punkt per samverkan: inriktning, prioritet, uppföljning, beslut och uppdrag.",
        cancel_url=review.get_absolute_url(),
        success_url=review.get_absolute_url(),
        success_message="Genomgångens punkter har sparats.",
        layout="table",
    )
