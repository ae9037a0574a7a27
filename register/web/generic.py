"""The edit pages' three kinds of page, on Django's generic edit views.

Every page looks its object up through the access selector (an object the user may not see is a
404) and asks ``Access.can_change`` / ``can_delete`` / ``can_create`` before showing or saving a
form (not allowed is a 403). Writes go through ``register.services`` in one transaction. Every
page that changes or deletes existing records carries their version (``register.versions``), so
that a save never silently reverts what someone else saved meanwhile.

* ``RecordCreateView``, ``RecordUpdateView``: one record in a model form (Django's
  ``ModelFormMixin`` and ``ProcessFormView``, as ``CreateView`` and ``UpdateView``), saved by a
  service instead of ``form.save()``;
* ``RecordDeleteView``: confirm, then delete one record (a confirmation ``Form``, as Django's
  ``DeleteView``), deleted by a service;
* ``RowsView``: a set of rows under one parent (an inline formset in the place of the form),
  saved all or nothing.

The one step Django's views do not have is ``prepare()``: on GET and POST, after the login check
and before the form, it looks up what the page is about (``get_object`` by the URL's pk through
``Access.visible``, or the page's own lookup) and checks the user's rights. A page says the rest
with class attributes and Django's own hooks (``get_queryset``, ``get_success_url``,
``get_context_data``) and a few of ours (``get_form_extra``, ``get_title``, ``get_cancel_url``).
The pages themselves are in ``register.web.edit``.
"""

from __future__ import annotations

import re
from functools import cached_property

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.views.generic.base import TemplateResponseMixin, View
from django.views.generic.detail import SingleObjectMixin
from django.views.generic.edit import FormMixin, ModelFormMixin, ProcessFormView

from .. import versions
from ..access import Access
from ..services import records
from ..services.records import NOT_ALLOWED

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


def inline_formset(parent_model, model, form, *, formset=RegisterInlineFormSet, fields=None):
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


class EditView(LoginRequiredMixin, TemplateResponseMixin, View):
    """An edit page: logged in (else the login page), GET or POST (else 405), the user's access.

    ``prepare()`` runs first on every GET and POST, before Django's handler (``ProcessFormView``'s
    ``get`` and ``post``): it looks up what the page is about (404 when the user may not see it)
    and checks that the user may do what the page does (403).
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

    def get(self, request, *args, **kwargs):
        self.prepare()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.prepare()
        return super().post(request, *args, **kwargs)

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


class RecordFormView(EditView, ModelFormMixin, ProcessFormView):
    """One record in a form; a valid POST saves it through a service and goes to the record
    (``get_success_url``: the record's own page).

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
        return {**super().get_form_kwargs(), "access": self.access, **self.get_form_extra()}

    def get_delete_url(self) -> str:
        return ""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(
            delete_url=self.get_delete_url(),
            version_input=self.version.input() if self.version else "",
        )
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

    def form_valid(self, form):
        try:
            obj = self.save(form)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        except IntegrityError:
            form.add_error(None, SAVE_FAILED)
        else:
            messages.success(
                self.request, f"{capfirst(obj._meta.verbose_name)} ”{obj}” har sparats."
            )
            self.object = obj
            return HttpResponseRedirect(self.get_success_url())
        return self.render_to_response(self.get_context_data(form=form))

    def form_invalid(self, form):
        if self.version is not None:
            # Say now, not after the user has corrected the form, that it was changed meanwhile.
            try:
                self.version.check(lock=False)
            except versions.StaleEdit as exc:
                form.add_error(None, exc.messages)
        return super().form_invalid(form)


class RecordCreateView(RecordFormView):
    """A form that creates a record; ``may_create()`` says whether the user may (by default
    ``Access.can_create`` for the form's model)."""

    cancel_url = ""

    def may_create(self) -> bool:
        return self.access.can_create(self.get_form_class()._meta.model)

    def prepare(self) -> None:
        self.require(self.may_create())

    def get_cancel_url(self) -> str:
        return str(self.cancel_url)


class OneRecordMixin(SingleObjectMixin):
    """The record a page changes or deletes: a ``model`` the user may see, by the URL's pk."""

    #: Relations the page shows (``select_related``).
    related: tuple[str, ...] = ()

    def get_queryset(self):
        return self.access.visible(self.model.objects.select_related(*self.related))

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url()


class RecordUpdateView(OneRecordMixin, RecordFormView):
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


class RecordDeleteView(OneRecordMixin, EditView, FormMixin, ProcessFormView):
    """Confirm on GET, delete on POST, unless the record changed since the page was shown.

    As Django's ``DeleteView``: the confirmation is an empty ``Form`` and ``form_valid`` deletes,
    here through ``records.record_delete`` (which asks ``Access.can_delete`` and checks the
    version in the deleting transaction)."""

    template_name = DELETE_TEMPLATE
    form_class = django_forms.Form
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
            label=self.label(),
            consequences=self.consequences,
            version_input=self.version.input(),
            **kwargs,
        )

    def form_valid(self, form):
        label = capfirst(self.label())
        try:
            records.record_delete(access=self.access, instance=self.object, version=self.version)
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(errors=exc.messages))
        except ProtectedError:
            messages.error(
                self.request,
                self.protected_message
                or f"{label} kan inte tas bort eftersom andra uppgifter i registret hänger ihop "
                "med den.",
            )
            return redirect(self.get_cancel_url())
        messages.success(self.request, f"{label} har tagits bort.")
        return HttpResponseRedirect(self.get_success_url())


