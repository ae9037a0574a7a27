"""Users managed by the organisation, in a real browser (issue 22): Täby's organisation
administrator invites a person by e-mail, the person follows the link and sets a password,
forgets it and resets it by e-mail, and the administrator changes the role and removes them;
the last administrator cannot remove themselves, a used link is refused, and Vallentuna's
administrator cannot open Täby's users. E-mails are read from Django's locmem outbox (the live
server runs in this process)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from register.models import Membership
from tests import factories as f

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "pw-test-12345"
NEW_PASSWORD = "Ett-eget-losenord-2026"
RESET_PASSWORD = "Ett-annat-losenord-2027"
EMAIL = "eva.lind@taby.se"


def login(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert "/logga-in/" not in page.url, page.content()


def link_in_last_mail(pattern: str) -> str:
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def test_invite_accept_reset_change_role_and_remove(live_server, browser, page, screenshot):
    taby, vallentuna = f.municipality("0160"), f.municipality("0115")
    admin = f.make_member(taby, Membership.Role.ADMIN, "taby-admin")
    f.make_member(vallentuna, Membership.Role.ADMIN, "vallentuna-admin")
    mail.outbox.clear()

    # Täby's organisation administrator invites Eva Lind as editor, from Täby's page.
    login(page, live_server, "taby-admin")
    page.goto(f"{live_server.url}/organisationer/{taby.pk}/")
    page.get_by_role("link", name="Användare", exact=True).click()
    page.get_by_role("link", name="Bjud in en användare").click()
    page.get_by_label("Namn").fill("Eva Lind")
    page.get_by_label("E-postadress").fill("inte en adress")
    page.get_by_role("button", name="Skicka inbjudan").click()
    assert "Ange en giltig e-postadress" in page.content() and mail.outbox == []
    page.get_by_label("E-postadress").fill(EMAIL)
    page.get_by_role("radio", name=re.compile("^Redigerare")).check()
    page.get_by_role("button", name="Skicka inbjudan").click()
    page.get_by_text(f"Inbjudan är skickad till {EMAIL}").wait_for()
    screenshot(page, "organisation-users-1280")
    page.set_viewport_size({"width": 390, "height": 800})
    screenshot(page, "organisation-users-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    (message,) = mail.outbox
    assert message.to == [EMAIL] and "redigerare i Täby kommun" in message.body
    invitation_url = link_in_last_mail(r"http://\S+/inbjudan/\S+/")

    # Eva follows the link, chooses a password and logs in with her e-mail address.
    eva = browser.new_context(locale="sv-SE").new_page()
    eva.goto(invitation_url)
    assert "inbjuden som redigerare i Täby kommun" in eva.content()
    screenshot(eva, "invitation-accept")
    eva.get_by_label(re.compile(r"^Lösenord\b")).fill(NEW_PASSWORD)
    eva.get_by_label("Skriv lösenordet en gång till").fill(NEW_PASSWORD)
    eva.get_by_role("button", name="Skapa konto och ta emot inbjudan").click()
    eva.get_by_text("Ditt konto är skapat och du är redigerare i Täby kommun").wait_for()
    # The login page she is sent to brings her to Täby's page.
    eva.get_by_label("Användarnamn").fill(EMAIL)
    eva.get_by_label("Lösenord").fill(NEW_PASSWORD)
    eva.get_by_role("button", name="Logga in").click()
    eva.wait_for_load_state()
    assert eva.url.endswith(f"/organisationer/{taby.pk}/")
    assert eva.get_by_role("link", name="Redigera", exact=True).count() == 1  # an editor of Täby
    # The link works once.
    eva.goto(invitation_url)
    assert "Inbjudan har redan använts" in eva.content()
    eva.context.close()

    # She forgets her password and resets it by e-mail, from the login page.
    reset = browser.new_context(locale="sv-SE").new_page()
    reset.goto(f"{live_server.url}/logga-in/")
    reset.get_by_role("link", name="Glömt lösenordet?").click()
    reset.get_by_label("E-postadress").fill(EMAIL)
    reset.get_by_role("button", name="Skicka länken").click()
    reset.wait_for_load_state()
    assert mail.outbox[-1].to == [EMAIL]
    reset.goto(link_in_last_mail(r"http://\S+/glomt-losenord/\S+/\S+/"))
    reset.get_by_label("Nytt lösenord").fill(RESET_PASSWORD)
    reset.get_by_label("Skriv det nya lösenordet en gång till").fill(RESET_PASSWORD)
    reset.get_by_role("button", name="Spara lösenordet").click()
    reset.get_by_role("heading", name="Lösenordet är bytt").wait_for()
    login(reset, live_server, EMAIL, RESET_PASSWORD)
    reset.context.close()

    # The administrator makes her a reader, then removes her from Täby (not her account).
    page.goto(f"{live_server.url}/organisationer/{taby.pk}/anvandare/")
    page.get_by_role("link", name=f"Ändra roll för {EMAIL}").click()
    page.get_by_role("radio", name=re.compile("^Läsare")).check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_text(f"Eva Lind ({EMAIL}) är nu läsare i Täby kommun").wait_for()
    page.get_by_role("link", name=f"Ta bort {EMAIL}").click()
    page.get_by_role("button", name="Ja, ta bort").click()
    page.get_by_text("har inte längre någon roll i Täby kommun").wait_for()
    user = get_user_model().objects.get(email=EMAIL)
    assert not Membership.objects.filter(user=user).exists()
    assert list(Membership.history.filter(user_id=user.pk).values_list("role", flat=True)) == [
        "reader",
        "reader",
        "editor",
    ]

    # The last organisation administrator cannot remove themselves.
    page.get_by_role("link", name="Ta bort taby-admin").click()
    page.get_by_role("button", name="Ja, ta bort").click()
    assert "den enda organisationsadministratören i Täby kommun" in page.content()
    assert Membership.objects.filter(user=admin, role="admin").exists()

    # Vallentuna's administrator cannot open Täby's users.
    other = browser.new_context(locale="sv-SE").new_page()
    login(other, live_server, "vallentuna-admin")
    response = other.goto(f"{live_server.url}/organisationer/{taby.pk}/anvandare/")
    assert response.status == 403
    other.context.close()
