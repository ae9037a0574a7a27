"""What a user may see and change: the one selector every list, detail, form and export uses.

Rules (see the README, "Roller"):

* A **register administrator** (a superuser) sees and changes everything.
* A user belongs to organisations as **editor** or **reader** (``Membership``).
* Anyone logged in sees the published arrangements; members of an organisation also see every
  arrangement their organisation takes part in, with internal notes.
* On a published arrangement, a non-member sees only the published decisions, evaluations,
  goal conflicts and alternatives. ``visible_q`` is the one rule: pages, lists, exports and the
  change log (which follows each record's current state) all use it.
* An **editor** changes the arrangements their organisation takes part in (the arrangement's own
  fields, its bodies and its joint records) and their own organisation's data on them: its
  participation, costs, the seats it appoints, its goals and contributions, its evaluations,
  alternatives and decisions, its reviews and its people. Another organisation's data stays read-only.
  A body in which another organisation has appointed seats is the register administrator's to
  delete (deleting a body deletes its seats).
* A **reader** reads; nothing else.
* An organisation joins an arrangement it does not take part in by a **request to join**
  (``JoinRequest``): an editor of the organisation asks, an editor of one of the arrangement's
  participants (or a register administrator) accepts or declines, exactly as they may add a
  partner on the participations page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from importers.models import ImportBatch

from .models import (
    Alternative,
    Arrangement,
    Body,
    Contribution,
    Cost,
    Decision,
    Evaluation,
    Goal,
    GoalConflict,
    JoinRequest,
    Membership,
    Organisation,
    Participation,
    Person,
    Review,
    ReviewItem,
    Seat,
    TotalCost,
)


@dataclass(frozen=True)
class Access:
    user_id: int | None
    is_admin: bool = False
    member_org_ids: frozenset[int] = field(default_factory=frozenset)
    editor_org_ids: frozenset[int] = field(default_factory=frozenset)

    # --- construction ------------------------------------------------------------------------

    @classmethod
    def for_user(cls, user) -> Access:
        """Return the user's access, computed once per user object (one query)."""
        if user is None or not user.is_authenticated:
            return cls(user_id=None)
        cached = getattr(user, "_register_access", None)
        if cached is not None:
            return cached
        rows = list(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        access = cls(
            user_id=user.pk,
            is_admin=bool(user.is_superuser),
            member_org_ids=frozenset(org for org, _ in rows),
            editor_org_ids=frozenset(org for org, role in rows if role == Membership.Role.EDITOR),
        )
        user._register_access = access
        return access

    @classmethod
    def for_organisation(cls, organisation: Organisation, *, user_id: int | None = None) -> Access:
        """Return the access of an editor of exactly ``organisation`` and nothing else.

        The importer acts for one organisation, whoever runs it (an editor, a register
        administrator, the command line): it sees what the organisation's members see and
        changes what its editors change. That is never more than the person running it sees.
        """
        ids = frozenset({organisation.pk})
        return cls(user_id=user_id, member_org_ids=ids, editor_org_ids=ids)

    @property
    def is_editor(self) -> bool:
        return self.is_admin or bool(self.editor_org_ids)

    # --- what may be seen --------------------------------------------------------------------

    # Records that hang on an arrangement, by the path from the record to its arrangement.
    ARRANGEMENT_PATHS = {
        Participation: "arrangement",
        Cost: "participation__arrangement",
        TotalCost: "arrangement",
        Body: "arrangement",
        Seat: "body__arrangement",
        Goal: "arrangement",
        Contribution: "arrangement",
        GoalConflict: "arrangement",
        Evaluation: "arrangement",
        Alternative: "arrangement",
        Decision: "arrangement",
    }
    # Of those, the ones a non-member sees only when published (and the arrangement is too).
    PUBLISHED_RECORDS = (Decision, Evaluation, GoalConflict, Alternative)

    def _participates(self, org_ids, path: str = "") -> Exists:
        """EXISTS a participation of one of ``org_ids`` in the arrangement at ``path``."""
        return Exists(
            Participation.objects.filter(
                arrangement_id=OuterRef(f"{path}_id" if path else "id"),
                organisation_id__in=org_ids,
            )
        )

    def visible_q(self, model) -> Q:
        """Return the condition for the records of ``model`` that the user may see.

        The one rule for every page, list, export and the change log. It is written on the
        model's own fields (``id``, never ``pk``), which its simple-history model has too, so the
        change log applies it to a deleted record's last version as well. An empty ``Q()`` means
        every record.
        """
        if self.is_admin:
            return Q()
        if model is Arrangement:
            return self._arrangement_q("")
        if model in self.ARRANGEMENT_PATHS:
            path = self.ARRANGEMENT_PATHS[model]
            if model in self.PUBLISHED_RECORDS:
                public = Q(is_published=True, **{f"{path}__is_published": True})
                if not self.member_org_ids:
                    return public
                return public | self._participates(self.member_org_ids, path)
            condition = self._arrangement_q(path)
            if model is Goal:  # an organisation's own goals are public; an arrangement's follow it
                return Q(arrangement_id__isnull=True) | condition
            return condition
        if model is Review:  # a strategic review is its own organisation's
            return Q(organisation_id__in=self.member_org_ids)
        if model is ReviewItem:
            return Q(review__organisation_id__in=self.member_org_ids)
        if model in (Organisation, Person):
            return Q()  # names, parties and roles are public facts
        if model is ImportBatch:  # an import is its organisation's members' to see
            return Q(organisation_id__in=self.member_org_ids)
        return Q(pk__in=[])

    def _arrangement_q(self, path: str) -> Q:
        published = Q(**{f"{path}__is_published" if path else "is_published": True})
        if not self.member_org_ids:
            return published
        return published | self._participates(self.member_org_ids, path)

    def visible(self, queryset: QuerySet) -> QuerySet:
        """Return the rows of ``queryset`` that the user may see (by ``visible_q``)."""
        condition = self.visible_q(queryset.model)
        return queryset.filter(condition) if condition else queryset

    def arrangements(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the arrangements the user may see."""
        return self.visible(Arrangement.objects.all() if queryset is None else queryset)

    def editable_arrangements(self, queryset: QuerySet | None = None) -> QuerySet:
        qs = Arrangement.objects.all() if queryset is None else queryset
        if self.is_admin:
            return qs
        return qs.filter(self._participates(self.editor_org_ids))

    def decisions(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the decisions the user may see: all on their own arrangements, else published."""
        return self.visible(Decision.objects.all() if queryset is None else queryset)

    def evaluations(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the evaluations the user may see: all on their own arrangements, else published."""
        return self.visible(Evaluation.objects.all() if queryset is None else queryset)

    def goal_conflicts(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the goal conflicts the user may see: all on their own arrangements, else
        published."""
        return self.visible(GoalConflict.objects.all() if queryset is None else queryset)

    def alternatives(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the alternatives the user may see: all on their own arrangements, else
        published."""
        return self.visible(Alternative.objects.all() if queryset is None else queryset)

    def reviews(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the strategic reviews the user may see: their own organisations' reviews."""
        return self.visible(Review.objects.all() if queryset is None else queryset)

    def join_requests(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the requests to join the user may see: on arrangements they may see, those of
        their own organisations and those to arrangements their organisations take part in."""
        qs = JoinRequest.objects.all() if queryset is None else queryset
        if self.is_admin:
            return qs
        if not self.member_org_ids:
            return qs.none()
        to_ours = self._participates(self.member_org_ids, "arrangement")
        return qs.filter(arrangement__in=self.arrangements()).filter(
            Q(organisation_id__in=self.member_org_ids) | to_ours
        )

    def organisations(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the organisations the user may see (all: they are public facts)."""
        return Organisation.objects.all() if queryset is None else queryset

    def people(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the people the user may see (names, parties and roles are public)."""
        return Person.objects.all() if queryset is None else queryset

    def can_view(self, obj) -> bool:
        """Return True if the user may see ``obj``: ``visible_q`` for one loaded object."""
        if self.is_admin:
            return True
        if isinstance(obj, Arrangement):
            return obj.is_published or bool(self.arrangement_org_ids(obj) & self.member_org_ids)
        path = self.ARRANGEMENT_PATHS.get(type(obj))
        if path is not None:
            if isinstance(obj, Goal) and obj.arrangement_id is None:
                return True
            arrangement = obj
            for name in path.split("__"):
                arrangement = getattr(arrangement, name)
            if isinstance(obj, self.PUBLISHED_RECORDS):
                if self.arrangement_org_ids(arrangement) & self.member_org_ids:
                    return True
                return obj.is_published and arrangement.is_published
            return self.can_view(arrangement)
        if isinstance(obj, Review | ReviewItem):
            review = obj if isinstance(obj, Review) else obj.review
            return review.organisation_id in self.member_org_ids
        if isinstance(obj, ImportBatch):
            return obj.organisation_id in self.member_org_ids
        if isinstance(obj, JoinRequest):
            return self.can_view(obj.arrangement) and bool(
                ({obj.organisation_id} | self.arrangement_org_ids(obj.arrangement))
                & self.member_org_ids
            )
        return isinstance(obj, Organisation | Person)

    def can_view_internal(self, obj) -> bool:
        """Return True if the user may see internal notes and officials' contact details."""
        if self.is_admin:
            return True
        return bool(self.owner_org_ids(obj, for_reading=True) & self.member_org_ids)

    # --- what may be changed -----------------------------------------------------------------

    def arrangement_org_ids(self, arrangement: Arrangement | None) -> frozenset[int]:
        """Return the ids of the organisations taking part in the arrangement.

        A selector that has loaded the participants passes them the ORM's way, as the
        arrangement's prefetched ``participations`` (``prefetch_related("participations")``),
        and they are read from there. Otherwise they are asked for in one query, which Access
        remembers on that arrangement object (its own memo: nothing else writes or reads it).
        """
        if arrangement is None or arrangement.pk is None:
            return frozenset()
        prefetched = getattr(arrangement, "_prefetched_objects_cache", {}).get("participations")
        if prefetched is not None:
            return frozenset(p.organisation_id for p in prefetched)
        cached = arrangement.__dict__.get(self._ORG_IDS_MEMO)
        if cached is None:
            cached = frozenset(
                Participation.objects.filter(arrangement=arrangement).values_list(
                    "organisation_id", flat=True
                )
            )
            arrangement.__dict__[self._ORG_IDS_MEMO] = cached
        return cached

    _ORG_IDS_MEMO = "_access_participant_org_ids"

    def owner_org_ids(self, obj, *, for_reading: bool = False) -> frozenset[int]:
        """Return the organisations whose editors may change ``obj``."""
        if isinstance(obj, Arrangement):
            return self.arrangement_org_ids(obj)
        if isinstance(obj, Participation):
            if for_reading:
                return self.arrangement_org_ids(obj.arrangement)
            return frozenset({obj.organisation_id})
        if isinstance(obj, Cost):
            return frozenset({obj.participation.organisation_id})
        if isinstance(obj, Seat):
            return frozenset({obj.appointed_by_id})
        if isinstance(obj, Body | TotalCost):
            return self.arrangement_org_ids(obj.arrangement)
        if isinstance(obj, Goal):
            if obj.organisation_id:
                return frozenset({obj.organisation_id})
            return self.arrangement_org_ids(obj.arrangement)
        if isinstance(obj, Contribution | GoalConflict):
            return (
                frozenset({obj.goal.organisation_id}) if obj.goal.organisation_id else frozenset()
            )
        if isinstance(obj, Evaluation | Alternative | Decision):
            if obj.organisation_id:
                if for_reading:
                    return self.arrangement_org_ids(obj.arrangement)
                return frozenset({obj.organisation_id})
            return self.arrangement_org_ids(obj.arrangement)
        if isinstance(obj, Review):
            return frozenset({obj.organisation_id})
        if isinstance(obj, ReviewItem):
            return frozenset({obj.review.organisation_id})
        if isinstance(obj, Person):
            return frozenset({obj.organisation_id}) if obj.organisation_id else frozenset()
        if isinstance(obj, Organisation):
            return frozenset({obj.pk}) if obj.pk else frozenset()
        if isinstance(obj, ImportBatch):  # its organisation's editors save and undo it
            return frozenset({obj.organisation_id})
        return frozenset()

    def can_change(self, obj) -> bool:
        """Return True if the user may edit or delete ``obj``."""
        if self.is_admin:
            return True
        return bool(self.owner_org_ids(obj) & self.editor_org_ids)

    def can_create_arrangement(self) -> bool:
        return self.is_editor

    def join_request_organisation_ids(self, arrangement: Arrangement) -> frozenset[int]:
        """Return the organisations for which the user may ask to take part in ``arrangement``:
        those they edit for that do not take part yet (none if they may not see it)."""
        if not self.editor_org_ids or not self.can_view(arrangement):
            return frozenset()
        return self.editor_org_ids - self.arrangement_org_ids(arrangement)

    def can_request_join(self, arrangement: Arrangement, organisation: Organisation) -> bool:
        """Return True if the user may ask for ``organisation`` to take part in ``arrangement``."""
        if organisation.pk in self.arrangement_org_ids(arrangement):
            return False
        if self.is_admin:
            return True
        return organisation.pk in self.join_request_organisation_ids(arrangement)

    def can_decide_join_request(self, join_request: JoinRequest) -> bool:
        """Return True if the user may accept or decline the (pending) request: a register
        administrator, or an editor of one of the arrangement's participants, the same rule as
        for adding a partner on the participations page. The requesting organisation's own
        editors may not decide (unless they also edit for a participant)."""
        return join_request.is_pending and self.can_change(join_request.arrangement)

    def can_create_organisation(self) -> bool:
        return self.is_admin

    def can_delete(self, obj) -> bool:
        """Return True if the user may delete ``obj``.

        Reference organisations (municipalities, regions) and whole arrangements shared with
        others are the register administrator's to delete; an editor may delete an arrangement
        only when their organisations are its only participants, and a body only when no other
        organisation has appointed seats in it.
        """
        if self.is_admin:
            return True
        if isinstance(obj, Organisation):
            return False
        if isinstance(obj, Arrangement):
            owners = self.arrangement_org_ids(obj)
            return bool(owners) and owners <= self.editor_org_ids
        if isinstance(obj, Body):
            return self.can_change(obj) and not self.other_appointers(obj).exists()
        return self.can_change(obj)

    def other_appointers(self, body: Body) -> QuerySet:
        """Return the organisations other than the user's own that have appointed seats in the
        body (none for a register administrator).

        Deleting a body deletes its seats, so while another organisation has seats in it only the
        register administrator may delete it.
        """
        if self.is_admin or body.pk is None:
            return Organisation.objects.none()
        return (
            Organisation.objects.filter(appointed_seats__body=body)
            .exclude(pk__in=self.editor_org_ids)
            .distinct()
            .order_by("name")
        )

    def editor_organisations(self) -> QuerySet:
        """Return the organisations on whose behalf the user may enter data."""
        if self.is_admin:
            return Organisation.objects.all()
        return Organisation.objects.filter(pk__in=self.editor_org_ids)

    # --- import batches ----------------------------------------------------------------------

    def import_batches(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the import batches the user may see: those of the organisations they are a
        member of (all for a register administrator). ``can_view`` says the same for one batch,
        ``can_change`` who may save or undo it (the organisation's editors)."""
        return self.visible(ImportBatch.objects.all() if queryset is None else queryset)
