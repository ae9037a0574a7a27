"""Edit side of the internal register: create, change and delete, one class-based view per page.

Every view looks its object up through the access selector (an object the user may not see is a
404) and asks ``Access.can_change`` / ``can_delete`` / ``can_create_*`` before showing or saving a
form (not allowed is a 403). Writes go through ``register.services`` in one transaction. Every page
that changes or deletes existing records carries their version (``register.versions``), so that a
save never silently reverts what someone else saved meanwhile.

Three kinds of page, each a small class on Django's own generic views:

* ``RecordFormView`` (``RecordCreateView``, ``RecordUpdateView``): one record in a form;
* ``RecordDeleteView``: confirm, then delete one record;
* ``RowsView``: a set of rows under one parent (an inline formset), saved all or nothing.

A page says what it shows with class attributes and small hooks (``get_queryset``,
``get_form_extra``, ``get_title``); the URLs name the class, or pass attributes to ``as_view``
where only the model and form differ.
"""

from __future__ import annotations

import re
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.text import capfirst
from django.views import View
from django.views.generic.base import ContextMixin, TemplateResponseMixin
from django.views.generic.edit import FormMixin

from .. import versions
from ..access import Access
from ..models import (
    Arrangement,
    Body,
    Cost,
    Goal,
    Organisation,
    Participation,
    Person,
    Review,
    ReviewItem,
    Seat,
    TotalCost,
)
from ..services import arrangements, records
from ..services import reviews as review_services
from ..services.records import NOT_ALLOWED
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


def _arrangement_url(arrangement: Arrangement, anchor: str = "") -> str:
    return arrangement.get_absolute_url() + (f"#{anchor}" if anchor else "")


def _this_year() -> int:
    return timezone.localdate().year


# --- Formsets ----------------------------------------------------------------------------------


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

    def has_row_errors(self) -> bool:
        """Whether a row has an error of its own (not only the set of rows as a whole)."""
        return any(form.errors for form in self.forms)

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


# --- The three kinds of page -----------------------------------------------------------------


class EditView(LoginRequiredMixin, ContextMixin, TemplateResponseMixin, View):
    """An edit page: logged in (else the login page), GET or POST (else 405), the user's access.

    ``prepare()`` runs first on every GET and POST: it looks up what the page is about (404 when
    the user may not see it) and checks that the user may do what the page does (403).
    """

    http_method_names = ["get", "post"]
    title = ""
    intro = ""

    @cached_property
    def access(self) -> Access:
        return Access.for_user(self.request.user)

    def require(self, allowed: bool) -> None:
        if not allowed:
            raise PermissionDenied(NOT_ALLOWED)

    def prepare(self) -> None:
        """Look up the page's objects and check the user's rights (subclasses extend)."""

    def posted_version(self) -> str | None:
        """Return the version token the page sent back (None when the page is only shown)."""
        return self.request.POST.get(versions.FIELD, "") if self.request.method == "POST" else None

    def get_title(self) -> str:
        return self.title

    def get_cancel_url(self) -> str:
        return ""

    def get_context_data(self, **kwargs) -> dict:
        kwargs.setdefault("title", self.get_title())
        kwargs.setdefault("intro", self.intro)
        kwargs.setdefault("cancel_url", self.get_cancel_url())
        return super().get_context_data(**kwargs)

    def get(self, request, *args, **kwargs):
        self.prepare()
        return self.render_to_response(self.get_context_data())


