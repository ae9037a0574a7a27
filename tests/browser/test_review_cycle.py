"""A whole review cycle in a real browser: open, fill the items, a goal conflict and an
alternative from an item, close, see the decisions on the arrangements; the closed review
refuses edits."""

import re

import pytest

from register.models import Alternative, Decision, GoalConflict, Membership, Review
from tests import factories as f

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_whole_review_cycle_in_the_browser(live_server, page):
    taby = f.municipality("0160")
    f.make_member(taby, Membership.Role.EDITOR, "registrator")
    f.make_goal(organisation=taby, title="Hållbar ekonomi")
    for name in ("Avfallssamverkan", "Räddningstjänsten"):
        a = f.make_arrangement(name=name, host=taby)
        f.make_cost(f.make_participation(a, taby), year=2026, outcome=2_000_000)

    page.goto(f"{live_server.url}/logga-in/?next=/genomgangar/ny/")
    page.get_by_label("Användarnamn").fill("registrator")
    page.get_by_label("Lösenord").fill("pw-test-12345")
    page.get_by_role("button", name="Logga in").click()

    # Open the review: it gets an item per participation, with its facts.
    # A day already past: a review closes on its date or later.
    page.get_by_label("Datum").fill("2026-11-30")
    page.get_by_label("Rubrik").fill("KS genomgång 2026")
    page.get_by_label("Paragraf/diarienummer").fill("KS § 99")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(re.compile(r"/genomgangar/\d+/$"))
    assert page.locator("article.review-item").count() == 2
    assert "2 000 000" in page.locator("article.review-item").first.inner_text().replace(
        "\u00a0", " "
    )

    # Fill each item.
    for n in range(2):
        page.locator("article.review-item").nth(n).get_by_role(
            "link", name="Ställningstagande och uppdrag"
        ).click()
        page.get_by_label("Ställningstagande").select_option(
            label="Fortsätt med förändringar" if n == 0 else "Träd ur"
        )
        page.get_by_label("Inriktning", exact=True).select_option(
            label="Behåll" if n == 0 else "Avveckla/träd ur"
        )
        page.get_by_label("Inriktning i ord").fill("Sänk kostnaden.")
        page.get_by_label("Uppdrag till kommundirektören").fill("Återkom med förslag.")
        page.get_by_label("Klart senast").fill("2027-03-31")
        page.get_by_role("button", name="Spara").click()
        page.wait_for_url(re.compile(r"/genomgangar/\d+/"))

    # A goal conflict and an alternative from the first item.
    first = page.locator("article.review-item").first
    first.get_by_role("link", name="Ny målkonflikt").click()
    page.get_by_label("Eget mål").select_option(label="Täby: Hållbar ekonomi")
    page.get_by_label(re.compile(r"^Målkonflikt")).fill("Kostnaden ökar snabbare än budgeten.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(re.compile(r"/genomgangar/\d+/"))
    page.locator("article.review-item").first.get_by_role("link", name="Nytt alternativ").click()
    page.get_by_label(re.compile(r"^Alternativ")).select_option(label="Upphandling")
    page.get_by_label("Beskrivning (offentlig)").fill("Upphandla tjänsten.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(re.compile(r"/genomgangar/\d+/"))
    assert GoalConflict.objects.get().arrangement.name == "Avfallssamverkan"
    assert Alternative.objects.get().arrangement.name == "Avfallssamverkan"

    # Close: the decisions land on the arrangements.
    page.get_by_role("link", name="Avsluta genomgången").click()
    page.get_by_role("button", name="Avsluta genomgången").click()
    page.wait_for_url(re.compile(r"/genomgangar/\d+/$"))
    assert "har förts in på samverkan" in page.content()
    assert Decision.objects.filter(reference="KS § 99").count() == 2
    page.get_by_role("link", name="Räddningstjänsten").first.click()
    assert "KS genomgång 2026: Träd ur" in page.content()

    # The closed review refuses edits.
    review = Review.objects.get()
    page.goto(f"{live_server.url}/genomgangar/{review.pk}/")
    assert page.get_by_role("link", name="Ställningstagande och uppdrag").count() == 0
    item = review.items.first()
    response = page.goto(f"{live_server.url}/genomgangspunkter/{item.pk}/andra/")
    assert response.status == 403
    assert "Genomgången är avslutad" in page.content()
