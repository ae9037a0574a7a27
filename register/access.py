"""What a user may see and change: the one selector every list, detail, form and export uses.

Rules (see the README, "Roller"):

* A **register administrator** (a superuser) sees and changes everything.
* A user belongs to organisations as **editor** or **reader** (``Membership``).
* Anyone logged in sees the published arrangements; members of an organisation also see every
  arrangement their organisation takes part in, with internal notes.
* An **editor** changes the arrangements their organisation takes part in (the arrangement's own
  fields, its bodies and its joint records) and their own organisation's data on them: its
  participation, costs, the seats it appoints, its goals and contributions, its evaluations,
  alternatives and decisions, its reviews and its people. Another organisation's data stays read-only.
  A body in which another organisation has appointed seats is the register administrator's to
  delete (deleting a body deletes its seats).
* A **reader** reads; nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

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

    @property
    def is_editor(self) -> bool:
        return self.is_admin or bool(self.editor_org_ids)

    # --- what may be seen --------------------------------------------------------------------

    def _participates(self, org_ids) -> Exists:
        return Exists(
            Participation.objects.filter(arrangement=OuterRef("pk"), organisation_id__in=org_ids)
        )

    def arrangements(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the arrangements the user may see."""
        qs = Arrangement.objects.all() if queryset is None else queryset
        if self.is_admin:
            return qs
        if not self.member_org_ids:
            return qs.filter(is_published=True)
        return qs.filter(Q(is_published=True) | self._participates(self.member_org_ids))

    def editable_arrangements(self, queryset: QuerySet | None = None) -> QuerySet:
        qs = Arrangement.objects.all() if queryset is None else queryset
        if self.is_admin:
            return qs
        return qs.filter(self._participates(self.editor_org_ids))

    def decisions(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the decisions the user may see: all on their own arrangements, else published."""
        qs = Decision.objects.all() if queryset is None else queryset
        if self.is_admin:
            return qs
        own = Exists(
            Participation.objects.filter(
                arrangement=OuterRef("arrangement_id"), organisation_id__in=self.member_org_ids
            )
        )
        return qs.filter(own | Q(is_published=True, arrangement__is_published=True))

    def reviews(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the strategic reviews the user may see: their own organisations' reviews."""
        qs = Review.objects.all() if queryset is None else queryset
        if self.is_admin:
            return qs
        return qs.filter(organisation_id__in=self.member_org_ids)

    def organisations(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the organisations the user may see (all: they are public facts)."""
        return Organisation.objects.all() if queryset is None else queryset

    def people(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the people the user may see (names, parties and roles are public)."""
        return Person.objects.all() if queryset is None else queryset

    def can_view(self, obj) -> bool:
        if self.is_admin:
            return True
        if isinstance(obj, Arrangement):
            return obj.is_published or bool(self.arrangement_org_ids(obj) & self.member_org_ids)
        if isinstance(obj, Decision):
            if self.arrangement_org_ids(obj.arrangement) & self.member_org_ids:
                return True
            return obj.is_published and obj.arrangement.is_published
        if isinstance(obj, Review | ReviewItem):
            review = obj if isinstance(obj, Review) else obj.review
            return review.organisation_id in self.member_org_ids
        arrangement = getattr(obj, "arrangement", None)
        if isinstance(arrangement, Arrangement):
            return self.can_view(arrangement)
        return self.user_id is not None

    def can_view_internal(self, obj) -> bool:
        """Return True if the user may see internal notes and officials' contact details."""
        if self.is_admin:
            return True
        return bool(self.owner_org_ids(obj, for_reading=True) & self.member_org_ids)

    # --- what may be changed -----------------------------------------------------------------

    def arrangement_org_ids(self, arrangement: Arrangement | None) -> frozenset[int]:
        """Return the ids of the organisations taking part in the arrangement (cached on it)."""
        if arrangement is None or arrangement.pk is None:
            return frozenset()
        cached = getattr(arrangement, "_participant_org_ids", None)
        if cached is None:
            prefetched = getattr(arrangement, "_prefetched_objects_cache", {}).get("participations")
            if prefetched is not None:
                cached = frozenset(p.organisation_id for p in prefetched)
            else:
                cached = frozenset(
                    Participation.objects.filter(arrangement=arrangement).values_list(
                        "organisation_id", flat=True
                    )
                )
            arrangement._participant_org_ids = cached
        return cached

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
        return frozenset()

    def can_change(self, obj) -> bool:
        """Return True if the user may edit or delete ``obj``."""
        if self.is_admin:
            return True
        return bool(self.owner_org_ids(obj) & self.editor_org_ids)

    def can_create_arrangement(self) -> bool:
        return self.is_editor

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
