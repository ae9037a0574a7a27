"""The edit pages of the internal register: create, change and delete, one class per page.

Each page is a few declarations on the three kinds of page in ``register.web.generic`` (built on
Django's generic edit views): ``RecordCreateView``, ``RecordUpdateView``, ``RecordDeleteView``
and ``RowsView``. Who may do what is ``Access``'s to say (``can_change``, ``can_delete``,
``can_create``, ``creatable_for``, ``editable_q``); writes go through ``register.services``.
The URLs name the class, or pass attributes to ``as_view`` where only the model, the form and
the section of the arrangement's page differ.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from .. import rules
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
from ..services import arrangements, people
from ..services import reviews as review_services
from . import forms
from .generic import (
    OneRecordMixin,
    RecordCreateView,
    RecordDeleteView,
    RecordUpdateView,
    RegisterInlineFormSet,
    RowsView,
    inline_formset,
)


def _arrangement_url(arrangement: Arrangement, anchor: str = "") -> str:
    return arrangement.get_absolute_url() + (f"#{anchor}" if anchor else "")


def _this_year() -> int:
    return timezone.localdate().year


# --- Formsets with their own wording -----------------------------------------------------------


class YearRowsFormSet(RegisterInlineFormSet):
    """Rows with one year each (costs, total costs)."""

    duplicate_message = "Samma år finns på flera rader. Varje år kan bara finnas en gång."
    duplicate_row_message = "Året finns redan på en annan rad."


class ParticipationRowsFormSet(RegisterInlineFormSet):
    duplicate_message = (
        "Samma organisation finns på flera rader. En organisation kan bara delta en gång."
    )
    duplicate_row_message = "Organisationen finns redan på en annan rad."

    def clean(self):
        super().clean()
        arrangement = self.instance
        if arrangement.host_id is None:
            return
        gone = {f.instance.organisation_id for f in self.deleted_forms if f.instance.pk}
        parties = set(
            arrangement.participations.exclude(organisation_id__in=gone).values_list(
                "organisation_id", flat=True
            )
        )
        if not rules.host_is_party(arrangement.host_id, parties):
            raise ValidationError(
                f"{arrangement.host.name} är värd och kan inte tas bort som part. Välj en "
                "annan värd för samverkan först.",
                code="host_not_a_party",
            )


class ReviewItemRowsFormSet(RegisterInlineFormSet):
    duplicate_message = (
        "Samma samverkan finns på flera rader. Varje samverkan kan bara finnas med en gång."
    )
    duplicate_row_message = "Samverkan finns redan på en annan rad."


# --- Arrangements ----------------------------------------------------------------------------


class ArrangementCreate(RecordCreateView):
    form_class = forms.ArrangementForm
    title = "Ny samverkan"
    intro = (
        "Din organisation läggs till som part. Fler parter, organ och kostnader lägger du till "
        "från samverkans sida när den är sparad."
    )
    cancel_url = reverse_lazy("register:arrangement_list")

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


class ArrangementUpdate(RecordUpdateView):
    model = Arrangement
    form_class = forms.ArrangementForm


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


ParticipationFormSet = inline_formset(
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


CostFormSet = inline_formset(
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

    def get_success_url(self) -> str:
        return _arrangement_url(self.parent.arrangement, "kostnader")


TotalCostFormSet = inline_formset(
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


BodyFormSet = inline_formset(Arrangement, Body, forms.BodyForm)


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


SeatFormSet = inline_formset(Body, Seat, forms.SeatForm)


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


class GoalUpdate(RecordUpdateView):
    model = Goal
    form_class = forms.GoalForm


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
    save_service = staticmethod(people.person_save)
    title = "Ny person"
    intro = (
        "Förtroendevalda och tjänstepersoner. Namn, parti och uppdrag är offentliga; "
        "kontaktuppgifter syns bara internt."
    )
    cancel_url = reverse_lazy("register:person_list")


class PersonUpdate(RecordUpdateView):
    model = Person
    form_class = forms.PersonForm
    save_service = staticmethod(people.person_save)


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


class OrganisationUpdate(RecordUpdateView):
    model = Organisation
    form_class = forms.OrganisationForm


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


class _OpenReview(OneRecordMixin):
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


ReviewItemFormSet = inline_formset(
    Review,
    ReviewItem,
    forms.ReviewItemForm,
    formset=ReviewItemRowsFormSet,
)


class ReviewItems(RowsView):
    formset_class = ReviewItemFormSet
    intro = (
        "En punkt per samverkan. Ställningstagandet är kommunstyrelsens beslut om samverkan och "
        "behövs på varje punkt för att genomgången ska kunna avslutas. Inriktningen säger vart "
        "samverkan ska gå de kommande åren, prioriteten hur viktig den är för kommunens egna mål."
    )
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
