"""The register extract (registerutdrag, GDPR art. 15) as files: JSON for a machine, a tagged PDF
(PDF/UA-1, A4, Swedish) for a person. The rows come from ``register.selectors.register_extract``
(through the user's Access); this module only lays them out and returns bytes."""

from __future__ import annotations

import json

from django.conf import settings
from django.template.loader import render_to_string

from ..selectors.register_extract import RegisterExtract
from .intro_pack import BASE_URL, fetch_static
from .pdf import write_pdf

PDF_STYLESHEET = "register/register_extract.css"


def title(extract: RegisterExtract) -> str:
    return f"Registerutdrag för {extract.person.name}"


def file_stem(extract: RegisterExtract) -> str:
    """The downloaded file's name without its extension (``downloads`` makes it safe)."""
    return f"{extract.person.name} {extract.made_at:%Y-%m-%d}".replace(".", "")


def as_data(extract: RegisterExtract) -> dict:
    """Return the extract as one JSON object: the person, the account, then a list of rows per
    section, every value as the page writes it."""
    account = None
    if extract.account:
        account = {key: value for key, _, value in extract.account}
        account["medlemskap"] = extract.memberships
    return {
        "register": "Samverkansregistret",
        "utdrag": "Registerutdrag enligt dataskyddsförordningen artikel 15",
        "utdrag_gjort": extract.made_at.isoformat(timespec="seconds"),
        "fullstandigt": extract.complete,
        "person": {key: value for key, _, value in extract.facts},
        "anvandarkonto": account,
        "avsnitt": {section.key: section.rows for section in extract.sections},
    }


def as_json(extract: RegisterExtract) -> bytes:
    return json.dumps(as_data(extract), ensure_ascii=False, indent=2).encode("utf-8")


def pdf(extract: RegisterExtract) -> bytes:
    """Return the extract as a tagged PDF (PDF/UA-1). WeasyPrint fetches nothing but the app's
    own style sheet (``intro_pack.fetch_static``)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            body, mime = fetch_static(url)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})

    html = render_to_string(
        "register/register_extract_pdf.html",
        {"extract": extract, "title": title(extract), "for_print": True},
    )
    fetcher = StaticOnly()
    css, _ = fetch_static(BASE_URL + settings.STATIC_URL.lstrip("/") + PDF_STYLESHEET)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    stylesheet = CSS(string=css.decode("utf-8"), base_url=BASE_URL, url_fetcher=fetcher)
    return write_pdf(document, stylesheets=[stylesheet], pdf_variant="pdf/ua-1", pdf_tags=True)
