"""The board's strategic review: open it (an item per active participation), fill the items,
close it (its decisions become decisions on each arrangement) and follow its assignments up.

A closed review is read-only: every service here refuses to change it or its items, except the
follow-up of an assignment (its status and the day it was done).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .. import rules
from ..access import Access
from ..models import Decision, Review, ReviewItem
from ..selectors.due import active_participations
from ..versions import Version
from .records import _require, record_save

CLOSED = "Genomgången är avslutad och kan inte längre ändras. Uppdragen följs upp på varje punkt."
NOT_YET = (
    "Genomgången kan inte avslutas före sitt datum, {date:%Y-%m-%d}: besluten får genomgångens "
    "datum och ett beslut kan inte dateras i framtiden."
)
MISSING_OUTCOME = "Genomgången kan inte avslutas förrän varje punkt har ett ställningstagande. Saknas för: {names}."

# The kind of decision on the arrangement that each outcome of a review is.
DECISION_KINDS = {
    ReviewItem.Outcome.CONTINUE: Decision.Kind.OTHER,
    ReviewItem.Outcome.CONTINUE_CHANGED: Decision.Kind.CHANGE,
    ReviewItem.Outcome.RENEGOTIATE: Decision.Kind.CHANGE,
    ReviewItem.Outcome.INVESTIGATE: Decision.Kind.OTHER,
    ReviewItem.Outcome.EXIT: Decision.Kind.EXIT,
}


def require_open(review: Review) -> None:
    """Refuse any change to a closed review (call inside the writing transaction)."""
    if Review.objects.filter(pk=review.pk, closed_on__isnull=False).exists() or review.is_closed:
        raise ValidationError(CLOSED, code="closed")


@transaction.atomic
def review_open(*, access: Access | None, review: Review, today: dt.date) -> Review:
    """Save a new review and give it an item for every participation of its organisation that is
    running on ``today``."""
    if access is not None:
        _require(access.can_change(review))
    review.full_clean()
    review.save()
    existing = set(review.items.values_list("participation_id", flat=True))
    ReviewItem.objects.bulk_create(
        ReviewItem(review=review, participation=p)
        for p in active_participations(review.organisation, today)
        if p.pk not in existing
    )
    return review


@transaction.atomic
def review_save(
    *, access: Access | None, instance: models.Model, save_m2m=None, version: Version | None = None
):
    """Save a review or an item of it that is still open."""
    review = instance if isinstance(instance, Review) else instance.review
    if review.pk:
        require_open(review)
    return record_save(access=access, instance=instance, save_m2m=save_m2m, version=version)


@transaction.atomic
def review_item_followup(
    *, access: Access | None, item: ReviewItem, version: Version | None = None
) -> ReviewItem:
    """Save the follow-up of an item's assignment (allowed also when the review is closed)."""
    return record_save(access=access, instance=item, version=version)


@transaction.atomic
def record_from_item(*, access: Access | None, item: ReviewItem, instance: models.Model):
    """Save a goal conflict or an alternative raised by an item of an open review."""
    require_open(item.review)
    if access is not None:
        _require(access.can_change(item))
    instance.arrangement = item.participation.arrangement
    return record_save(access=access, instance=instance)


@transaction.atomic
def review_close(*, access: Access | None, review: Review, today: dt.date) -> list[Decision]:
    """Close the review: each item's outcome becomes a decision of the review's organisation on the
    arrangement (the review's body, date and paragraph). All or nothing."""
    if access is not None:
        _require(access.can_change(review))
    review = Review.objects.select_for_update().get(pk=review.pk)
    require_open(review)
    if not rules.review_may_close(review.date, today):
        raise ValidationError(NOT_YET.format(date=review.date), code="not_yet")
    items = list(
        review.items.select_related("participation__arrangement").order_by(
            "participation__arrangement__name"
        )
    )
    missing = [i.participation.arrangement.name for i in items if not i.outcome]
    if missing:
        raise ValidationError(MISSING_OUTCOME.format(names=", ".join(missing)), code="outcome")
    decisions = []
    for item in items:
        outcome = ReviewItem.Outcome(item.outcome)
        summary = "\n\n".join(t for t in (item.direction_text, item.decision) if t)
        decision = Decision(
            arrangement=item.participation.arrangement,
            organisation=review.organisation,
            deciding_body=review.body,
            date=review.date,
            reference=review.reference,
            title=f"{review.title}: {outcome.label}",
            kind=DECISION_KINDS[outcome],
            public_summary=summary,
            internal_note=item.assignment,
        )
        decision.full_clean()
        decision.save()
        item.decision_record = decision
        item.save(update_fields=["decision_record"])
        decisions.append(decision)
    review.closed_on = today
    review.save(update_fields=["closed_on"])
    return decisions
