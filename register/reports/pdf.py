"""The one PDF writer: every PDF the project hands out (the introduction pack, the review pack) is
written by ``write_pdf`` here, so that what WeasyPrint leaves out of a tagged PDF is added once.

WeasyPrint 70 tags a table's cells (TD linked to its TH by /Headers) but gives a TH structure
element no /Scope. PDF/UA (ISO 14289-1, 7.5) asks for it, and a screen reader needs it to know
whether a header names a column or a row. ``table_header_scopes`` adds
``/A << /O /Table /Scope /Column >>`` (``/Row`` for ``<th scope="row">``) to every TH, through
WeasyPrint's public ``finisher`` hook, right before the PDF is written.

Progress: WeasyPrint reports each step of its work on its progress logger (``weasyprint.progress``:
"Step 5 - Creating layout - Page 3", "Step 6 - Creating PDF"). ``progress`` listens there for the
calling thread only, so a background job can tell how many pages are laid out while it renders.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading

import pydyf

# HTML's scope → the PDF's /Scope. A <th> without scope is a column header, as WeasyPrint itself
# reads it when it links the cells to their headers.
SCOPES = {"row": "/Row", "rowgroup": "/Row", "col": "/Column", "colgroup": "/Column"}


def write_pdf(document, **options) -> bytes:
    """Return ``document`` (a WeasyPrint ``HTML`` or a rendered ``Document``) as PDF bytes,
    with WeasyPrint's ``options`` (stylesheets, pdf_variant, pdf_tags …)."""
    return document.write_pdf(finisher=table_header_scopes, **options)


def table_header_scopes(document, pdf) -> None:
    """Give each TH structure element of a tagged PDF its /Scope (a finisher for write_pdf).

    The structure element of a table cell is kept on the cell's layout box (``mark``) while
    WeasyPrint tags the document, so the box tells which HTML element, and which scope, a TH
    element stands for. An untagged PDF has no structure elements, and nothing changes."""
    for page in document.pages:
        for box in _descendants(page._page_box):
            element = getattr(box, "mark", None)
            if not isinstance(element, pydyf.Dictionary) or box.element_tag != "th":
                continue
            attributes = element.get("A")
            if attributes is None:
                attributes = element["A"] = pydyf.Dictionary({"O": "/Table"})
            scope = (box.element.get("scope") or "").strip().lower()
            attributes["Scope"] = SCOPES.get(scope, "/Column")


def _descendants(box):
    from weasyprint.layout.absolute import AbsolutePlaceholder

    stack = [box]
    while stack:
        box = stack.pop()
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        yield box
        stack.extend(getattr(box, "children", ()))


# --- progress ------------------------------------------------------------------------------------

PAGE = re.compile(r"Step 5 - Creating layout - Page (\d+)")
_listeners = threading.local()


class _ProgressHandler(logging.Handler):
    """Hand WeasyPrint's progress messages to the listener of the thread that logged them."""

    def emit(self, record: logging.LogRecord) -> None:
        listener = getattr(_listeners, "callback", None)
        if listener is None:
            return
        message = record.getMessage()
        if match := PAGE.match(message):
            listener("page", int(match.group(1)))
        elif message.startswith("Step 6"):
            listener("writing", None)


_handler = _ProgressHandler()


@contextlib.contextmanager
def progress(callback):
    """Call ``callback("page", n)`` as WeasyPrint lays out page n and ``callback("writing",
    None)`` when it starts writing the PDF, for what this thread renders inside the block."""
    logger = logging.getLogger("weasyprint.progress")
    if _handler not in logger.handlers:
        logger.addHandler(_handler)
        logger.setLevel(logging.INFO)  # the messages are for this handler, not the console
        logger.propagate = False
    _listeners.callback = callback
    try:
        yield
    finally:
        _listeners.callback = None
