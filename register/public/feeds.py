"""The Atom feed of an organisation's public decisions (Django's syndication framework).

It follows RFC 4287 (tests/register/public/test_feed.py validates it against the RFC's schema):
the feed names an author, and every entry's id is an absolute IRI that never changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.http import Http404
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import selectors
from .selectors import Portfolio

# The date in the entries' tag URIs (RFC 4151: a day on which the register held its host name).
# It is part of every id already handed out, so it never changes.
TAG_DATE = "2026-12-02"


def decision_tag(host: str, decision_id: int) -> str:
    """Return the Atom id of a decision: a tag URI (RFC 4151) of the site's host and the
    decision's id.

    Not the decision's address: that holds the arrangement's name, which may change, and an
    Atom id must stay the same for as long as the entry exists (RFC 4287, 4.2.6). The id and
    the host are all that identify a decision, so a new title or a renamed arrangement keep it."""
    domain, _ = split_domain_port(host)
    return f"tag:{(domain or host).lower()},{TAG_DATE}:insyn/beslut/{decision_id}"


@dataclass(frozen=True)
class Source:
    """What the feed is built from: the organisation's public portfolio and the request's site."""

    portfolio: Portfolio
    host: str
    page: str  # the organisation's Insyn page, absolute

    @property
    def organisation(self) -> dict:
        return self.portfolio.organisation


class DecisionFeed(Feed):
    feed_type = Atom1Feed
    language = "sv"

    def get_object(self, request, code):
        organisation = selectors.organisation_by_code(code)
        if organisation is None:
            raise Http404("Ingen kommun eller region har den koden.")
        host = get_current_site(request).domain
        path = reverse("public:organisation", args=[organisation["code"]])
        return Source(
            portfolio=selectors.portfolio(organisation),
            host=host,
            page=add_domain(host, path, request.is_secure()),
        )

    def title(self, source):
        return f"Beslut om samverkan – {source.organisation['name']}"

    def subtitle(self, source):
        return f"Publicerade beslut om den samverkan som {source.organisation['name']} deltar i."

    def link(self, source):
        return reverse("public:organisation", args=[source.organisation["code"]])

    # RFC 4287 asks for an author on the feed (or on every entry): the organisation whose
    # decisions these are, with its page on Insyn.
    def author_name(self, source):
        return source.organisation["name"]

    def author_link(self, source):
        return source.page

    def items(self, source):
        return [
            {**d, "atom_id": decision_tag(source.host, d["id"])}
            for d in source.portfolio.decisions[:50]
        ]

    def item_title(self, d):
        return f"{d['title']} ({d['arrangement']['name']})"

    def item_description(self, d):
        parts = [f"{d['deciding_body']}, {d['date']:%Y-%m-%d}"]
        if d["reference"]:
            parts.append(d["reference"])
        if d["public_summary"]:
            parts.append(d["public_summary"].strip().rstrip("."))
        parts.extend(p["text"].rstrip(".") for p in d.get("positions", ()))
        return ". ".join(parts)

    def item_link(self, d):
        path = reverse("public:arrangement", args=[d["arrangement_slug"]])
        return f"{path}#beslut-{d['id']}"

    def item_guid(self, d):
        return d["atom_id"]

    item_guid_is_permalink = False

    def item_pubdate(self, d):
        return dt.datetime.combine(d["date"], dt.time(12), tzinfo=dt.UTC)

    def item_updateddate(self, d):
        return self.item_pubdate(d)
