"""A strategic review's page: the review and its items."""

from __future__ import annotations

from ..access import Access
from ..models import (
    Review,
)


def review_detail(access: Access, pk: int):
    review = access.reviews(Review.objects.select_related("organisation")).filter(pk=pk).first()
    if review is None:
        return None, []
    items = list(
        review.items.select_related(
            "participation", "participation__arrangement", "participation__arrangement__form"
        ).order_by("participation__arrangement__name")
    )
    return review, items
