"""The registrar meets the questions before saving (issue 21): a preview whose rows ask "Är det
samma samverkan?" cannot be saved until each is answered, the save box stands below the rows and
says why at the button; the seats an import ends are in the summary; a saved import speaks in
the past tense."""

import re

import pytest
from django.urls import reverse

from importers.models import ImportBatch, ImportChoice
from importers.services import ImportRefused, batch_commit, batch_decide, batch_preview
from register.access import Access
from register.models import Arrangement, Participation, Seat
from tests import factories as f

from .conftest import build_xlsx

pytestmark = pytest.mark.django_db

DUPLICATE = [
    ["Namn", "Samverkansform", "Parter", "Värdkommun", "Ansvarig nämnd"],
    ["Miljönämnden", "gem. nämnd", "Vaxholm", "Täby", "Miljönämnden i Täby"],
]


def preview(taby, user, rows, name="Samverkan 2025.xlsx"):
    return batch_preview(
        data=build_xlsx({"Blad1": rows}), file_name=name, organisation=taby, user=user
    )


def text_of(html: str) -> str:
    """The page's words, as a reader meets them (tags dropped, spaces folded)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_unanswered_question_blocks_saving_and_nothing_is_written(
    taby, taby_editor, vaxholm, shared_arrangement
):
    batch = preview(taby, taby_editor, DUPLICATE)
    with pytest.raises(ImportRefused) as refused:
        batch_commit(batch=batch, user=taby_editor)
    message = str(refused.value)
    assert "Importen är inte sparad" in message
    assert "”Är det samma samverkan?”" in message and "rad 2 i bladet ”Blad1”" in message
    batch.refresh_from_db()
    assert batch.mode == ImportBatch.Mode.DRY_RUN
    assert Arrangement.objects.count() == 1  # no new arrangement by default
    assert not Participation.objects.filter(political_body="Miljönämnden i Täby").exists()


def test_once_answered_the_preview_is_saved(taby, taby_editor, vaxholm, shared_arrangement):
    batch = preview(taby, taby_editor, DUPLICATE)
    batch_decide(
        batch=batch,
        access=Access.for_user(taby_editor),
        row_id=batch.rows.get().pk,
        choice="new",
        user=taby_editor,
    )
    batch_commit(batch=batch, user=taby_editor)
    assert ImportBatch.objects.get().mode == ImportBatch.Mode.COMMITTED
    assert Arrangement.objects.filter(name="Miljönämnden").exists()
    assert ImportChoice.objects.get().kind == "new"


def test_the_page_asks_first_and_the_save_button_waits_below_the_rows(
    client, taby, taby_editor, vaxholm, shared_arrangement
):
    batch = preview(taby, taby_editor, DUPLICATE)
    url = reverse("importers:batch_detail", args=[batch.pk])
    client.force_login(taby_editor)
    page = client.get(url).content.decode()
    question = page.index("Är det samma samverkan? Vilken samverkan är rad 2?")
    button = re.search(r"<button type=\"submit\"[^>]*>Spara importen</button>", page)
    assert button is not None and button.start() > question  # the rows come first
    assert "disabled" in button.group(0) and 'aria-describedby="obesvarade"' in button.group(0)
    box = page[page.index('id="obesvarade"') : button.start()]
    assert "Svara först på 1 fråga." in text_of(box)
    row = batch.rows.get()
    assert f'href="?utfall=fragor#rad-{row.pk}"' in box and f'id="rad-{row.pk}"' in page
    assert "Frågor att svara på (1)" in text_of(page)
    only_questions = client.get(url, {"utfall": "fragor"}).content.decode()
    assert f'id="rad-{row.pk}"' in only_questions

    # A post anyway (an old page, no browser) is refused with the same words; nothing is saved.
    response = client.post(reverse("importers:batch_commit", args=[batch.pk]), follow=True)
    assert "”Är det samma samverkan?”" in text_of(response.content.decode())
    assert Arrangement.objects.count() == 1


@pytest.fixture
def seated(taby, shared_arrangement):
    """Täby sits in the joint committee with a chair and a substitute."""
    body = f.make_body(shared_arrangement, kind="joint_committee", name="Nämnden")
    for name, party, role in (("Maria Berg", "M", "chair"), ("Karl Öhman", "L", "substitute")):
        person = f.make_person(name=name, organisation=taby)
        f.make_seat(body, person, taby, party=party, role=role)
    return shared_arrangement


def test_the_seats_an_import_ends_are_in_the_summary_and_it_speaks_in_the_past_once_saved(
    client, taby, taby_editor, vaxholm, seated
):
    rows = [
        ["Namn", "Samverkansform", "Våra ledamöter"],
        [seated.name, "gem. nämnd", "Maria Berg (M) ordf."],
    ]
    batch = preview(taby, taby_editor, rows)
    url = reverse("importers:batch_detail", args=[batch.pk])
    client.force_login(taby_editor)
    before = text_of(client.get(url).content.decode())
    summary = before[before.index("Sammanfattning") : before.index("Raderna i filen")]
    assert "1 Uppdrag upphör ledamot förlorar sin plats" in summary
    assert f"Karl Öhman (L), ersättare i {seated.name}" in summary
    assert "Nu Blir" in before

    response = client.post(
        reverse("importers:batch_commit", args=[batch.pk]), {"all_or_nothing": "on"}, follow=True
    )
    after = text_of(response.content.decode())
    assert "1 uppdrag upphörde" in after  # the message after saving
    assert not Seat.objects.filter(person__name="Karl Öhman").exists()
    summary = after[after.index("Sammanfattning") : after.index("Raderna i filen")]
    assert "1 Uppdrag upphörde ledamot förlorade sin plats" in summary
    assert "Uppdrag som upphörde" in summary and "Karl Öhman (L), ersättare" in summary
    assert "1 Uppdaterad samverkan fick ändrade uppgifter" in summary
    assert "Uppdateras" not in after and "uppdaterades" not in after  # no "Uppdateras uppdaterades"
    assert "Nu Blir" not in after and "Före Efter" in after
