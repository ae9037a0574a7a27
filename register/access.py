"""What a user may see and change: the one selector every list, detail, form and export uses.

Rules (see the README, "Roller"):

* A **register administrator** (a superuser) sees and changes everything.
* A user belongs to organisations as **organisation administrator**, **editor** or **reader**
  (``Membership``). An organisation administrator is an editor of the organisation who also
  manages its users (invites them, sets their roles, removes them); a register administrator
  manages every organisation's users (``can_manage_users``).
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
* A municipality's or region's reference fields (from SCB) are the register administrator's to
  change, whoever may change the rest of the organisation (``locked_fields``).
* A **reader** reads; nothing else.
* An organisation joins an arrangement it does not take part in by a **request to join**
  (``JoinRequest``): an editor of the organisation asks, an editor of one of the arrangement's
  participants (or a register administrator) accepts or declines, exactly as they may add a
  partner on the participations page.

The rules are data: one ``Rule`` per model (``Access.RULES``), paths from a record to the
arrangement it hangs on and to the organisation that owns it, like NetBox's
``RestrictedQuerySet.restrict(user, action)``. Every question below (``visible_q``, ``can_view``,
``owner_org_ids``, ``editable_q``, ``locked_fields`` ...) reads the same table, and callers only
ask. Another app adds its models' rules with ``Access.register`` from its ``AppConfig.ready``
(the importer registers its import batches there), so that this module imports no app above it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

from django.contrib.auth import get_user_model
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from .models import (
    AgendaItem,
    Alternative,
    Arrangement,
    BackgroundJob,
    Body,
    Contribution,
    Cost,
    Decision,
    Document,
    Evaluation,
    Goal,
    GoalConflict,
    InformationEntry,
    Invitation,
    JoinRequest,
    Meeting,
    Membership,
    Organisation,
    Participation,
    Person,
    Position,
    Review,
    ReviewItem,
    Seat,
    TotalCost,
)


@dataclass(frozen=True)
class Rule:
    """Who sees and who changes the records of one model, as paths from a record.

    A path is the ORM's ``__`` lookup from the record ("" is the record itself).

    Seeing (one of these; none means only the register administrator sees the records):

    * ``public``: everyone sees every record (names, parties and roles are public facts);
    * ``members``: the members of the organisation at this path see the record, and with
      ``published`` everyone does once the record is published and the arrangement at
      ``arrangement`` too (our position on an agenda item, made public after the meeting);
    * ``arrangement``: the record follows the arrangement at this path (published, or one of the
      user's organisations takes part in it), with
      ``published``: a non-member sees the record only when it is published too, and
      ``public_without_arrangement``: a record on no arrangement (an own goal) is public.

    Changing:

    * ``owner``: the editors of the organisation at this path change the record;
    * ``joint``: a record without an owner (or a model without one) is changed by the editors of
      the arrangement's participants;
    * ``readers``: the participants of the arrangement at this path read the record's internal
      notes (by default only the organisations that may change it);
    * ``admin_fields``: fields that only a register administrator changes, on the records where
      the field ``admin_fields_when`` is true (that field too), with ``admin_fields_reason`` to
      tell the others why;
    * ``admin_creates``: only a register administrator creates records of the model.
    """

    public: bool = False
    members: str | None = None
    arrangement: str | None = None
    published: bool = False
    public_without_arrangement: bool = False
    owner: str | None = None
    joint: bool = False
    readers: str | None = None
    admin_fields: tuple[str, ...] = ()
    admin_fields_when: str = ""
    admin_fields_reason: str = ""
    admin_creates: bool = False


# SCB's fields of a municipality or region (``Organisation.is_reference``).
REFERENCE_FIELDS = ("kind", "name", "code", "county", "population", "population_year")


def _id_lookup(path: str) -> str:
    """Return the lookup of the primary key at ``path``: "" -> "id", "a__b" -> "a__b_id"."""
    return f"{path}_id" if path else "id"


def _follow(obj, path: str):
    """Return the object at ``path`` from ``obj`` (None where a foreign key on the way is empty)."""
    for name in path.split("__") if path else ():
        if getattr(obj, f"{name}_id", None) is None:
            return None
        obj = getattr(obj, name)
    return obj


def _id_at(obj, path: str) -> int | None:
    """Return the primary key at ``path`` from ``obj``, without loading the last object."""
    if not path:
        return obj.pk
    *way, last = path.split("__")
    owner = _follow(obj, "__".join(way))
    return None if owner is None else getattr(owner, f"{last}_id")


@dataclass(frozen=True)
class Access:
    user_id: int | None
    is_admin: bool = False
    member_org_ids: frozenset[int] = field(default_factory=frozenset)
    editor_org_ids: frozenset[int] = field(default_factory=frozenset)
    user_admin_org_ids: frozenset[int] = field(default_factory=frozenset)

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
            editor_org_ids=frozenset(org for org, role in rows if role in Membership.EDITING_ROLES),
            user_admin_org_ids=frozenset(
                org for org, role in rows if role == Membership.Role.ADMIN
            ),
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

    @classmethod
    def administrator(cls) -> Access:
        """Return the access of the register itself, for a command its operator runs (sending
        reminders to every organisation): it sees and changes everything."""
        return cls(user_id=None, is_admin=True)

    @property
    def is_editor(self) -> bool:
        return self.is_admin or bool(self.editor_org_ids)

    # --- the rules ---------------------------------------------------------------------------

    RULES: ClassVar[dict[type[Model], Rule]] = {
        Arrangement: Rule(arrangement="", joint=True),
        Participation: Rule(arrangement="arrangement", owner="organisation", readers="arrangement"),
        Cost: Rule(arrangement="participation__arrangement", owner="participation__organisation"),
        TotalCost: Rule(arrangement="arrangement", joint=True),
        Body: Rule(arrangement="arrangement", joint=True),
        Seat: Rule(arrangement="body__arrangement", owner="appointed_by"),
        Goal: Rule(
            arrangement="arrangement",
            public_without_arrangement=True,
            owner="organisation",
            joint=True,
        ),
        Contribution: Rule(arrangement="arrangement", owner="goal__organisation"),
        GoalConflict: Rule(arrangement="arrangement", published=True, owner="goal__organisation"),
        Evaluation: Rule(
            arrangement="arrangement",
            published=True,
            owner="organisation",
            joint=True,
            readers="arrangement",
        ),
        Alternative: Rule(
            arrangement="arrangement",
            published=True,
            owner="organisation",
            joint=True,
            readers="arrangement",
        ),
        Decision: Rule(
            arrangement="arrangement",
            published=True,
            owner="organisation",
            joint=True,
            readers="arrangement",
        ),
        # A governing document follows its arrangement: the participants' members see every
        # version, their editors add and change them; a published one of a published
        # arrangement is public (Insyn lists it and serves its file).
        Document: Rule(
            arrangement="arrangement", published=True, joint=True, readers="arrangement"
        ),
        Review: Rule(members="organisation", owner="organisation"),
        ReviewItem: Rule(members="review__organisation", owner="review__organisation"),
        Organisation: Rule(
            public=True,
            owner="",
            admin_fields=REFERENCE_FIELDS,
            admin_fields_when="is_reference",
            admin_fields_reason=(
                "Typ, namn, kod, län och folkmängd kommer från SCB:s indelning och ändras bara av "
                "registrets administratör."
            ),
            admin_creates=True,
        ),
        Person: Rule(public=True, owner="organisation"),
        # A body's meetings and agendas are the arrangement's, like the body; our positions and
        # the log of who was informed are our organisation's (its readers too: the opposition
        # sees them as soon as they are recorded); a published position is public once the
        # meeting is held and the arrangement is published.
        Meeting: Rule(arrangement="body__arrangement", joint=True),
        AgendaItem: Rule(arrangement="meeting__body__arrangement", joint=True),
        Position: Rule(
            members="organisation",
            published=True,
            arrangement="item__meeting__body__arrangement",
            owner="organisation",
        ),
        InformationEntry: Rule(members="organisation", owner="organisation"),
    }

    @classmethod
    def register(cls, model: type[Model], rule: Rule) -> None:
        """Add (or replace) the rule for ``model``: for another app's models, called from its
        ``AppConfig.ready`` (the importer's import batches), so that this module imports no app
        above it."""
        cls.RULES[model] = rule

    @classmethod
    def rule(cls, model) -> Rule | None:
        """Return the rule for ``model`` (a model class or instance), None for a model that only
        the register administrator sees and changes."""
        return cls.RULES.get(model if isinstance(model, type) else type(model))

    # --- what may be seen --------------------------------------------------------------------

    def _participates(self, org_ids, path: str = "") -> Exists:
        """EXISTS a participation of one of ``org_ids`` in the arrangement at ``path``."""
        return Exists(
            Participation.objects.filter(
                arrangement_id=OuterRef(_id_lookup(path)),
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
        rule = self.rule(model)
        if rule is None:
            return Q(pk__in=[])
        if rule.public:
            return Q()
        if rule.members is not None:
            members = Q(**{f"{_id_lookup(rule.members)}__in": self.member_org_ids})
            if rule.published and rule.arrangement is not None:
                return members | Q(is_published=True, **{f"{rule.arrangement}__is_published": True})
            return members
        if rule.arrangement is None:
            return Q(pk__in=[])
        path = rule.arrangement
        if rule.published:
            public = Q(is_published=True, **{f"{path}__is_published": True})
            if not self.member_org_ids:
                return public
            return public | self._participates(self.member_org_ids, path)
        condition = self._arrangement_q(path)
        if rule.public_without_arrangement:
            return Q(**{f"{_id_lookup(path)}__isnull": True}) | condition
        return condition

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

    def documents(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the governing documents the user may see: all on their own arrangements, else
        the published ones of published arrangements."""
        return self.visible(Document.objects.all() if queryset is None else queryset)

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
        if isinstance(obj, JoinRequest):  # the requester's members and the participants' see it
            return self.can_view(obj.arrangement) and bool(
                ({obj.organisation_id} | self.arrangement_org_ids(obj.arrangement))
                & self.member_org_ids
            )
        rule = self.rule(obj)
        if rule is None:
            return False
        if rule.public:
            return True
        if rule.members is not None:
            if _id_at(obj, rule.members) in self.member_org_ids:
                return True
            if rule.published and rule.arrangement is not None:
                arrangement = _follow(obj, rule.arrangement)
                return bool(obj.is_published and arrangement and arrangement.is_published)
            return False
        if rule.arrangement is None:
            return False
        arrangement = _follow(obj, rule.arrangement)
        if arrangement is None:
            return rule.public_without_arrangement
        if rule.published:
            if self.arrangement_org_ids(arrangement) & self.member_org_ids:
                return True
            return obj.is_published and arrangement.is_published
        return arrangement.is_published or bool(
            self.arrangement_org_ids(arrangement) & self.member_org_ids
        )

    def can_view_internal(self, obj) -> bool:
        """Return True if the user may see internal notes and officials' contact details."""
        if self.is_admin:
            return True
        return bool(self.owner_org_ids(obj, for_reading=True) & self.member_org_ids)

    def can_view_all_internal(self) -> bool:
        """Return True if the user may read every record's internal notes and contact details,
        whoever's they are (a register administrator). The change log shows their old and new
        values only then; to a member it says that they changed."""
        return self.is_admin

    def can_view_wide_overviews(self) -> bool:
        """Return True if the user may see the county and national overviews, and pick any
        organisation's overview from a list (a register administrator)."""
        return self.is_admin

    def is_member_of(self, target: Organisation | Arrangement) -> bool:
        """Return True if the user is a member of the organisation, or of one of the
        arrangement's participants (a register administrator counts as a member of all)."""
        if self.is_admin:
            return True
        if isinstance(target, Arrangement):
            return bool(self.arrangement_org_ids(target) & self.member_org_ids)
        return target.pk in self.member_org_ids

    def member_organisations(self) -> QuerySet:
        """Return the organisations the user is a member of (editor or reader)."""
        return Organisation.objects.filter(pk__in=self.member_org_ids)

    def of_own_organisations(self, queryset: QuerySet, path: str = "organisation") -> QuerySet:
        """Return the rows of ``queryset`` whose organisation (at ``path``) is one the user is a
        member of (for a register administrator too: their own, not everyone's)."""
        return queryset.filter(**{f"{_id_lookup(path)}__in": self.member_org_ids})

    def visibility_shape(self) -> tuple[tuple, list[int]]:
        """Return what ``visible_q`` is built from, for a cache of compiled queries: a key that
        tells apart the shapes of its SQL, and the organisation ids that go into it (sorted).
        ``as_member_of`` builds the same shape around other ids (the cache's placeholders)."""
        if self.is_admin:
            return ("everything",), []
        return ("members",), sorted(self.member_org_ids)

    def rights_shape(self) -> tuple:
        """Return everything that decides what the user may see and do, as plain values (a cache
        of figures whose rows say what the user may act on keys them by it)."""
        return (self.is_admin, sorted(self.member_org_ids), sorted(self.editor_org_ids))

    @classmethod
    def for_rights(cls, shape) -> Access:
        """Return an access with exactly the rights ``rights_shape`` gave (and no user): a
        background job computes with it what a user with those rights sees, under the same key."""
        is_admin, member_ids, editor_ids = shape
        return cls(
            user_id=None,
            is_admin=bool(is_admin),
            member_org_ids=frozenset(member_ids),
            editor_org_ids=frozenset(editor_ids),
        )

    def audience(self) -> str:
        """Return what the user may see as a short text ("alla", "medlem:3,17"): two users
        with the same audience see the same records, so a PDF made for one may be handed to
        the other (``BackgroundJob.audience``), and a network's figures kept for one serve the
        other (``reports.analytics.visibility``). Built from ``visibility_shape``; the one plain
        form of what a user sees (``rights_shape`` adds what they may change)."""
        shape, ids = self.visibility_shape()
        if shape == ("everything",):
            return "alla"
        return "medlem:" + ",".join(str(pk) for pk in ids)

    @classmethod
    def for_audience(cls, audience: str) -> Access:
        """Return an access that sees exactly what ``audience`` sees (and changes nothing): a
        background job makes its PDF with it, whoever asked and whenever it runs."""
        if audience == "alla":
            return cls.administrator()
        ids = audience.removeprefix("medlem:")
        return cls(user_id=None).as_member_of(int(pk) for pk in ids.split(",") if pk)

    def background_jobs(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the background jobs the user may see: those made for what they see
        (a register administrator: every job)."""
        qs = BackgroundJob.objects.all() if queryset is None else queryset
        return qs if self.is_admin else qs.filter(audience=self.audience())

    def can_view_background_job(self, job: BackgroundJob) -> bool:
        """Return True if the user may follow the job and take its file: the job was made for
        what they see (the members of the same organisations), or they are a register
        administrator."""
        return self.is_admin or job.audience == self.audience()

    def as_member_of(self, org_ids) -> Access:
        """Return this access with ``org_ids`` as the organisations the user is a member of
        (and editor of none): what ``visibility_shape``'s ids stand for."""
        return dataclasses.replace(
            self,
            member_org_ids=frozenset(org_ids),
            editor_org_ids=frozenset(),
            user_admin_org_ids=frozenset(),
        )

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
        """Return the organisations whose editors may change ``obj`` (``for_reading``: whose
        members may read its internal notes)."""
        rule = self.rule(obj)
        if rule is None:
            return frozenset()
        if for_reading and rule.readers is not None:
            return self.arrangement_org_ids(_follow(obj, rule.readers))
        if rule.owner is not None:
            owner = _id_at(obj, rule.owner)
            if owner is not None:
                return frozenset({owner})
        if rule.joint and rule.arrangement is not None:
            return self.arrangement_org_ids(_follow(obj, rule.arrangement))
        return frozenset()

    def can_change(self, obj) -> bool:
        """Return True if the user may edit or delete ``obj``."""
        if self.is_admin:
            return True
        return bool(self.owner_org_ids(obj) & self.editor_org_ids)

    def editable_q(self, model) -> Q:
        """Return the condition for the records of ``model`` that the user may change:
        ``can_change`` for a queryset (every record for a register administrator). Written on
        the model's own fields where the rule allows (an owner), so that a simple-history
        model takes it too."""
        if self.is_admin:
            return Q()
        rule = self.rule(model)
        if rule is None:
            return Q(pk__in=[])
        return self._owned_q(rule, self.editor_org_ids)

    def _owned_q(self, rule: Rule, org_ids) -> Q:
        """The records whose owner (``owner_org_ids``) is one of ``org_ids``."""
        joint = rule.joint and rule.arrangement is not None
        condition = None
        if rule.owner is not None:
            condition = Q(**{f"{_id_lookup(rule.owner)}__in": org_ids})
            if joint:
                unowned = Q(**{f"{_id_lookup(rule.owner)}__isnull": True})
                condition |= unowned & self._participates(org_ids, rule.arrangement)
        elif joint:
            condition = Q(self._participates(org_ids, rule.arrangement))
        return Q(pk__in=[]) if condition is None else condition

    def internal_readable_q(self, model) -> Q:
        """Return the condition for the records of ``model`` whose internal notes the user may
        read: ``can_view_internal`` for a queryset (the search matches internal fields only
        there). Every record for a register administrator, none for anyone without a
        membership (and so never for Insyn's anonymous visitor)."""
        if self.is_admin:
            return Q()
        rule = self.rule(model)
        if rule is None or not self.member_org_ids:
            return Q(pk__in=[])
        if rule.readers is not None:
            return Q(self._participates(self.member_org_ids, rule.readers))
        return self._owned_q(rule, self.member_org_ids)

    def editable(self, queryset: QuerySet) -> QuerySet:
        """Return the rows of ``queryset`` that the user may change (by ``editable_q``)."""
        condition = self.editable_q(queryset.model)
        return queryset.filter(condition) if condition else queryset

    def editable_arrangements(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the arrangements the user may change."""
        return self.editable(Arrangement.objects.all() if queryset is None else queryset)

    def changes_everything(self) -> bool:
        """Return True if the user changes every record of the register (a register
        administrator): a page that offers the user's own organisations offers none then."""
        return self.is_admin

    # --- fields ------------------------------------------------------------------------------

    def locked_fields(self, obj) -> frozenset[str]:
        """Return the fields of ``obj`` the user may not change even where they may change
        ``obj``: a municipality's or region's reference fields from SCB are the register
        administrator's."""
        rule = self.rule(obj)
        if self.is_admin or rule is None or not rule.admin_fields:
            return frozenset()
        if rule.admin_fields_when and not getattr(obj, rule.admin_fields_when):
            return frozenset()
        flag = {rule.admin_fields_when} if rule.admin_fields_when else set()
        return frozenset(rule.admin_fields) | flag

    def locked_reason(self, obj) -> str:
        """Return why ``locked_fields(obj)`` are locked, to show beside them ("" if none are)."""
        return self.rule(obj).admin_fields_reason if self.locked_fields(obj) else ""

    def can_change_field(self, obj, name: str) -> bool:
        """Return True if the user may change the field ``name`` of ``obj``."""
        return self.can_change(obj) and name not in self.locked_fields(obj)

    def changed_locked_fields(self, instance: Model) -> list[str]:
        """Return the locked fields (``locked_fields``) whose value ``instance`` changes from the
        stored record, in the model's order: a writer refuses to save it unless empty.

        The stored record decides which fields are locked (one query, only for a model that has
        locked fields), so clearing the flag that locks them unlocks nothing. For a new record
        every locked field counts as changed.
        """
        rule = self.rule(instance)
        if self.is_admin or rule is None or not rule.admin_fields:
            return []
        model = type(instance)
        stored = model._default_manager.filter(pk=instance.pk).first() if instance.pk else None
        locked = self.locked_fields(instance if stored is None else stored)
        changed = []
        for f in model._meta.concrete_fields:
            if f.name not in locked:
                continue
            if stored is None or f.value_from_object(instance) != f.value_from_object(stored):
                changed.append(f.name)
        return changed

    # --- creating ----------------------------------------------------------------------------

    def can_create(self, model) -> bool:
        """Return True if the user may create records of ``model`` (for some organisation)."""
        if self.is_admin:
            return True
        rule = self.rule(model)
        return rule is not None and not rule.admin_creates and bool(self.editor_org_ids)

    def can_create_arrangement(self) -> bool:
        return self.can_create(Arrangement)

    def can_create_organisation(self) -> bool:
        return self.can_create(Organisation)

    def creatable_for(self, model, *, arrangement: Arrangement | None = None) -> QuerySet:
        """Return the organisations on whose behalf the user may create a record of ``model``:
        those they edit for (every organisation for a register administrator); with
        ``arrangement``, those of them that take part in it (one query, remembered)."""
        if not self.can_create(model):
            return Organisation.objects.none()
        organisations = self.editor_organisations()
        if arrangement is not None:
            organisations = organisations.filter(pk__in=self.arrangement_org_ids(arrangement))
        return organisations

    def can_create_for(self, model, organisation: Organisation | None) -> bool:
        """Return True if the user may create a record of ``model`` for ``organisation`` (for
        none: only a register administrator, since nobody else could change it afterwards)."""
        if organisation is None:
            return self.is_admin
        return self.can_create(model) and (self.is_admin or organisation.pk in self.editor_org_ids)

    def must_choose_organisation(self, model) -> bool:
        """Return True if a new record of ``model`` must be for one of ``creatable_for(model)``:
        anyone but a register administrator (a record that no organisation owns would be the
        administrator's alone to change)."""
        return not self.can_create_for(model, None)

    def sole_creatable_id(self, model) -> int | None:
        """Return the id of the one organisation the user creates records of ``model`` for,
        when there is no choice to make (None for a register administrator and for an editor of
        several organisations)."""
        if self.is_admin or len(self.editor_org_ids) != 1 or not self.can_create(model):
            return None
        return next(iter(self.editor_org_ids))

    def editor_organisations(self) -> QuerySet:
        """Return the organisations on whose behalf the user may enter data."""
        if self.is_admin:
            return Organisation.objects.all()
        return Organisation.objects.filter(pk__in=self.editor_org_ids)

    # --- requests to join --------------------------------------------------------------------

    def join_request_organisation_ids(self, arrangement: Arrangement) -> frozenset[int]:
        """Return the organisations for which the user may ask to take part in ``arrangement``:
        those they edit for that do not take part yet (none if they may not see it)."""
        if not self.editor_org_ids or not self.can_view(arrangement):
            return frozenset()
        return self.editor_org_ids - self.arrangement_org_ids(arrangement)

    def may_ask_to_join(self, arrangement: Arrangement) -> bool:
        """Return True if the user may ask for some organisation to take part in
        ``arrangement`` (a register administrator for any that does not take part yet)."""
        return self.is_admin or bool(self.join_request_organisation_ids(arrangement))

    def join_candidates(self, arrangement: Arrangement) -> QuerySet:
        """Return the organisations the user may ask to take part in ``arrangement`` now: they
        may ask for them (``can_request_join``) and no request of theirs waits for an answer."""
        if self.is_admin:
            candidates = Organisation.objects.exclude(participations__arrangement=arrangement)
        else:
            candidates = Organisation.objects.filter(
                pk__in=self.join_request_organisation_ids(arrangement)
            )
        waiting = JoinRequest.objects.filter(
            arrangement=arrangement,
            organisation=OuterRef("pk"),
            status=JoinRequest.Status.PENDING,
        )
        return candidates.exclude(Exists(waiting))

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

    def answerable_join_requests(self, queryset: QuerySet) -> QuerySet:
        """Return the pending requests of ``queryset`` that the user may accept or decline
        (``can_decide_join_request`` for a queryset)."""
        pending = queryset.filter(status=JoinRequest.Status.PENDING)
        if self.is_admin:
            return pending
        return pending.filter(arrangement__in=self.editable_arrangements().values("pk"))

    # --- our representatives -----------------------------------------------------------------

    def linkable_users(self, person: Person) -> QuerySet:
        """Return the user accounts the user may link ``person`` to ("Användarkonto"): the
        members (editors or readers) of the person's organisation whose account is not already
        linked to another person. Only for an editor of that organisation or a register
        administrator; none for anyone else, and none for a person of no organisation."""
        users = get_user_model().objects
        if person.organisation_id is None or not self.can_change(person):
            return users.none()
        free = Q(person__isnull=True)
        if person.pk is not None:
            free |= Q(person__pk=person.pk)
        return (
            users.filter(memberships__organisation_id=person.organisation_id, is_active=True)
            .filter(free)
            .order_by("first_name", "last_name", "username")
        )

    def can_link_user(self, person: Person, user) -> bool:
        """Return True if the user may link ``person`` to the account ``user`` (one of
        ``linkable_users(person)``, by the person's organisation as it is about to be saved)."""
        return self.linkable_users(person).filter(pk=user.pk).exists()

    def can_take_out_register_extract(self, person: Person) -> bool:
        """Return True if the user may take out everything the register holds about ``person``
        (a register extract, GDPR art. 15): a register administrator, an editor of the person's
        organisation, and the person themselves through the account linked to them."""
        if self.is_admin:
            return True
        if person.user_id is not None and person.user_id == self.user_id:
            return True
        return person.organisation_id in self.editor_org_ids

    def register_extract_is_complete(self) -> bool:
        """Return True if a register extract the user takes out holds every record about the
        person (a register administrator's); anyone else's holds what they may see."""
        return self.is_admin

    def can_view_briefing(self, seat: Seat) -> bool:
        """Return True if the user may read the briefing of the representative holding ``seat``
        (our positions, costs, goals and conflicts): the members of the organisation that
        appointed the seat, its readers too, and a register administrator. The representative
        of another organisation in the same body may not."""
        return self.is_admin or seat.appointed_by_id in self.member_org_ids

    # --- the organisation's users ----------------------------------------------------------------

    def can_manage_users(self, organisation: Organisation) -> bool:
        """Return True if the user may see the organisation's users and invitations, invite
        people, change their roles and remove them: an organisation administrator of that
        organisation, or a register administrator (every organisation)."""
        return self.is_admin or organisation.pk in self.user_admin_org_ids

    def user_admin_organisations(self) -> QuerySet:
        """Return the organisations whose users the user manages (a register administrator: only
        those they are organisation administrator of, for the links on their own pages)."""
        return Organisation.objects.filter(pk__in=self.user_admin_org_ids)

    def manageable_memberships(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the memberships (roles) the user may change or remove: those in the
        organisations they manage (every one for a register administrator)."""
        return self._of_managed_organisations(
            Membership.objects.all() if queryset is None else queryset
        )

    def manageable_invitations(self, queryset: QuerySet | None = None) -> QuerySet:
        """Return the invitations the user may see and withdraw: those to the organisations they
        manage (every one for a register administrator)."""
        return self._of_managed_organisations(
            Invitation.objects.all() if queryset is None else queryset
        )

    def _of_managed_organisations(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` (rows with an ``organisation``) cut to the organisations whose users the
        user manages (all of them for a register administrator)."""
        if self.is_admin:
            return queryset
        return queryset.filter(organisation_id__in=self.user_admin_org_ids)

    def may_leave_without_user_admin(self) -> bool:
        """Return True if the user may remove or demote an organisation's last organisation
        administrator (a register administrator, who manages every organisation's users anyway).
        Anyone else would lock the organisation out of managing its own users."""
        return self.is_admin

    # --- deleting ----------------------------------------------------------------------------

    def can_delete(self, obj) -> bool:
        """Return True if the user may delete ``obj``.

        Reference organisations (municipalities, regions) and whole arrangements shared with
        others are the register administrator's to delete; an editor may delete an arrangement
        only when their organisations are its only participants, a body only when no other
        organisation has appointed seats in it, and a meeting or an agenda item only when no other
        organisation has recorded its positions (or logged information) on it.
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
        if isinstance(obj, Meeting | AgendaItem):
            return self.can_change(obj) and not self.others_records_on(obj)
        return self.can_change(obj)

    def others_records_on(self, obj: Meeting | AgendaItem) -> bool:
        """Return True if organisations other than the user's own have recorded positions on
        the meeting's (or the agenda item's) items, or information-log entries about the
        meeting (never for a register administrator).

        Deleting a meeting or an item deletes them with it, and the user may not even see them,
        so while there are any only the register administrator deletes it.
        """
        if self.is_admin or obj.pk is None:
            return False
        mine = self.editor_org_ids
        if isinstance(obj, AgendaItem):
            return Position.objects.filter(item=obj).exclude(organisation__in=mine).exists()
        positions = Position.objects.filter(item__meeting=obj).exclude(organisation__in=mine)
        entries = InformationEntry.objects.filter(meeting=obj).exclude(organisation__in=mine)
        return positions.exists() or entries.exists()

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
