"""The briefing (föredragning) of one of our representatives before a meeting of a joint body, as
a tagged PDF: A4, Swedish, one to three pages for an ordinary agenda. The facts come from
``register.selectors.briefings`` (through the user's Access); this module only lays them out and
returns bytes (only the views and ``send_briefings`` know HTTP and e-mail)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from ..selectors.briefings import Briefing, BriefingSubject, meeting_day
from .intro_pack import BASE_URL, fetch_static
from .pdf import write_pdf

PDF_STYLESHEET = "register/briefing.css"


def title(briefing: Briefing) -> str:
    """The briefing's title: "Föredragning inför Direktionen 2027-02-10"."""
    return f"Föredragning inför {briefing.body.name} {briefing.day:%Y-%m-%d}"


def file_stem(briefing: Briefing) -> str:
    """The name a downloaded or e-mailed briefing gets, without its extension (``downloads``
    makes it safe; a dot would read as the start of an extension there)."""
    return _stem(briefing.body.name, briefing.day, briefing.person.name)


def subject_file_stem(subject: BriefingSubject) -> str:
    """``file_stem`` of the briefing of ``subject``, before the briefing is gathered."""
    meeting = subject.meeting
    return _stem(meeting.body.name, meeting_day(meeting), subject.seat.person.name)


def _stem(body: str, day, person: str) -> str:
    return f"{body} {day:%Y-%m-%d} {person}".replace(".", "")


def pdf_html(briefing: Briefing) -> str:
    return render_to_string(
        "register/briefing_pdf.html",
        {"briefing": briefing, "title": title(briefing), "for_print": True},
    )


def pdf(briefing: Briefing) -> bytes:
    """Return the briefing as a tagged PDF (PDF/UA-1), document language Swedish. WeasyPrint
    fetches nothing but the app's own style sheet (``intro_pack.fetch_static``)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            body, mime = fetch_static(url)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})

    fetcher = StaticOnly()
    css, _ = fetch_static(BASE_URL + settings.STATIC_URL.lstrip("/") + PDF_STYLESHEET)
    document = HTML(string=pdf_html(briefing), base_url=BASE_URL, url_fetcher=fetcher)
    stylesheet = CSS(string=css.decode("utf-8"), base_url=BASE_URL, url_fetcher=fetcher)
    return write_pdf(document, stylesheets=[stylesheet], pdf_variant="pdf/ua-1", pdf_tags=True)
