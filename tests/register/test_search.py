"""The one search (register/search.py, ``/sok/``): relevance, who finds what, stemming and å/ä/ö
folding, ranking, snippets, the index kept current and rebuilt, and a constant number of queries.

The same tests run on SQLite (FTS5 with the Snowball stemmer in Python) and on PostgreSQL (the
``register_swedish`` text search configuration): CI runs the suite on both, and locally
``DATABASE_URL=postgres://… pytest tests/register/test_search.py``.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from register import search
from register.access import Access
from register.models import Decision, Document, Membership, SearchEntry
from register.services import records
from tests import factories as f

pytestmark = pytest.mark.django_db

PUBLIC = Access(user_id=None)


@pytest.fixture
def world(taby, vaxholm, knivsta):
    """Täby and Vaxholm share an unpublished federation and a published joint committee; each
    has notes only their members may read. Knivsta takes part in neither."""
    hidden = f.make_arrangement(
        name="Roslagens räddningstjänstförbund",
        members=(taby, vaxholm),
        internal_note="Förhandlingen om sotningstaxan är känslig.",
    )
    public = f.make_arrangement(
        name="Gemensam överförmyndarnämnd i Roslagen",
        form_slug="joint_committee",
        members=(taby, vaxholm),
        is_published=True,
        public_description="Nämnden sköter tillsynen över gode män och förvaltare.",
        internal_note="Kvarnholmsavtalet ska omförhandlas före årsskiftet.",
    )
    charter = Document.objects.create(
        arrangement=public,
        kind=Document.Kind.CHARTER,
        title="Förbundsordning för överförmyndarnämnden",
        is_published=True,
        text="§ 7 Nämnden ansvarar för tillsynen. Sophämtningen ingår inte i uppdraget.",
    )
    draft = Document.objects.create(
        arrangement=public,
        kind=Document.Kind.AGREEMENT,
        title="Utkast till samverkansavtal",
        is_published=False,
        text="Parterna delar kostnaderna för Lindholmenutredningen lika.",
    )
    in_title = f.make_decision(public, title="Ny taxa för tillsyn", is_published=True)
    in_body = f.make_decision(
        public,
        title="Budget 2025",
        public_summary="Budgeten bygger på den taxa som gäller sedan 2023.",
        is_published=True,
    )
    return {
        "hidden": hidden,
        "public": public,
        "charter": charter,
        "draft": draft,
        "in_title": in_title,
        "in_body": in_body,
        "taby": Access.for_user(f.make_member(taby, Membership.Role.READER)),
        "knivsta": Access.for_user(f.make_member(knivsta, Membership.Role.READER)),
        "admin": Access.administrator(),
    }


def found(access, query, kind=None, **kw) -> list[int]:
    results = search.search(access, query, **kw)
    return [h.object_id for g in results.groups if kind in (None, g.kind) for h in g.hits]


def titles(access, query, kind) -> list[str]:
    return [h.title for g in search.search(access, query).groups if g.kind == kind for h in g.hits]


# --- relevance ---------------------------------------------------------------------------------


def test_a_word_in_a_documents_text_finds_the_document(world):
    assert found(world["knivsta"], "sophämtningen", "document") == [world["charter"].pk]


def test_an_unpublished_document_is_found_by_members_only(world):
    assert found(world["taby"], "Lindholmenutredningen", "document") == [world["draft"].pk]
    assert found(world["knivsta"], "Lindholmenutredningen") == []
    assert found(PUBLIC, "Lindholmenutredningen") == []


def test_an_internal_note_is_found_by_members_and_never_by_others(world):
    public = world["public"].pk
    assert found(world["taby"], "Kvarnholmsavtalet", "arrangement") == [public]
    assert found(world["admin"], "Kvarnholmsavtalet", "arrangement") == [public]
    # Another organisation's reader sees the published arrangement, but not by its note.
    assert found(world["knivsta"], "överförmyndarnämnd", "arrangement") == [public]
    assert found(world["knivsta"], "Kvarnholmsavtalet") == []
    assert found(PUBLIC, "Kvarnholmsavtalet") == []
    # A member's search without internal fields (as Insyn's) does not match them either.
    assert found(world["taby"], "Kvarnholmsavtalet", internal=False) == []


def test_an_unpublished_arrangement_is_found_by_its_participants_only(world):
    hidden = world["hidden"].pk
    assert found(world["taby"], "räddningstjänstförbund", "arrangement") == [hidden]
    assert found(world["taby"], "sotningstaxan", "arrangement") == [hidden]
    assert found(world["knivsta"], "räddningstjänstförbund") == []


def test_every_word_of_the_query_must_match(world):
    assert found(world["knivsta"], "sophämtning tillsynen", "document") == [world["charter"].pk]
    assert found(world["knivsta"], "sophämtning Kvarnholmsavtalet") == []


# --- Swedish: stemming and folding ---------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "förbundsordning",  # as written
        "forbundsordning",  # without å/ä/ö
        "förbundsordningen",  # another form: the stem is the same
        "FÖRBUNDSORDNINGAR",
        "forbundsordningens",
    ],
)
def test_stemming_and_folding_find_the_charter(world, query):
    assert found(world["knivsta"], query, "document") == [world["charter"].pk]


def test_folding_works_both_ways(world):
    public = world["public"].pk
    assert found(world["knivsta"], "overformyndarnamnden", "arrangement") == [public]
    assert found(world["knivsta"], "Överförmyndarnämnder", "arrangement") == [public]


def test_the_start_of_a_word_finds_the_longer_word(world):
    assert found(world["knivsta"], "överförmyndar", "arrangement") == [world["public"].pk]


def test_stop_words_alone_find_nothing_and_crash_nothing(world):
    assert search.search(world["taby"], "och i en").groups == []
    assert search.search(world["taby"], "\"'*:()&|!<>-").groups == []
    assert search.search(world["taby"], "").groups == []


# --- ranking, snippets -------------------------------------------------------------------------


def test_a_match_in_the_title_ranks_above_a_match_in_the_text(world):
    assert found(world["knivsta"], "taxa", "decision") == [
        world["in_title"].pk,
        world["in_body"].pk,
    ]


def test_the_snippet_marks_the_matching_words_and_escapes_the_rest(world):
    f.make_decision(
        world["public"],
        title="Beslut om <b>avgifter</b>",
        public_summary="Före: <script>x</script>. " * 30
        + "Avgiften höjs med 5 % år 2026."
        + " Slut." * 40,
        is_published=True,
    )
    group = next(
        g for g in search.search(world["knivsta"], "avgift").groups if g.kind == "decision"
    )
    hit = group.hits[0]
    assert str(hit.title_html) == "Beslut om &lt;b&gt;<mark>avgifter</mark>&lt;/b&gt;"
    assert "<mark>Avgiften</mark> höjs" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert len(hit.snippet) < 400


def test_results_are_grouped_by_kind_with_totals(world):
    for n in range(12):
        f.make_decision(world["public"], title=f"Tillsyn {n}", is_published=True)
    results = search.search(world["knivsta"], "tillsyn")
    by_kind = {g.kind: g for g in results.groups}
    assert by_kind["decision"].total == 13 and len(by_kind["decision"].hits) == search.PER_KIND
    assert by_kind["decision"].more
    assert by_kind["document"].total == 1
    only = search.search(world["knivsta"], "tillsyn", kinds=["decision"])
    assert [g.kind for g in only.groups] == ["decision"] and len(only.groups[0].hits) == 13


# --- the index is current ------------------------------------------------------------------------


def test_the_index_follows_saves_and_deletes(world):
    decision = world["in_title"]
    decision.title = "Ändrad avgiftsordning"
    decision.save()
    assert found(world["knivsta"], "avgiftsordning", "decision") == [decision.pk]
    assert world["in_title"].pk not in found(world["knivsta"], "taxa", "decision")
    # The arrangement's new name reaches its records' context.
    world["public"].name = "Nämnden för gode män"
    world["public"].save()
    group = next(g for g in search.search(world["knivsta"], "avgiftsordning").groups)
    assert "Nämnden för gode män" in group.hits[0].context
    decision.delete()
    assert found(world["knivsta"], "avgiftsordning") == []


def test_publishing_counts_at_once(world):
    assert found(world["knivsta"], "Lindholmenutredningen") == []
    world["draft"].is_published = True
    world["draft"].save()
    assert found(world["knivsta"], "Lindholmenutredningen") == [world["draft"].pk]


def test_the_bulk_path_is_indexed_too(world):
    (pk,) = records.records_create_many(
        model=Decision,
        rows=[
            {
                "arrangement_id": world["public"].pk,
                "title": "Gemensam upphandling av vinterväghållning",
                "deciding_body": "Kommunfullmäktige",
                "date": date(2024, 5, 1),
                "is_published": True,
            }
        ],
    )
    assert found(world["knivsta"], "vintervaghallning", "decision") == [pk]


def test_rebuild_search_index_builds_it_again(world):
    SearchEntry.objects.all().delete()
    assert found(world["taby"], "Kvarnholmsavtalet") == []
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert found(world["taby"], "Kvarnholmsavtalet", "arrangement") == [world["public"].pk]
    assert found(world["knivsta"], "sophämtning", "document") == [world["charter"].pk]


# --- the page -------------------------------------------------------------------------------------


def test_the_page_shows_groups_counts_and_marks(client, world, taby):
    client.force_login(f.make_member(taby, Membership.Role.READER))
    response = client.get(reverse("register:search"), {"q": "tillsyn"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="traffar-document"' in html and 'id="traffar-decision"' in html
    assert "<mark>tillsynen</mark>" in html
    assert search.BY_KIND["document"].url(world["charter"]) in html


def test_the_page_says_when_nothing_is_found(client, world, knivsta):
    client.force_login(f.make_member(knivsta, Membership.Role.READER))
    html = client.get(reverse("register:search"), {"q": "Kvarnholmsavtalet"}).content.decode()
    assert "Inga träffar för ”Kvarnholmsavtalet”" in html and "Tips:" in html


def test_a_too_long_query_is_refused_with_a_message(client, world, knivsta):
    client.force_login(f.make_member(knivsta, Membership.Role.READER))
    response = client.get(reverse("register:search"), {"q": "ord " * 60})
    assert response.status_code == 200
    assert "Söktexten är för lång: högst 200 tecken." in response.content.decode()


def test_every_internal_page_has_the_search_box(client, taby_reader):
    client.force_login(taby_reader)
    html = client.get(reverse("register:home")).content.decode()
    assert f'action="{reverse("register:search")}"' in html and 'role="search"' in html


def test_the_page_runs_a_constant_number_of_queries(client, world, taby, django_assert_num_queries):
    client.force_login(f.make_member(taby, Membership.Role.READER))
    url = reverse("register:search")
    client.get(url, {"q": "tillsyn"})  # the session, once
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "tillsyn"})
    for n in range(40):
        a = f.make_arrangement(
            name=f"Tillsynsförbund {n}", members=(taby,), internal_note="tillsyn"
        )
        f.make_decision(a, title=f"Tillsyn {n}")
        Document.objects.create(
            arrangement=a, kind="other", title=f"Tillsynsplan {n}", text="tillsyn"
        )
    with django_assert_num_queries(len(few)):
        response = client.get(url, {"q": "tillsyn"})
    assert response.status_code == 200
    assert len(few) <= 15


# --- Insyn ----------------------------------------------------------------------------------------


def test_insyns_search_finds_published_documents_only(client, world):
    url = reverse("public:index")
    html = client.get(url, {"q": "sophämtningen"}).content.decode()
    assert "<mark>Sophämtningen</mark> ingår inte" in html
    assert "Förbundsordning för överförmyndarnämnden" in html
    for hidden in ("Lindholmenutredningen", "Kvarnholmsavtalet", "sotningstaxan"):
        page = client.get(url, {"q": hidden}).content.decode()
        assert "Handlingar" not in page and hidden not in page.split("</form>", 1)[1].replace(
            f"”{hidden}”", ""
        )


def test_insyn_does_not_find_a_published_document_of_an_unpublished_arrangement(client, world):
    Document.objects.create(
        arrangement=world["hidden"],
        kind=Document.Kind.CHARTER,
        title="Förbundsordning för räddningstjänsten",
        is_published=True,
        text="Gäller Ekebyholmsstationen.",
    )
    html = client.get(reverse("public:index"), {"q": "Ekebyholmsstationen"}).content.decode()
    assert "Förbundsordning för räddningstjänsten" not in html
