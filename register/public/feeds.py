"""The Atom feed of an organisation's public decisions (Django's syndication framework)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import selectors


class DecisionFeed(Feed):
    feed_type = Atom1Feed
    language = "sv"

    def get_object(self, request, code):
        organisation = selectors.organisation_by_code(code)
        if organisation is None:
            raise Http404("Ingen kommun eller region har den koden.")
        return selectors.portfolio(organisation)

    def title(self, p):
        return f"Beslut om samverkan – {p.organisation['name']}"

    def subtitle(self, p):
        return f"Publicerade beslut om den samverkan som {p.organisation['name']} deltar i."

    def link(self, p):
        return reverse("public:organisation", args=[p.organisation["code"]])

    def items(self, p):
        return p.decisions[:50]

    def item_title(self, d):
        return f"{d['title']} ({d['arrangement']['name']})"

    def item_description(self, d):
        parts = [f"{d['deciding_body']}, {d['date']:%Y-%m-%d}"]
        if d["reference"]:
            parts.append(d["reference"])
        if d["public_summary"]:
            parts.append(d["public_summary"])
        return ". ".join(parts)

    def item_link(self, d):
        path = reverse("public:arrangement", args=[d["arrangement_slug"]])
        return f"{path}#beslut-{d['id']}"

    def item_guid(self, d):
        return f"insyn-beslut-{d['id']}"

    item_guid_is_permalink = False

    def item_pubdate(self, d):
        return dt.datetime.combine(d["date"], dt.time(12), tzinfo=dt.UTC)

    def item_updateddate(self, d):
        return self.item_pubdate(d)
