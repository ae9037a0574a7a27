"""The one PDF writer: every PDF the project hands out (the introduction pack, the review pack) is
written by ``write_pdf`` here, so that what WeasyPrint leaves out of a tagged PDF is added once.

WeasyPrint 70 tags a table's cells (TD linked to its TH by /Headers) but gives a TH structure
element no /Scope. PDF/UA (ISO 14289-1, 7.5) asks for it, and a screen reader needs it to know
whether a header names a column or a row. ``table_header_scopes`` adds
``/A << /O /Table /Scope /Column >>`` (``/Row`` for ``<th scope="row">``) to every TH, through
WeasyPrint's public ``finisher`` hook, right before the PDF is written.

Cascade: WeasyPrint's own user-agent stylesheet gives every element of the document six
pseudo-elements (``::marker``, ``::footnote-call``, ``::footnote-marker``, ``::note-call``,
``::note-marker``, ``::note-callback``), each with a computed style, whether the document has
list items, footnotes or notes or not: for the introduction pack that is some 27 000 styles, a
tenth of its rendering time (issue 23). ``html`` gives a document whose user-agent stylesheet is
WeasyPrint's own with the markers kept for list items and the footnote and note rules left out
(a document of ours has neither). The text and the layout are the same.

Fonts: WeasyPrint makes a new font configuration (Fontconfig's configuration and a Pango font map)
for each document it renders unless it is given one, so each PDF starts with cold font caches and
shapes and measures every glyph of every font and size anew: for the introduction pack of 43
arrangements about 3 % of its CPU time (issue 23). ``write_pdf`` gives each document the font
configuration of the calling thread, made once (``font_config``; per thread, as a Pango font map is
not for sharing between threads). A font configuration also holds the fonts of ``@font-face``
rules; no stylesheet of ours has one (tested), so what a document draws with is the system's fonts
either way, and the PDF is the same, byte for byte (tested).

Progress: WeasyPrint reports each step of its work on its progress logger (``weasyprint.progress``:
"Step 5 - Creating layout - Page 3", "Step 6 - Creating PDF"). ``progress`` listens there for the
calling thread only, so a background job can tell how many pages are laid out while it renders.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import threading
from pathlib import Path

import pydyf

# HTML's scope → the PDF's /Scope. A <th> without scope is a column header, as WeasyPrint itself
# reads it when it links the cells to their headers.
SCOPES = {"row": "/Row", "rowgroup": "/Row", "col": "/Column", "colgroup": "/Column"}


# User-agent rules that give every element a pseudo-element: footnotes and notes, which none of
# our documents has, are left out; the marker's rule is kept for what has a marker.
_UNUSED_UA = ("::footnote-", "::note-")
_MARKER_UA = "::marker"


@functools.cache
def _ua_stylesheet():
    from weasyprint import CSS
    from weasyprint import css as weasy_css

    text = (Path(weasy_css.__file__).parent / "html5_ua.css").read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.startswith(_UNUSED_UA):
            continue
        if line.startswith(_MARKER_UA):
            line = "li::marker, summary::marker" + line[len(_MARKER_UA) :]
        lines.append(line)
    return CSS(string="\n".join(lines))


def html(**kwargs):
    """Return a WeasyPrint ``HTML`` document (``string=``, ``base_url=``, ``url_fetcher=`` …)
    whose user-agent stylesheet leaves out the pseudo-elements no document of ours has (see
    the module's docstring); ``write_pdf`` writes it as any other."""
    from weasyprint import HTML

    class Document(HTML):
        def _ua_stylesheets(self, forms=False):
            return [_ua_stylesheet(), *super()._ua_stylesheets(forms)[1:]]

    return Document(**kwargs)


_fonts = threading.local()


def font_config():
    """Return the calling thread's WeasyPrint font configuration, made on its first call (see
    the module's docstring)."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


def write_pdf(document, **options) -> bytes:
    """Return ``document`` (a WeasyPrint ``HTML`` or a rendered ``Document``) as PDF bytes,
    with WeasyPrint's ``options`` (stylesheets, pdf_variant, pdf_tags …). An ``HTML`` is
    rendered with this thread's font configuration (``font_config``)."""
    from weasyprint import HTML

    if isinstance(document, HTML):
        options.setdefault("font_config", font_config())
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
