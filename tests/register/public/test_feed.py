"""The decision feed is Atom as RFC 4287 defines it: valid against the RFC's own RELAX NG schema
(Appendix B, schemas/atom.rng), plus the RFC's rules that RELAX NG cannot express, checked here in
code with a real IRI parser."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import rfc3986
from django.urls import reverse
from lxml import etree

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NS = {"atom": "http://www.w3.org/2005/Atom"}
SCHEMA = Path(__file__).parent / "schemas" / "atom.rng"

# RFC 3339 section 5.6, date-time, with RFC 4287 section 3.3's extra: an uppercase "T" between
# date and time and an uppercase "Z" when there is no numeric offset.
RFC_3339_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z", re.ASCII
)


@pytest.fixture(scope="module")
def atom_schema():
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def rfc_4287_errors(content: bytes, schema) -> list[str]:
    """Every way ``content`` breaks RFC 4287: the schema's errors, then the rules of the RFC's text
    (and of the Schematron annotations in Appendix B) that RELAX NG does not check."""
    doc = etree.fromstring(content)
    errors = [] if schema.validate(doc) else [str(e) for e in schema.error_log]
    feed_has_author = doc.find("atom:author", NS) is not None
    for entry in doc.iterfind("atom:entry", NS):
        if not feed_has_author and entry.find("atom:author", NS) is None:
            errors.append("4.1.1: an atom:feed must have an atom:author unless every entry has one")
            break
    for entry in doc.iterfind("atom:entry", NS):
        links = [link.get("rel", "alternate") for link in entry.iterfind("atom:link", NS)]
        if "alternate" not in links and entry.find("atom:content", NS) is None:
            errors.append("4.1.2: an atom:entry must have an alternate link or atom:content")
    for element in doc.iter(f"{ATOM}id"):
        errors += [f"4.2.6: {problem}" for problem in iri_problems(element.text or "")]
    for element in doc.iter(f"{ATOM}author", f"{ATOM}contributor"):
        uri = element.find("atom:uri", NS)
        if uri is not None:
            errors += [f"3.2.2: {problem}" for problem in iri_problems(uri.text or "")]
    for element in doc.iter(f"{ATOM}updated", f"{ATOM}published"):
        if not is_rfc_3339_date_time(element.text or ""):
            errors.append(f"3.3: {element.text!r} is not an RFC 3339 date-time")
    return errors


def iri_problems(text: str) -> list[str]:
    """Why ``text`` is not an absolute IRI (RFC 3987), parsed by rfc3986's IRI parser."""
    iri = rfc3986.iri_reference(text)
    validator = (
        rfc3986.validators.Validator()
        .require_presence_of("scheme")
        .check_validity_of("scheme", "userinfo", "host", "port", "path", "query", "fragment")
    )
    try:
        validator.validate(iri)
    except rfc3986.exceptions.ValidationError as error:
        return [f"{text!r} is not an absolute IRI ({type(error).__name__})"]
    if text != text.strip() or any(c.isspace() for c in text):
        return [f"{text!r} has white space"]
    return []


def is_rfc_3339_date_time(text: str) -> bool:
    if not RFC_3339_DATE_TIME.match(text):
        return False
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:  # e.g. month 13
        return False
    return True


def feed(client, code="0160") -> bytes:
    response = client.get(reverse("public:decision_feed", args=[code]))
    assert response.status_code == 200
    return response.content


def test_the_atom_feed_passes_rfc_4287(client, public_world, atom_schema):
    assert rfc_4287_errors(feed(client), atom_schema) == []


def test_an_entry_keeps_its_id_when_the_decision_is_renamed(client, public_world):
    def entry_ids():
        doc = etree.fromstring(feed(client))
        return [e.findtext("atom:id", namespaces=NS) for e in doc.iterfind("atom:entry", NS)]

    before = entry_ids()
    decision = public_world["decision"]
    decision.title = "Ny taxa för tillsyn enligt miljöbalken"
    decision.save()
    arrangement = public_world["arrangement"]
    arrangement.name = "Storstockholms brandförsvar"
    arrangement.save()
    from django.core.cache import cache

    cache.clear()  # the public cache is cleared on commit, which a test never reaches
    assert entry_ids() == before == [f"tag:testserver,2026-12-02:insyn/beslut/{decision.pk}"]
