"""The review pack (underlag till en strategisk genomgång) as a PDF: the page the board reads,
laid out for print. The facts come from ``register.selectors.reviews`` through the reader's
Access; this module lays them out and returns bytes (only the views know HTTP)."""

from __future__ import annotations

import datetime as dt

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from ..access import Access
from ..selectors import reviews as review_selectors
from .pdf import font_config, write_pdf


def context(access: Access, pk: int, today: dt.date) -> dict | None:
    """Return what the pack shows of the review ``pk`` as ``access`` sees it (None: not there,
    or not the user's to see): the review, its items with their facts, whether internal notes
    show. The page and the PDF both read it."""
    review, items = review_selectors.review_detail(access, pk)
    if review is None:
        return None
    review_selectors.item_facts(access, review, items, today)
    return {"review": review, "items": items, "show_internal": access.can_view_internal(review)}


def document(context: dict):
    """Return the review pack laid out for print (a WeasyPrint document); ``context`` is the
    page's (the review, its items with their facts, whether internal notes show)."""
    from weasyprint import CSS, HTML  # heavy: only when a PDF is asked for

    html = render_to_string("register/review_pack.html", {**context, "for_pdf": True})
    # The style sheet is read from disk: WeasyPrint fetches nothing over the network.
    css = CSS(filename=finders.find("register/pack.css"))
    # Laid out here, not in write_pdf, so it takes the writer's font configuration here (issue 23).
    return HTML(string=html, url_fetcher=_no_fetch).render(
        stylesheets=[css], font_config=font_config()
    )


def pdf(context: dict) -> bytes:
    return write_pdf(document(context))


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"Underlaget hämtar inget utifrån: {url}")