class RecordFormView(FormMixin, EditView):
    """One record in a form; a valid POST saves it through a service and goes to the record.

    ``version`` is the version of the record the form changes (none when it creates one); the
    ``save`` service checks it.
    """

    template_name = FORM_TEMPLATE
    object = None
    version: versions.Version | None = None

    def get_form_extra(self) -> dict:
        """Return the keyword arguments the form takes besides ``access`` (e.g. its arrangement)."""
        return {}

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        return {**kwargs, "access": self.access, "instance": self.object, **self.get_form_extra()}

    def get_delete_url(self) -> str:
        return ""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(
            delete_url=self.get_delete_url(),
            version_input=self.version.input() if self.version else "",
        )
        if self.object is not None:
            context["object"] = self.object
        return context

    #: The service that saves the record (keyword arguments access, instance, save_m2m, version).
    save_service = staticmethod(records.record_save)

    def save(self, form):
        """Save the valid form through ``save_service`` and return the record."""
        return self.save_service(
            access=self.access,
            instance=form.save(commit=False),
            save_m2m=form.save_m2m,
            version=self.version,
        )

    def post(self, request, *args, **kwargs):
        self.prepare()
        form = self.get_form()
        if form.is_valid():
            try:
                obj = self.save(form)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            except IntegrityError:
                form.add_error(None, SAVE_FAILED)
            else:
                messages.success(
                    request, f"{capfirst(obj._meta.verbose_name)} ”{obj}” har sparats."
                )
                return redirect(obj.get_absolute_url())
        elif self.version is not None:
            # Say now, not after the user has corrected the form, that it was changed meanwhile.
            try:
                self.version.check(lock=False)
            except versions.StaleEdit as exc:
                form.add_error(None, exc.messages)
        return self.render_to_response(self.get_context_data(form=form))


class RecordCreateView(RecordFormView):
    """A form that creates a record; ``may_create()`` says whether the user may."""

    cancel_url = ""

    def may_create(self) -> bool:
        return self.access.is_editor

    def prepare(self) -> None:
        self.require(self.may_create())

    def get_cancel_url(self) -> str:
        return str(self.cancel_url)


class _OneRecord:
    """The record a page changes or deletes: a ``model`` the user may see, by the URL's pk."""

    model = None
    #: Relations the page shows (``select_related``).
    related: tuple[str, ...] = ()

    def get_queryset(self):
        return self.access.visible(self.model.objects.select_related(*self.related))

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url()


class RecordUpdateView(_OneRecord, RecordFormView):
    """A form that changes a record the user may change; it offers deleting it where allowed.

    The delete page's URL is named after the model (``register:<model>_delete``).
    """

    def prepare(self) -> None:
        self.object = self.get_object()
        self.require(self.access.can_change(self.object))
        self.version = versions.Version.of_record(
            self.object, fields=self.get_form_class().base_fields, posted=self.posted_version()
        )

    def get_title(self) -> str:
        return f"Ändra {self.object._meta.verbose_name}: {self.object}"

    #: Whether the page offers deleting the record (at ``register:<model>_delete``).
    offers_delete = True

    def get_delete_url(self) -> str:
        if not self.offers_delete or not self.access.can_delete(self.object):
            return ""
        return reverse(f"register:{self.object._meta.model_name}_delete", args=[self.object.pk])


class RecordDeleteView(_OneRecord, EditView):
    """Confirm on GET, delete on POST, unless the record changed since the page was shown."""

    template_name = DELETE_TEMPLATE
    consequences = ""
    protected_message = ""
    success_url = ""

    def prepare(self) -> None:
        self.object = self.get_object()
        self.require(self.access.can_delete(self.object))
        self.version = versions.Version.of_record(
            self.object,
            fields=versions.editable_fields(type(self.object)),
            posted=self.posted_version(),
            deleting=True,
        )

    def get_success_url(self) -> str:
        return str(self.success_url)

    def label(self) -> str:
        return f"{self.object._meta.verbose_name} ”{self.object}”"

    def get_title(self) -> str:
        return f"Ta bort {self.object._meta.verbose_name}"

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            object=self.object,
            label=self.label(),
            consequences=self.consequences,
            version_input=self.version.input(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.prepare()
        label = capfirst(self.label())
        try:
            records.record_delete(access=self.access, instance=self.object, version=self.version)
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(errors=exc.messages))
        except ProtectedError:
            messages.error(
                request,
                self.protected_message
                or f"{label} kan inte tas bort eftersom andra uppgifter i registret hänger ihop "
                "med den.",
            )
            return redirect(self.get_cancel_url())
        messages.success(request, f"{label} har tagits bort.")
        return redirect(self.get_success_url())


