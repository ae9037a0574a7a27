"""Our positions across the joint bodies: the "one message" page (En röst).

Every position an organisation holds on the agenda items of meetings in a period, grouped by
service area and by partner, and the questions on which we say different things in different
bodies (``rules.same_question`` and ``rules.say_different``), in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import NoReverseMatch
from django.utils import timezone

from .. import rules
from ..access import Access
from ..models import Meeting, Organisation, Participation, Position, ServiceArea

# The default period: the past month and the coming three.
MONTHS_BEFORE = 1
MONTHS_AFTER = 3
# The longest period the page compares at once.
LONGEST_PERIOD_MONTHS = 24


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """Return the period the page shows unless told: a month back and three months ahead."""
    return rules.add_months(today, -MONTHS_BEFORE), rules.add_months(today, MONTHS_AFTER)


def meeting_url(meeting: Meeting) -> str:
    """Return the meeting's page (``Meeting.get_absolute_url``), or "" where the meeting pages
    are not installed, so that the page links to a meeting only when there is a page to go to."""
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:
        return ""


@dataclass
class PositionRow:
    """One of our positions with what the page shows beside it."""

    position: Position
    area: ServiceArea | None  # the item's, else the arrangement's only one
    partners: list[Organisation]  # the arrangement's other participants on the meeting's day
    meeting_url: str = ""
    question: Question | None = None  # the question it shares with positions in other bodies

    @property
    def item(self):
        return self.position.item

    @property
    def meeting(self):
        return self.position.item.meeting

    @property
    def body(self):
        return self.position.item.meeting.body

    @property
    def arrangement(self):
        return self.body.arrangement

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.meeting.starts_at).date()

    @property
    def flagged(self) -> bool:
        return self.question is not None and self.question.differs


@dataclass
class Question:
    """Positions in the period on the same question (``rules.same_question``) in more than one
    body; ``differs`` when two of them, in different bodies, say different things."""

    rows: list[PositionRow] = field(default_factory=list)
    differs: bool = False

    @property
    def anchor(self) -> str:
        """The question's id on the page, the same however the period is chosen."""
        return f"fraga-{self.rows[0].position.pk}"

    @property
    def title(self) -> str:
        return self.rows[0].item.title

    @property
    def area(self):
        return self.rows[0].area

    @property
    def body_count(self) -> int:
        return len({r.body.pk for r in self.rows})


@dataclass
class Group:
    """Positions under one heading: a service area or a partner."""

    key: object  # a ServiceArea or an Organisation, None for "no service area"
    rows: list[PositionRow]

    @property
    def flagged_count(self) -> int:
        return sum(1 for r in self.rows if r.flagged)


@dataclass
class OneMessage:
    organisation: Organisation
    start: dt.date
    end: dt.date
    rows: list[PositionRow] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)  # in more than one body

    @property
    def flagged(self) -> list[Question]:
        return [q for q in self.questions if q.differs]

    @property
    def agreed(self) -> list[Question]:
        return [q for q in self.questions if not q.differs]

    @property
    def body_count(self) -> int:
        return len({r.body.pk for r in self.rows})

    @property
    def without_area(self) -> int:
        return sum(1 for r in self.rows if r.area is None)

    @property
    def by_area(self) -> list[Group]:
        groups: dict[int | None, Group] = {}
        for row in self.rows:
            key = row.area.pk if row.area else None
            groups.setdefault(key, Group(row.area, [])).rows.append(row)
        return sorted(
            groups.values(),
            key=lambda g: (g.key is None, g.key.sort_order if g.key else 0, str(g.key or "")),
        )

    @property
    def by_partner(self) -> list[Group]:
        groups: dict[int, Group] = {}
        for row in self.rows:
            for partner in row.partners:
                groups.setdefault(partner.pk, Group(partner, [])).rows.append(row)
        return sorted(groups.values(), key=lambda g: (g.key.name, g.key.pk))


def _effective_area(position: Position) -> ServiceArea | None:
    item = position.item
    if item.service_area_id is not None:
        return item.service_area
    areas = list(item.meeting.body.arrangement.service_areas.all())
    return areas[0] if len(areas) == 1 else None


def one_message(
    access: Access, organisation: Organisation, start: dt.date, end: dt.date
) -> OneMessage:
    """Return the organisation's positions on the items of meetings from ``start`` to ``end``
    (both days included; cancelled meetings left out) that the user may see, with the questions
    asked in more than one body, in a fixed number of queries whatever their number."""
    result = OneMessage(organisation, start, end)
    positions = (
        access.visible(Position.objects.filter(organisation=organisation))
        .filter(item__meeting__starts_at__date__gte=start, item__meeting__starts_at__date__lte=end)
        .exclude(item__meeting__status=Meeting.Status.CANCELLED)
        .select_related("item__meeting__body__arrangement", "item__service_area", "decision")
        .prefetch_related(
            "item__meeting__body__arrangement__service_areas",
            Prefetch(
                "item__meeting__body__arrangement__participations",
                queryset=Participation.objects.select_related("organisation"),
            ),
        )
        .order_by("item__meeting__starts_at", "item__sort_order", "item__pk", "pk")
    )
    for position in positions:
        row = PositionRow(position, _effective_area(position), [])
        row.meeting_url = meeting_url(row.meeting)
        row.partners = sorted(
            (
                p.organisation
                for p in row.arrangement.participations.all()
                if p.organisation_id != organisation.pk and rules.member_in_force(p, row.day)
            ),
            key=lambda o: o.name,
        )
        result.rows.append(row)
    result.questions = _questions(result.rows)
    return result


def _questions(rows: list[PositionRow]) -> list[Question]:
    """Return the questions asked in more than one body: the rows joined by
    ``rules.same_question`` (and by what joins them in turn), each with ``differs`` when two of
    its positions in different bodies ``rules.say_different``."""
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(rows):
        for j in range(i + 1, len(rows)):
            b = rows[j]
            if rules.same_question(
                a.area.pk if a.area else None,
                a.item.title,
                b.area.pk if b.area else None,
                b.item.title,
            ):
                parent[root(j)] = root(i)
    components: dict[int, list[PositionRow]] = {}
    for i, row in enumerate(rows):
        components.setdefault(root(i), []).append(row)
    questions = []
    for members in components.values():
        if len({r.body.pk for r in members}) < 2:
            continue
        question = Question(members)
        question.differs = any(
            a.body.pk != b.body.pk
            and rules.say_different(
                a.position.stance, a.position.text, b.position.stance, b.position.text
            )
            for k, a in enumerate(members)
            for b in members[k + 1 :]
        )
        for row in members:
            row.question = question
        questions.append(question)
    questions.sort(key=lambda q: (not q.differs, q.rows[0].day, q.title))
    return questions
