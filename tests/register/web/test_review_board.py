"""Issue 21, the board's review: the table editor fills everything a review needs to close, a
review closes on or after its date only, the scales say what they mean and the PDF prints what
the page shows, with items flowing several to a page inside the margins."""

import datetime as dt

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from register.access import Access
from register.models import Decision, Review, ReviewItem
from register.services import reviews as services
from register.web import review_flow
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 6)
HELD = D(2026, 12, 1)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def editor_client(client, taby_editor):
    client.force_login(taby_editor)
    return client


def review_with_items(taby, vaxholm, *, date=HELD, names=("Avfall", "Brand")):
    for name in names:
        a = f.make_arrangement(name=name, host=taby)
        f.make_participation(a, taby)
        f.make_participation(a, vaxholm)
    review = Review(organisation=taby, date=date, title="KS genomgång", reference="KS § 7")
    return services.review_open(access=Access.for_organisation(taby), review=review, today=TODAY)


def form_values(html: str) -> dict[str, str]:
    form = lxml.html.fromstring(html).xpath("//form[contains(@class, 'formset')]")[0]
    return dict(form.form_values())


# --- The table editor ------------------------------------------------------------------------


def test_a_review_filled_only_in_the_table_editor_can_be_closed(editor_client, taby, vaxholm):
    review = review_with_items(taby, vaxholm)
    url = reverse("register:review_items", args=[review.pk])
    # Before: the close page sends the user to the table, and offers no button yet.
    close = editor_client.get(reverse("register:review_close", args=[review.pk])).content.decode()
    assert "2 punkter saknar ställningstagande" in close and f'href="{url}"' in close
    assert "<button" not in close.split("<main")[-1]
    page = editor_client.get(url).content.decode()
    assert ">Ställningstagande" in page  # a column of the table
    data = form_values(page)
    outcomes = [name for name in data if name.endswith("-outcome")]
    assert len(outcomes) == 3  # two items and the empty row
    for name in outcomes[:2]:
        data[name] = "continue"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    response = editor_client.post(reverse("register:review_close", args=[review.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Review.objects.get().closed_on == TODAY
    assert Decision.objects.filter(reference="KS § 7").count() == 2


# --- Closing before the review's date ----------------------------------------------------------


def test_a_review_cannot_be_closed_before_its_date(editor_client, taby, vaxholm):
    review = review_with_items(taby, vaxholm, date=D(2026, 12, 10))
    review.items.update(outcome="continue")
    response = editor_client.post(reverse("register:review_close", args=[review.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Genomgången kan inte avslutas före sitt datum, 2026-12-10" in page
    assert Review.objects.get().closed_on is None
    assert not Decision.objects.exists()
    # The page says it before the button is pressed, too.
    page = editor_client.get(reverse("register:review_close", args=[review.pk])).content.decode()
    assert "2026-12-10" in page and "före sitt datum" in page


def test_the_service_never_dates_a_decision_after_the_day_it_is_closed(taby, vaxholm):
    review = review_with_items(taby, vaxholm, date=D(2026, 12, 10))
    review.items.update(outcome="exit")
    with pytest.raises(ValidationError, match="före sitt datum"):
        services.review_close(access=None, review=review, today=TODAY)
    assert not Decision.objects.exists()
    decisions = services.review_close(access=None, review=review, today=D(2026, 12, 10))
    assert {d.date for d in decisions} == {D(2026, 12, 10)}


# --- The scales --------------------------------------------------------------------------------


def test_each_scale_says_what_it_means_and_no_two_ask_the_same(editor_client, taby, vaxholm):
    review = review_with_items(taby, vaxholm)
    item = review.items.first()
    # Prioriteringsklass (Utveckla/Behåll/Minska/Avveckla) was the direction asked twice.
    assert not hasattr(ReviewItem, "PriorityClass")
    for name in ("outcome", "direction", "priority", "direction_text"):
        assert ReviewItem._meta.get_field(name).help_text, name
    page = editor_client.get(reverse("register:review_item_update", args=[item.pk]))
    html = page.content.decode()
    assert "Prioriteringsklass" not in html
    for text in (ReviewItem._meta.get_field(n).help_text for n in ("outcome", "direction")):
        assert text in html


def test_the_page_and_the_pack_show_the_same_direction_and_priority(editor_client, taby, vaxholm):
    review = review_with_items(taby, vaxholm)
    review.items.update(direction="develop", priority="high", outcome="continue")
    detail = editor_client.get(review.get_absolute_url()).content.decode()
    pack = editor_client.get(reverse("register:review_pack", args=[review.pk])).content.decode()
    for page in (detail, pack):
        assert "<dt>Inriktning</dt><dd>Utveckla</dd>" in page
        assert "<dt>Prioritet</dt><dd>Hög</dd>" in page
        assert "<dt>Ställningstagande</dt><dd>Fortsätt</dd>" in page


# --- The PDF -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_pdf(demo, django_db_blocker):
    """The demo's review as PDF, rendered once for the module (the demo is loaded once too)."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        request = RequestFactory().get("/")
        request.user = get_user_model().objects.get(username="taby-redaktor")
        review = Review.objects.get(is_example=True)
        context = review_flow._pack_context(request, review.pk)
        return review, review_flow.pack_document(request, context).write_pdf()


def test_the_demo_review_pdf_flows_items_several_to_a_page(demo_pdf):
    import io

    import pypdf

    review, pdf = demo_pdf
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    items = review.items.count()
    assert items == 12
    # Was 13 pages (the cover and one mostly empty page per item).
    assert len(reader.pages) <= 6, len(reader.pages)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Utveckla" in text and "Inriktning" in text and "Prioritet" in text


def test_no_item_heading_ends_a_page_and_nothing_crosses_the_margins(demo_pdf):
    import io

    pdfplumber = pytest.importorskip("pdfplumber")
    _, pdf = demo_pdf
    mm = 72 / 25.4
    margin = 20 * mm - 1  # @page margin: 2 cm, in points, less a point of rounding
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
        for number, page in enumerate(document.pages, start=1):
            content_bottom = page.height - margin
            # The page number is the one thing in the margin: in the bottom one, well clear of
            # the paper's edge.
            footer = [c for c in page.chars if c["top"] > content_bottom]
            assert "".join(c["text"] for c in footer) == f"Sida {number} av {pages}"
            assert all(c["bottom"] <= page.height - 5 * mm for c in footer)
            body = [c for c in page.chars if c["top"] <= content_bottom]
            for kind, objects in (
                ("text", body),
                ("rect", page.rects),
                ("line", page.lines),
                ("curve", page.curves),
                ("image", page.images),
            ):
                for o in objects:
                    assert o["x0"] >= margin and o["top"] >= margin, (number, kind, o)
                    assert o["x1"] <= page.width - margin, (number, kind, o)
                    assert o["bottom"] <= content_bottom, (number, kind, o)
            text = page.crop((0, 0, page.width, content_bottom)).extract_text()
            lines = [line for line in text.splitlines() if line.strip()]
            # An item's heading ("3. Käppalaförbundet") or a part's ("Fakta") never ends a page.
            last = lines[-1] if lines else ""
            assert not (last[:1].isdigit() and ". " in last[:4]), (number, last)
            assert last not in ("Fakta", "Ställningstagande och uppdrag"), (number, last)