class RowsView(EditView, FormMixin, ProcessFormView):
    """A set of rows under one parent (an inline formset); saves all of them or none.

    The formset stands where Django's ``FormMixin`` has its form (``get_form`` builds it,
    ``form_valid`` saves it, ``form_invalid`` shows it again); the page calls it ``formset``.

    ``get_scope()`` (a filter on the rows' own columns, e.g. ``Access.editable_q``) limits the
    rows the user edits under the parent and, with them, the version the page carries (other
    organisations' rows don't make it stale). ``get_others()`` are the rows under the parent
    that the user sees but does not edit, shown by ``others_template`` above the form.
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
        """Return the new rows' suggested values (asked once, by ``prepare``)."""
        return None

    def get_form_extra(self) -> dict:
        return {}

    def may_add(self, obj) -> bool:
        """Whether the user may add the new row ``obj`` (by default: may change it)."""
        return self.access.can_change(obj)

    def get_success_url(self) -> str:
        return self.parent.get_absolute_url() + (f"#{self.anchor}" if self.anchor else "")

    def get_cancel_url(self) -> str:
        return self.get_success_url()

    def prepare(self) -> None:
        self.parent = self.get_parent()
        self.require(self.may_edit())
        self.scope = self.get_scope()
        self.rows_initial = self.get_initial()
        self.version = versions.Version.of_rows(
            self.formset_class.model,
            parent=self.parent,
            fk=self.formset_class.fk.name,
            scope=self.scope,
            fields=self.formset_class.form.base_fields,
            posted=self.posted_version(),
        )

    def get_form_class(self):
        return self.formset_class

    def get_form_kwargs(self) -> dict:
        rows = self.get_rows()
        if self.scope is not None:
            rows = rows.filter(self.scope)
        kwargs = {
            "instance": self.parent,
            "queryset": rows,
            "initial": self.rows_initial,
            "form_kwargs": {"access": self.access, **self.get_form_extra()},
        }
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST
        return kwargs

    def get_form(self, form_class=None, *, data=None):
        """Return the formset, bound to the posted data (or to ``data`` when given)."""
        kwargs = self.get_form_kwargs()
        if data is not None:
            kwargs["data"] = data
        formset = (form_class or self.get_form_class())(**kwargs)
        # Let the new rows' suggested values (next year) travel with the page, so that a
        # suggestion the user left alone is not taken for typed-in data when it has moved on.
        names = {name for row in self.rows_initial or () for name in row}
        for form in formset.extra_forms:
            for name in names & set(form.fields):
                form.fields[name].show_hidden_initial = True
        return formset

    def get_context_data(self, **kwargs) -> dict:
        formset, form = kwargs.pop("formset", None), kwargs.pop("form", None)
        formset = formset or form or self.get_form()
        return super().get_context_data(
            form=formset,
            formset=formset,
            layout=self.layout,
            others=self.get_others(),
            others_template=self.others_template,
            object=self.parent,
            version_input=self.version.input(),
            **kwargs,
        )

    def form_valid(self, form):
        formset = form
        try:
            with transaction.atomic():
                records.formset_save(
                    access=self.access,
                    formset=formset,
                    may_add=self.may_add,
                    version=self.version,
                )
        except versions.StaleEdit as exc:
            formset = self.refused_as_stale(formset, exc)
        except ValidationError as exc:
            formset.refuse(exc.messages)
        except IntegrityError:
            formset.refuse([SAVE_FAILED])
        else:
            messages.success(self.request, self.success_message)
            return HttpResponseRedirect(self.get_success_url())
        return self.render_to_response(self.get_context_data(formset=formset))

    def form_invalid(self, form):
        formset = form
        # Say now, not after the user has corrected the rows, that they were changed meanwhile.
        try:
            self.version.check(lock=False)
        except versions.StaleEdit as exc:
            formset = self.refused_as_stale(formset, exc)
        return self.render_to_response(self.get_context_data(formset=formset))

    def refused_as_stale(self, formset, stale: versions.StaleEdit):
        """Return the formset to show after a refused stale save: what the user typed, without
        the rows deleted meanwhile (so that saving again works), with the refusal on top."""
        messages_ = stale.messages
        if formset.management_form.is_valid():
            data, typed = _without_rows_gone(formset, self.version)
            formset = self.get_form(data=data)
            formset.full_clean()
            messages_ = messages_[:-1] + typed + messages_[-1:] + list(formset.non_form_errors())
        formset.refuse(messages_)
        return formset