class RowsView(EditView):
    """A set of rows under one parent (an inline formset); saves all of them or none.

    ``get_scope()`` (a filter on the rows' own columns) limits the rows the user edits under the
    parent and, with them, the version the page carries (other organisations' rows don't make it
    stale). ``get_others()`` are the rows under the parent that the user sees but does not edit,
    shown by ``others_template`` above the form.
    """

    template_name = FORMSET_TEMPLATE
    formset_class: type[BaseInlineFormSet]
    layout = "table"
    success_message = ""
    others_template = ""
    #: The section of the parent's page the page goes back to.
    anchor = ""

    def get_parent(self):
        raise NotImplementedError

    def may_edit(self) -> bool:
        return self.access.can_change(self.parent)

    def get_scope(self) -> Q | None:
        return None

    def get_rows(self):
        """Return the rows under the parent, the ones the user edits and the others."""
        raise NotImplementedError

    def get_others(self):
        """Return the rows the user sees but does not edit (shown when ``others_template``)."""
        if not self.others_template:
            return None
        rows = self.get_rows()
        return rows.exclude(pk__in=rows.filter(self.scope or Q()).values("pk"))

    def get_initial(self) -> list | None:
        return None

    def get_form_extra(self) -> dict:
        return {}

    def may_add(self, obj) -> bool:
        """Whether the user may add the new row ``obj`` (by default: may change it)."""
        return self.access.can_change(obj)

    def get_return_url(self) -> str:
        return self.parent.get_absolute_url() + (f"#{self.anchor}" if self.anchor else "")

    def get_cancel_url(self) -> str:
        return self.get_return_url()

    def prepare(self) -> None:
        self.parent = self.get_parent()
        self.require(self.may_edit())
        self.scope = self.get_scope()
        self.initial = self.get_initial()
        self.version = versions.Version.of_rows(
            self.formset_class.model,
            parent=self.parent,
            fk=self.formset_class.fk.name,
            scope=self.scope,
            fields=self.formset_class.form.base_fields,
            posted=self.posted_version(),
        )

    def build(self, data=None):
        """Return the formset, bound to ``data`` when given."""
        rows = self.get_rows()
        if self.scope is not None:
            rows = rows.filter(self.scope)
        formset = self.formset_class(
            data,
            instance=self.parent,
            queryset=rows,
            initial=self.initial,
            form_kwargs={"access": self.access, **self.get_form_extra()},
        )
        # Let the new rows' suggested values (next year) travel with the page, so that a
        # suggestion the user left alone is not taken for typed-in data when it has moved on.
        names = {name for row in self.initial or () for name in row}
        for form in formset.extra_forms:
            for name in names & set(form.fields):
                form.fields[name].show_hidden_initial = True
        return formset

    def get_context_data(self, **kwargs) -> dict:
        if "formset" not in kwargs:
            kwargs["formset"] = self.build()
        return super().get_context_data(
            layout=self.layout,
            others=self.get_others(),
            others_template=self.others_template,
            object=self.parent,
            version_input=self.version.input(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.prepare()
        formset = self.build(request.POST)
        stale = None
        if formset.is_valid():
            try:
                with transaction.atomic():
                    records.formset_save(
                        access=self.access,
                        formset=formset,
                        may_add=self.may_add,
                        version=self.version,
                    )
            except versions.StaleEdit as exc:
                stale = exc
            except ValidationError as exc:
                formset.refuse(exc.messages)
            except IntegrityError:
                formset.refuse([SAVE_FAILED])
            else:
                messages.success(request, self.success_message)
                return redirect(self.get_return_url())
        else:
            # Say now, not after the user has corrected the rows, that they were changed meanwhile.
            try:
                self.version.check(lock=False)
            except versions.StaleEdit as exc:
                stale = exc
        if stale is not None:
            formset = self.refused_as_stale(formset, stale)
        return self.render_to_response(self.get_context_data(formset=formset))

    def refused_as_stale(self, formset, stale: versions.StaleEdit):
        """Return the formset to show after a refused stale save: what the user typed, without
        the rows deleted meanwhile (so that saving again works), with the refusal on top."""
        messages_ = stale.messages
        if formset.management_form.is_valid():
            data, typed = _without_rows_gone(formset, self.version)
            formset = self.build(data)
            formset.full_clean()
            messages_ = messages_[:-1] + typed + messages_[-1:] + list(formset.non_form_errors())
        formset.refuse(messages_)
        return formset


# --- Arrangements ----------------------------------------------------------------------------


class ArrangementCreate(RecordCreateView):
    form_class = forms.ArrangementForm
    title = "Ny samverkan"
    intro = (
        "Din organisation läggs till som part. Fler parter, organ och kostnader lägger du till "
        "från samverkans sida när den är sparad."
    )
    cancel_url = reverse_lazy("register:arrangement_list")

    def may_create(self) -> bool:
        return self.access.can_create_arrangement()

    def save(self, form):
        data = dict(form.cleaned_data)
        organisation = data.pop("for_organisation", None)
        if organisation is None and self.access.must_choose_organisation(Arrangement):
            # The form asked nothing: the user creates for one organisation only.
            organisation = self.access.creatable_for(Arrangement).get()
        return arrangements.arrangement_create(
            access=self.access,
            organisation=organisation,
            service_areas=data.pop("service_areas", ()),
            motives=data.pop("motives", ()),
            **data,
        )


class ArrangementDelete(RecordDeleteView):
    consequences = (
        "Samverkan tas bort för alla parter, med deltaganden, organ, uppdrag, kostnader, mål, "
        "uppföljningar, alternativ och beslut."
    )
    model = Arrangement
    success_url = reverse_lazy("register:arrangement_list")


class _ArrangementRows(RowsView):
    """Rows under an arrangement the user may see (and change)."""

    def get_parent(self):
        return get_object_or_404(self.access.arrangements(), pk=self.kwargs["pk"])


ParticipationFormSet = _inline_formset(
    Arrangement,
    Participation,
    forms.ParticipationForm,
    formset=ParticipationRowsFormSet,
)


class ArrangementParticipations(_ArrangementRows):
    formset_class = ParticipationFormSet
    intro = (
        "Du kan lägga till andra organisationer som parter. Varje organisation ändrar sedan sina "
        "egna uppgifter. Lägg till en part i taget; spara för att få en ny tom rad."
    )
    anchor = "parter"
    success_message = "Parterna har sparats."
    layout = "stacked"
    others_template = "register/forms/_others_participations.html"

    def get_title(self) -> str:
        return f"Parter i {self.parent}"

    def get_rows(self):
        return self.parent.participations.select_related("organisation")

    def get_scope(self) -> Q:
        return self.access.editable_q(Participation)

    def get_form_extra(self) -> dict:
        return {"arrangement": self.parent}

    def may_add(self, obj) -> bool:
        # Whoever changes the arrangement may add another organisation as a partner.
        return self.access.can_change(self.parent)


class ParticipationUpdate(RecordUpdateView):
    model = Participation
    related = ("arrangement", "organisation")
    form_class = forms.ParticipationForm

    def get_form_extra(self) -> dict:
        return {"arrangement": self.object.arrangement}

    def get_title(self) -> str:
        return f"Ändra deltagande: {self.object.organisation} i {self.object.arrangement}"


class ParticipationDelete(RecordDeleteView):
    model = Participation
    related = ("arrangement", "organisation")
    consequences = "Organisationens kostnader och genomgångspunkter för samverkan tas också bort."

    def get_success_url(self) -> str:
        # After removing their own participation the user may no longer see the arrangement.
        arrangement = self.object.arrangement
        if self.access.arrangements().filter(pk=arrangement.pk).exists():
            return arrangement.get_absolute_url()
        return reverse("register:arrangement_list")


CostFormSet = _inline_formset(
    Participation,
    Cost,
    forms.CostForm,
    formset=YearRowsFormSet,
    fields=["year", "budget", "outcome", "forecast", "note"],
)


class _YearRows(RowsView):
    """Rows with one year each; the new row suggests the year after the last one."""

    formset_class: type[YearRowsFormSet]

    def get_rows(self):
        return self.formset_class.model.objects.filter(
            **{self.formset_class.fk.name: self.parent}
        ).order_by("year")

    def get_initial(self) -> list:
        last = self.get_rows().last()
        return [{"year": (last.year + 1) if last else _this_year()}]


class ParticipationCosts(_YearRows):
    formset_class = CostFormSet
    intro = (
        "Belopp i hela kronor per år. Du kan skriva mellanslag mellan tusental, till exempel "
        "1\u00a0234\u00a0567. Spara för att få en ny tom rad."
    )
    success_message = "Kostnaderna har sparats."

    def get_parent(self):
        participations = Participation.objects.select_related("arrangement", "organisation")
        return get_object_or_404(self.access.visible(participations), pk=self.kwargs["pk"])

    def get_title(self) -> str:
        return f"Kostnader för {self.parent.organisation} i {self.parent.arrangement}"

    def get_return_url(self) -> str:
        return _arrangement_url(self.parent.arrangement, "kostnader")


TotalCostFormSet = _inline_formset(
    Arrangement, TotalCost, forms.TotalCostForm, formset=YearRowsFormSet
)


class ArrangementTotalCosts(_ArrangementRows, _YearRows):
    formset_class = TotalCostFormSet
    intro = (
        "Samverkans hela omslutning eller budget per år, i hela kronor. Används för att räkna ut "
        "varje parts andel."
    )
    anchor = "kostnader"
    success_message = "De totala kostnaderna har sparats."

    def get_title(self) -> str:
        return f"Total kostnad för {self.parent}"


BodyFormSet = _inline_formset(Arrangement, Body, forms.BodyForm)


class ArrangementBodies(_ArrangementRows):
    formset_class = BodyFormSet
    intro = (
        "Samverkans organ: förbundsfullmäktige, direktion, gemensam nämnd, styrgrupp och "
        "liknande. Ledamöter och ersättare lägger du till under varje organ. Att ta bort ett organ "
        "tar också bort dess uppdrag; har en annan part utsett uppdrag i organet kan bara "
        "registrets administratör ta bort det."
    )
    anchor = "organ"
    success_message = "Organen har sparats."
    layout = "stacked"

    def get_title(self) -> str:
        return f"Organ i {self.parent}"

    def get_rows(self):
        return self.parent.bodies.order_by("name")


SeatFormSet = _inline_formset(Body, Seat, forms.SeatForm)


class BodySeats(RowsView):
    formset_class = SeatFormSet
    intro = (
        "Vem sitter i organet och vem har utsett dem. Du ändrar de uppdrag som din organisation "
        "utser. Saknas personen? Lägg först till den under Personer."
    )
    success_message = "Uppdragen har sparats."
    layout = "stacked"
    others_template = "register/forms/_others_seats.html"

    def get_parent(self):
        bodies = Body.objects.filter(arrangement__in=self.access.arrangements())
        return get_object_or_404(bodies, pk=self.kwargs["pk"])

    def may_edit(self) -> bool:
        appointing = self.access.creatable_for(Seat, arrangement=self.parent.arrangement)
        return self.access.can_change(self.parent) and appointing.exists()

    def get_title(self) -> str:
        return f"Uppdrag i {self.parent} ({self.parent.arrangement})"

    def get_rows(self):
        return self.parent.seats.select_related("person", "appointed_by")

    def get_scope(self) -> Q:
        return self.access.editable_q(Seat)

    def get_form_extra(self) -> dict:
        return {"body": self.parent}


# --- Goals -----------------------------------------------------------------------------------


class ArrangementGoalCreate(RecordCreateView):
    form_class = forms.GoalForm
    intro = "Samverkans eget mål, som parterna är överens om."

    def prepare(self) -> None:
        self.owner = get_object_or_404(self.access.arrangements(), pk=self.kwargs["pk"])
        self.require(self.access.can_change(self.owner))

    def get_form_extra(self) -> dict:
        return {"owner": self.owner}

    def get_title(self) -> str:
        return f"Nytt mål för {self.owner}"

    def get_cancel_url(self) -> str:
        return _arrangement_url(self.owner, "mal")


class OrganisationGoalCreate(ArrangementGoalCreate):
    intro = "Organisationens egna mål: vision, målområde och mål."

    def prepare(self) -> None:
        self.owner = get_object_or_404(self.access.organisations(), pk=self.kwargs["pk"])
        self.require(self.access.can_change(self.owner))

    def get_title(self) -> str:
        return f"Nytt eget mål för {self.owner}"

    def get_cancel_url(self) -> str:
        return self.owner.get_absolute_url() + "#mal"


class GoalDelete(RecordDeleteView):
    model = Goal
    consequences = (
        "Delmål under målet, kopplingar till samverkan och målkonflikter som gäller målet tas "
        "också bort."
    )

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


# --- Records on an arrangement ---------------------------------------------------------------
# Goal links, goal conflicts, evaluations, alternatives and decisions: created from the
# arrangement's page, changed and deleted from their own. The URLs pass the model, the form and
# the section of the arrangement's page (``anchor``) to the update and delete views.


class OnArrangementCreate(RecordCreateView):
    """Create a record on an arrangement the user changes."""

    anchor = ""

    def prepare(self) -> None:
        self.arrangement = get_object_or_404(self.access.arrangements(), pk=self.kwargs["pk"])
        self.require(self.access.can_change(self.arrangement))

    def get_form_extra(self) -> dict:
        return {"arrangement": self.arrangement}

    def get_title(self) -> str:
        return f"{self.title} – {self.arrangement}"

    def get_cancel_url(self) -> str:
        return _arrangement_url(self.arrangement, self.anchor)

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(arrangement=self.arrangement, **kwargs)


class OnArrangementUpdate(RecordUpdateView):
    """Change a record on an arrangement (the URL names its model and form)."""

    related = ("arrangement",)

    def get_form_extra(self) -> dict:
        return {"arrangement": self.object.arrangement}


class OnArrangementDelete(RecordDeleteView):
    """Delete a record on an arrangement, then go to its section (``anchor``) of the page."""

    related = ("arrangement",)
    anchor = ""

    def get_success_url(self) -> str:
        return _arrangement_url(self.object.arrangement, self.anchor)


class ContributionCreate(OnArrangementCreate):
    form_class = forms.ContributionForm
    title = "Koppla till eget mål"
    anchor = "mal"
    intro = "Vilket av organisationens egna mål ska samverkan bidra till, och hur?"


class GoalConflictCreate(OnArrangementCreate):
    form_class = forms.GoalConflictForm
    title = "Ny målkonflikt"
    anchor = "malkonflikter"
    intro = (
        "En konflikt mellan ett eget mål och samverkan eller ett av dess beslut, och hur den "
        "hanteras."
    )


class EvaluationCreate(OnArrangementCreate):
    form_class = forms.EvaluationForm
    title = "Ny uppföljning"
    anchor = "uppfoljning"
    intro = (
        "Hur samverkan har gått: måluppfyllelse, kostnader, samspelet mellan parterna och "
        "rekommendation."
    )


class AlternativeCreate(OnArrangementCreate):
    form_class = forms.AlternativeForm
    title = "Nytt alternativ"
    anchor = "alternativ"
    intro = "Vad man kunde ha gjort i stället, vad det hade kostat och varför det inte valdes."


class DecisionCreate(OnArrangementCreate):
    form_class = forms.DecisionForm
    title = "Nytt beslut"
    anchor = "beslut"
    intro = "Ett beslut i en egen nämnd eller i samverkans organ som påverkar samverkan."


# --- People and organisations ----------------------------------------------------------------


class PersonCreate(RecordCreateView):
    form_class = forms.PersonForm
    title = "Ny person"
    intro = (
        "Förtroendevalda och tjänstepersoner. Namn, parti och uppdrag är offentliga; "
        "kontaktuppgifter syns bara internt."
    )
    cancel_url = reverse_lazy("register:person_list")


class PersonDelete(RecordDeleteView):
    model = Person
    success_url = reverse_lazy("register:person_list")
    protected_message = (
        "Personen har uppdrag i registret och kan inte tas bort. Ta bort uppdragen först."
    )


class OrganisationCreate(RecordCreateView):
    form_class = forms.OrganisationForm
    title = "Ny organisation"
    intro = (
        "Kommuner och regioner finns redan. Lägg här till förbund, bolag, myndigheter och andra "
        "parter."
    )
    cancel_url = reverse_lazy("register:organisation_list")

    def may_create(self) -> bool:
        return self.access.can_create_organisation()


class OrganisationDelete(RecordDeleteView):
    model = Organisation
    success_url = reverse_lazy("register:organisation_list")
    protected_message = (
        "Organisationen kan inte tas bort eftersom den fortfarande deltar i samverkan eller har "
        "beslut, uppföljningar eller uppdrag i registret."
    )


# --- Strategic reviews -----------------------------------------------------------------------


class ReviewCreate(RecordCreateView):
    form_class = forms.ReviewForm
    title = "Ny strategisk genomgång"
    intro = (
        "Kommunstyrelsens genomgång av all samverkan: inriktning, prioritet och uppföljning. "
        "När genomgången sparas får den en punkt för varje samverkan som organisationen deltar i, "
        "med kostnader, uppföljningar, mål och alternativ."
    )
    cancel_url = reverse_lazy("register:review_list")

    def save(self, form):
        return review_services.review_open(
            access=self.access, review=form.save(commit=False), today=timezone.localdate()
        )


def refuse_closed(review: Review) -> Review:
    """Return the review, or refuse (403, saying why) when it is closed: it is read-only."""
    if review.is_closed:
        raise PermissionDenied(review_services.CLOSED)
    return review


class _OpenReview(_OneRecord):
    """A page that changes a review: refused once the review is closed."""

    model = Review
    related = ("organisation",)

    def get_object(self):
        return refuse_closed(super().get_object())


class ReviewUpdate(_OpenReview, RecordUpdateView):
    form_class = forms.ReviewForm

    save_service = staticmethod(review_services.review_save)

    def get_title(self) -> str:
        return f"Ändra genomgång: {self.object}"


class ReviewDelete(_OpenReview, RecordDeleteView):
    consequences = "Genomgångens alla punkter tas också bort."
    success_url = reverse_lazy("register:review_list")


ReviewItemFormSet = _inline_formset(
    Review,
    ReviewItem,
    forms.ReviewItemForm,
    formset=ReviewItemRowsFormSet,
)


class ReviewItems(RowsView):
    formset_class = ReviewItemFormSet
    intro = "En punkt per samverkan: inriktning, prioritet, uppföljning, beslut och uppdrag."
    success_message = "Genomgångens punkter har sparats."

    def get_parent(self):
        reviews = Review.objects.select_related("organisation")
        return refuse_closed(get_object_or_404(self.access.visible(reviews), pk=self.kwargs["pk"]))

    def get_title(self) -> str:
        return f"Punkter i {self.parent}"

    def get_rows(self):
        return self.parent.items.select_related("participation__arrangement")

    def get_form_extra(self) -> dict:
        return {"review": self.parent}
