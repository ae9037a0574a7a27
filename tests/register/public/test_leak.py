"""The leak test: nothing internal or unpublished reaches a public page, feed, snippet or download.

A unique marker is planted in every field that the public site may not show: every ``internal_*``
field, officials' contact details, every text of strategic reviews, join requests and imports,
and every other text field that is not on the public allow-list (``register/public/fields.py``),
of every model of the register and the importer (a new model or field is covered without a
change here); and in the names and texts of an unpublished arrangement and of unpublished
decisions, evaluations, goal conflicts and alternatives. Then every public URL pattern is
requested with every argument the world offers (the URL configuration is walked, so a new public
URL is covered as well) and no answer may hold a marker.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import zipfile

import jsonschema
import pytest
from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse
from lxml import etree

from register.models import (
    AgendaItem,
    Alternative,
    Body,
    Contribution,
    CooperationForm,
    County,
    Decision,
    Document,
    Evaluation,
    ExternalIdentity,
    GoalConflict,
    JoinRequest,
    Membership,
    Motive,
    Organisation,
    Person,
    Review,
    ReviewItem,
    SearchEntry,
    ServiceArea,
    SsoGrant,
)
from register.public import opendata
from register.public.fields import PUBLIC_FIELDS
from register.public.selectors import arrangement_slug
from tests import factories as f
from tests.document_files import make_document
from tests.register.public.test_csv import TABLE_SCHEMAS, frictionless_errors
from tests.register.public.test_feed import SCHEMA as ATOM_SCHEMA
from tests.register.public.test_feed import rfc_4287_errors
from tests.register.public.test_opendata import SCHEMA as JSON_SCHEMA
from tests.test_permission_matrix import url_patterns

pytestmark = pytest.mark.django_db

MARK = "QZX"
MARKER = re.compile(rf"{MARK}\d{{4}}")
# Reference data: public by nature (names of forms, areas, motives and counties).
REFERENCE = {County, CooperationForm, ServiceArea, Motive}
# The search index: derived from the rows planted here (register/search.py). Insyn searches only
# its public rows of published documents (tests/register/test_search.py).
DERIVED = {SearchEntry}
# Fields that the public site reads of a model through a relation (selectors.py): a politician's
# name and party on a seat, the title of the agenda item a published position is on.
VIA_RELATIONS = {Person: {"name", "party"}, AgendaItem: {"title"}}
PUBLISHED_POSITION = "Vi ville att stationen i Vaxholm skulle vara kvar."
TEXT = (models.CharField, models.TextField, models.JSONField)


def allowed(model) -> set[str]:
    names = {name for name in PUBLIC_FIELDS.get(model, ()) if "__" not in name}
    return names | VIA_RELATIONS.get(model, set())


def plantable(field, model) -> bool:
    if not isinstance(field, TEXT) or field.choices or field.name in allowed(model):
        return False
    if field.primary_key or field.unique or type(field).__name__ == "OrgnrField":
        return False
    return isinstance(field, models.JSONField) or not field.max_length or field.max_length >= 8


def register_models():
    for label in ("register", "importers"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical") or model in REFERENCE | DERIVED:
                continue
            yield model


class Markers:
    def __init__(self):
        self.counter = itertools.count(1000)
        self.planted: dict[str, str] = {}

    def new(self, where: str) -> str:
        marker = f"{MARK}{next(self.counter)}"
        self.planted[marker] = where
        return marker


@pytest.fixture
def leaky_world(public_world, taby, vaxholm):
    m = Markers()
    a = public_world["arrangement"]
    # Unpublished records on the published arrangement, every text of them marked.
    f.make_decision(
        a,
        organisation=taby,
        title=m.new("unpublished decision title"),
        public_summary=m.new("unpublished decision summary"),
        deciding_body=m.new("unpublished decision body"),
    )
    f.make_evaluation(a, organisation=taby, public_summary=m.new("unpublished evaluation"))
    GoalConflict.objects.create(
        arrangement=a,
        goal=public_world["goal"],
        description=m.new("unpublished goal conflict"),
        handling=m.new("unpublished goal conflict handling"),
    )
    Alternative.objects.create(
        arrangement=a,
        organisation=taby,
        kind="procurement",
        description=m.new("unpublished alternative"),
    )
    Document.objects.create(
        arrangement=a,
        kind=Document.Kind.AGREEMENT,
        title=m.new("unpublished document title"),
        text=m.new("unpublished document text"),
    )
    # An unpublished arrangement with published records, a body and a person of its own.
    hidden = public_world["hidden"]
    hidden.name = f"Hemliga nämnden {m.new('unpublished arrangement name')}"
    hidden.public_description = m.new("unpublished arrangement description")
    hidden.save()
    f.make_participation(hidden, vaxholm, political_body=m.new("unpublished participation body"))
    # A partner in the unpublished arrangement only: never in a partner network or its table.
    only_hidden = Organisation.objects.create(
        name=m.new("partner only in unpublished arrangement"), kind=Organisation.Kind.COMPANY
    )
    f.make_participation(hidden, only_hidden)
    body = f.make_body(hidden, name=m.new("body of unpublished arrangement"))
    f.make_seat(body, f.make_person(name=m.new("person only in unpublished arrangement")), taby)
    for model in (Decision, Evaluation):
        kw = {"title": m.new("decision on unpublished")} if model is Decision else {}
        (f.make_decision if model is Decision else f.make_evaluation)(
            hidden, organisation=taby, is_published=True, public_summary=m.new(model.__name__), **kw
        )
    GoalConflict.objects.create(
        arrangement=hidden, goal=public_world["goal"], description=m.new("gc"), is_published=True
    )
    Alternative.objects.create(
        arrangement=hidden, kind="merger", description=m.new("alt"), is_published=True
    )
    # Strategic reviews, a join request, an import: none of it is public.
    Contribution.objects.create(arrangement=a, goal=public_world["goal"])
    review = Review.objects.create(organisation=taby, date="2025-03-01", title="KS 2025")
    ReviewItem.objects.create(review=review, participation=public_world["participation"])
    knivsta_user = f.make_user("leak-user")
    JoinRequest.objects.create(arrangement=a, organisation=vaxholm, requested_by=knivsta_user)
    membership = Membership.objects.create(user=knivsta_user, organisation=taby)
    # Single sign-on: the account at the municipality's service, a membership it gave.
    ExternalIdentity.objects.create(user=knivsta_user, issuer="https://sso.example", subject="s")
    SsoGrant.objects.create(membership=membership, source="grupp g")
    # An invitation to Täby (issue 22): its name and address are the organisation's business.
    from django.utils import timezone

    from register.models import Invitation

    Invitation.objects.create(
        organisation=taby,
        name=m.new("invited name"),
        email="inbjuden@example.org",
        token_hash="0" * 64,
        expires_at=timezone.now(),
    )
    from importers.models import ImportBatch, ImportChoice, ImportRow

    batch = ImportBatch.objects.create(
        organisation=taby, created_by=knivsta_user, file_name="x.xlsx", checksum="0" * 64
    )
    ImportRow.objects.create(batch=batch, sheet="Blad1", row_number=1, outcome="new")
    ImportChoice.objects.create(
        organisation=taby, list_key="samverkan", key="brand|agreement", kind="same", arrangement=a
    )
    # A meeting of the joint body with our position and the information log: all internal
    # until a position is published.
    meeting = f.make_meeting(public_world["body"], title=m.new("meeting title"))
    item = f.make_agenda_item(meeting, title=m.new("agenda item"))
    position = f.make_position(item, taby, text=m.new("position text"))
    from register.models import InformationEntry

    InformationEntry.objects.create(
        organisation=taby,
        kind="other",
        meeting=meeting,
        position=position,
        note=m.new("log"),
        informed_at=meeting.starts_at,
    )
    # Positions with an outcome on a held meeting: only the published one on the published
    # arrangement reaches Insyn (its summary for citizens, beside the decision it produced);
    # not one unpublished, not one published on a coming meeting or on an unpublished arrangement.
    # (In a second body: the planting below gives every meeting the same calendar id, unique
    # per body.)
    assembly = f.make_body(a, name="Förbundsfullmäktige", kind=Body.Kind.FEDERATION_ASSEMBLY)
    held = f.make_meeting(assembly, status="held", title=m.new("held meeting title"))
    f.make_position(
        f.make_agenda_item(held, title=m.new("item of unpublished position")),
        taby,
        outcome="as_wanted",
        public_summary=m.new("unpublished position summary"),
    )
    f.make_position(
        f.make_agenda_item(held, title="Taxa för tillsyn 2025"),
        taby,
        outcome="as_wanted",
        decision=public_world["decision"],
        is_published=True,
        public_summary=PUBLISHED_POSITION,
    )
    f.make_position(
        f.make_agenda_item(meeting, title=m.new("item of a coming meeting")),
        taby,
        is_published=True,
        public_summary=m.new("published position before the meeting"),
    )
    hidden_held = f.make_meeting(body, status="held")
    f.make_position(
        f.make_agenda_item(hidden_held, title=m.new("item on unpublished arrangement")),
        taby,
        outcome="otherwise",
        is_published=True,
        public_summary=m.new("published position on unpublished arrangement"),
    )
    # A PDF made in the background for Täby's members: its record is never public.
    from register.models import BackgroundJob

    BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.INTRO_PACK,
        key=str(taby.pk),
        organisation=taby,
        audience=f"medlem:{taby.pk}",
        data_version="1-20250301",
    )
    Person.objects.filter(pk=public_world["person"].pk).update(kind=Person.Kind.POLITICIAN)
    # Governing documents (issue 24): a published förbundsordning of the published arrangement
    # is public (its facts and its file); an unpublished one there, and a published one of the
    # unpublished arrangement, are not. Their texts, checklists and internal notes never are.
    public_document = make_document(a, title="Förbundsordning", is_published=True)
    hidden_documents = [
        make_document(a, title=m.new("unpublished document title"), version=m.new("version")),
        make_document(
            hidden, title=m.new("document of unpublished arrangement"), is_published=True
        ),
    ]
    public_world["document_ids"] = [public_document.pk] + [d.pk for d in hidden_documents]
    # Every field outside the allow-list, on every row of every model.
    missing = []
    for model in register_models():
        fields = [field for field in model._meta.concrete_fields if plantable(field, model)]
        if not fields:
            continue
        if not model._default_manager.exists():
            missing.append(model.__name__)
            continue
        for field in fields:
            marker = m.new(f"{model.__name__}.{field.name}")
            value = {"kontakt": marker} if isinstance(field, models.JSONField) else marker
            if isinstance(field, models.EmailField):
                value = f"{marker.lower()}@example.org"
                m.planted[marker.lower()] = m.planted.pop(marker)
            model._default_manager.update(**{field.name: value})
    assert not missing, f"add a row of these models to the leaky world: {missing}"
    internal = [w for w in m.planted.values() if ".internal_" in w]
    assert len(internal) >= 10, internal
    assert "Person.email" in m.planted.values() and "Person.phone" in m.planted.values()
    return public_world, m


def argument_values(world) -> dict[str, list[str]]:
    return {
        "code": [world["taby"].code, world["vaxholm"].code],
        "slug": [
            world["slug"],
            arrangement_slug({"id": world["hidden"].pk, "name": world["hidden"].name}),
        ],
        "fmt": ["csv", "json", "xlsx"],
        "name": list(opendata.LISTS),
        # The box for one service: the world's service and the hidden arrangement's.
        "area": ["raddningstjanst", "avfall"],
        # A governing document's download: the published one, and two that are not public.
        "pk": [str(pk) for pk in world["document_ids"]],
    }


def public_urls(world):
    """Yield (name, url) for every public URL pattern and every combination of arguments."""
    values = argument_values(world)
    names = set()
    for name, pattern in url_patterns():
        if not (name.startswith("public:") or name in ("sitemap", "robots")):
            continue
        names.add(name)
        params = list(pattern.pattern.regex.groupindex)
        unknown = [p for p in params if p not in values]
        assert not unknown, f"give the leak test values for {unknown} of {name}"
        for combo in itertools.product(*(values[p] for p in params)):
            try:
                yield name, reverse(name, kwargs=dict(zip(params, combo, strict=True)))
            except NoReverseMatch:
                continue
    assert {"public:index", "public:organisation", "sitemap"} <= names


def readable(response) -> str:
    # A governing document's file is streamed (register/downloads.py).
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # xlsx: read every part of the zip
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    return content.decode("utf-8", "replace")


def test_no_internal_field_or_unpublished_record_reaches_any_public_url(client, leaky_world):
    world, markers = leaky_world
    found, answered = [], set()
    urls = list(public_urls(world))
    urls += [
        ("public:index", f"{reverse('public:index')}?q={q}")
        for q in ("Täby", "brandkår", "Hemliga", "nämnden", "räddningstjänst")
    ]
    for name, url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        if response.status_code == 200:
            answered.add(name)
        for marker in set(MARKER.findall(readable(response))) | {
            e for e in re.findall(r"qzx\d{4}@example\.org", readable(response))
        }:
            found.append(f"{url}: {markers.planted.get(marker.split('@')[0], marker)}")
    assert not found, "\n".join(found)
    walked = {name for name, _ in urls}
    assert answered == walked, f"no successful answer from {walked - answered}"
    assert len(urls) > 30
    # The organisation page's partner network and cost charts were among the answers walked.
    page = client.get(reverse("public:organisation", args=["0160"])).content.decode()
    assert 'class="network-svg"' in page and 'id="diagram-kostnad"' in page


def test_a_published_position_reaches_insyn_beside_its_decision(client, leaky_world):
    """The published position's summary shows where the decisions are: the arrangement's page
    (beside the decision and in its own table), the organisation's decision list, the feed and
    the open data, in the same sentence."""
    world, _ = leaky_world
    sentence = (
        f"Täby kommuns företrädare drev: {PUBLISHED_POSITION.rstrip('.')}. "
        "Utfall: beslutet blev som Täby kommun ville."
    )
    arrangement = client.get(reverse("public:arrangement", args=[world["slug"]])).content.decode()
    decision_row = arrangement.split(f'id="beslut-{world["decision"].pk}"')[1].split("</tr>")[0]
    assert sentence in decision_row
    assert 'id="stallningstaganden"' in arrangement and "Taxa för tillsyn 2025" in arrangement
    organisation = client.get(reverse("public:organisation", args=["0160"])).content.decode()
    assert sentence in organisation
    feed = client.get(reverse("public:decision_feed", args=["0160"])).content.decode()
    assert PUBLISHED_POSITION.rstrip(".") in feed
    csv = client.get(reverse("public:organisation_list", args=["0160", "beslut", "csv"])).content
    assert sentence in csv.decode("utf-8-sig")
    errors = rfc_4287_errors(feed.encode(), etree.RelaxNG(etree.parse(str(ATOM_SCHEMA))))
    assert errors == []
    assert frictionless_errors(csv, TABLE_SCHEMAS["beslut"]) == []
    data = client.get(reverse("public:organisation_data", args=["0160"])).json()
    jsonschema.validate(data, json.loads(JSON_SCHEMA.read_text()))
    positions = [p for a in data["arrangements"] for d in a["decisions"] for p in d["positions"]]
    assert positions == [
        {
            "organisation": "Täby kommun",
            "stance": "support",
            "outcome": "as_wanted",
            "summary": PUBLISHED_POSITION,
        }
    ]


def test_the_leak_test_would_see_a_marker_on_a_public_page(client, leaky_world):
    """The planting works: a marker put in a public field shows up."""
    world, markers = leaky_world
    marker = markers.new("a public field, on purpose")
    Body.objects.filter(pk=world["body"].pk).update(name=marker)
    text = client.get(reverse("public:organisation", args=["0160"])).content.decode()
    assert marker in text
