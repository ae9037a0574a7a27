"""Requests to join an arrangement (begäran om deltagande): an editor of an organisation that
does not take part asks on the arrangement's page; an editor of one of its participants, or a
register administrator, accepts or declines (issue 7, item 1)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from register.access import Access
from register.models import JoinRequest, Membership, Participation
from register.services import join_requests
from register.services.participations import participation_set
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(shared_arrangement):
    """Täby's and Vaxholm's joint committee, published: every logged-in user sees it."""
    shared_arrangement.is_published = True
    shared_arrangement.save()
    return shared_arrangement


@pytest.fixture
def pending(published, knivsta, knivsta_editor):
    return join_requests.join_request_create(
        access=Access.for_user(knivsta_editor),
        arrangement=published,
        organisation=knivsta,
        role=Participation.Role.MEMBER,
        message="KF beslutade 2025-03-01 § 12.",
        user=knivsta_editor,
    )


@pytest.fixture
def stranger(db):
    """An editor of Solna, which neither takes part nor asks."""
    return f.make_member(f.municipality("0184"), Membership.Role.EDITOR, "solna-redaktor")


def detail(client, arrangement) -> str:
    return client.get(arrangement.get_absolute_url()).content.decode()


def accept_url(join_request):
    return reverse("register:join_request_accept", args=[join_request.pk])


def decline_url(join_request):
    return reverse("register:join_request_decline", args=[join_request.pk])


# --- Asking ---------------------------------------------------------------------------------


def test_an_editor_of_an_outsider_asks_to_join_from_the_arrangement_s_page(
    client, published, knivsta, knivsta_editor
):
    client.force_login(knivsta_editor)
    url = reverse("register:join_request_create", args=[published.pk])
    assert url in detail(client, published) and "Begär deltagande" in detail(client, published)
    # The participations page stays closed to them; asking is the way in.
    participations = reverse("register:arrangement_participations", args=[published.pk])
    assert client.get(participations).status_code == 403
    page = client.get(url).content.decode()
    assert "Skicka begäran" in page and "Knivsta kommun" in page
    response = client.post(
        url, {"organisation": knivsta.pk, "role": "member", "message": "Vi vill vara med."}
    )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert (join_request.organisation, join_request.status, join_request.requested_by) == (
        knivsta,
        JoinRequest.Status.PENDING,
        knivsta_editor,
    )
    assert not published.participations.filter(organisation=knivsta).exists()
    page = detail(client, published)
    assert "Begäranden om deltagande som väntar på svar" in page and "Vi vill vara med." in page
    assert accept_url(join_request) not in page  # the requester does not decide
    assert "Begär deltagande" not in page  # nothing more to ask


def test_asking_twice_sends_one_request(client, published, knivsta, knivsta_editor, pending):
    client.force_login(knivsta_editor)
    url = reverse("register:join_request_create", args=[published.pk])
    assert client.get(url).status_code == 302  # with a message that it waits already
    with pytest.raises(ValidationError, match="väntar på svar"):
        join_requests.join_request_create(
            access=Access.for_user(knivsta_editor), arrangement=published, organisation=knivsta
        )
    assert JoinRequest.objects.count() == 1


def test_an_arrangement_the_user_may_not_see_cannot_be_asked_for(
    client, shared_arrangement, knivsta, knivsta_editor
):
    client.force_login(knivsta_editor)
    url = reverse("register:join_request_create", args=[shared_arrangement.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"organisation": knivsta.pk, "role": "member"}).status_code == 404
    with pytest.raises(PermissionDenied):
        join_requests.join_request_create(
            access=Access.for_user(knivsta_editor),
            arrangement=shared_arrangement,
            organisation=knivsta,
        )
    assert not JoinRequest.objects.exists()


def test_only_an_editor_of_an_organisation_that_does_not_take_part_may_ask(
    client, published, taby_editor, taby_reader, knivsta, taby
):
    for user in (taby_editor, taby_reader):  # Täby takes part; a reader asks for nobody
        client.force_login(user)
        url = reverse("register:join_request_create", args=[published.pk])
        assert client.get(url).status_code == 403
        assert "Begär deltagande" not in detail(client, published)
    client.force_login(taby_editor)
    response = client.post(
        reverse("register:join_request_create", args=[published.pk]),
        {"organisation": knivsta.pk, "role": "member"},
    )
    assert response.status_code == 403
    assert not JoinRequest.objects.exists()


def test_an_editor_cannot_ask_on_behalf_of_another_organisation(
    client, published, knivsta_editor, vaxholm
):
    solna = f.municipality("0184")
    client.force_login(knivsta_editor)
    response = client.post(
        reverse("register:join_request_create", args=[published.pk]),
        {"organisation": solna.pk, "role": "member"},
    )
    assert (
        response.status_code == 200 and "Välj ett giltigt alternativ" in response.content.decode()
    )
    assert not JoinRequest.objects.exists()


# --- Deciding -------------------------------------------------------------------------------


def test_an_editor_of_a_participant_accepts_and_the_organisation_takes_part(
    client, published, knivsta, taby_editor, pending
):
    client.force_login(taby_editor)
    page = detail(client, published)
    assert accept_url(pending) in page and decline_url(pending) in page
    assert "KF beslutade 2025-03-01 § 12." in page
    response = client.post(accept_url(pending), {"next": published.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == published.get_absolute_url()
    participation = published.participations.get(organisation=knivsta)
    assert participation.role == Participation.Role.MEMBER
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (JoinRequest.Status.ACCEPTED, taby_editor)
    assert pending.decided_at is not None
    # The new participant now sees its internal notes and edits its own data.
    assert Access.for_user(f.make_member(knivsta, Membership.Role.EDITOR)).can_change(participation)


def test_the_register_administrator_declines_and_nothing_else_changes(
    client, published, knivsta, admin_user, pending
):
    client.force_login(admin_user)
    assert client.post(decline_url(pending)).status_code == 302
    pending.refresh_from_db()
    assert pending.status == JoinRequest.Status.DECLINED and pending.decided_by == admin_user
    assert not published.participations.filter(organisation=knivsta).exists()
    # A declined request may be asked again (by a person; the import does not repeat it).
    assert join_requests.join_request_create(
        access=None, arrangement=published, organisation=knivsta
    )


@pytest.mark.parametrize("who", ["taby_reader", "knivsta_editor"])
def test_a_reader_or_the_requester_s_own_editor_cannot_decide(
    client, published, knivsta, pending, who, request
):
    client.force_login(request.getfixturevalue(who))
    assert accept_url(pending) not in detail(client, published)
    for url in (accept_url(pending), decline_url(pending)):
        assert client.post(url).status_code == 403
    pending.refresh_from_db()
    assert pending.status == JoinRequest.Status.PENDING
    assert not published.participations.filter(organisation=knivsta).exists()


def test_a_stranger_does_not_even_see_the_request(client, published, pending, stranger):
    client.force_login(stranger)
    assert "Knivsta" not in detail(client, published)
    for url in (accept_url(pending), decline_url(pending)):
        assert client.post(url).status_code == 404
    page = client.get(reverse("register:join_request_list")).content.decode()
    assert "Knivsta" not in page
    pending.refresh_from_db()
    assert pending.status == JoinRequest.Status.PENDING


def test_deciding_takes_a_post(client, taby_editor, pending):
    client.force_login(taby_editor)
    assert client.get(accept_url(pending)).status_code == 405
    assert client.get(decline_url(pending)).status_code == 405


def test_deciding_needs_the_csrf_token(taby_editor, pending):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(taby_editor)
    assert client.post(accept_url(pending)).status_code == 403
    pending.refresh_from_db()
    assert pending.is_pending


def test_an_answered_request_is_not_answered_again(
    client, published, knivsta, taby_editor, pending
):
    client.force_login(taby_editor)
    client.post(decline_url(pending))
    response = client.post(accept_url(pending), follow=True)
    assert "Begäran är redan avslagen" in response.content.decode()
    assert not published.participations.filter(organisation=knivsta).exists()


def test_accepting_goes_through_the_participation_service(
    published, knivsta, taby_editor, pending, monkeypatch
):
    calls = []
    original = participation_set
    monkeypatch.setattr(
        join_requests, "participation_set", lambda **kw: calls.append(kw) or original(**kw)
    )
    join_requests.join_request_accept(
        access=Access.for_user(taby_editor), join_request=pending, user=taby_editor
    )
    assert [c["organisation"] for c in calls] == [knivsta]
    assert calls[0]["access"] == Access.for_user(taby_editor)


def test_the_access_rules_for_deciding(
    published, pending, taby_editor, taby_reader, knivsta_editor, admin_user, stranger
):
    decides = {
        user.username: Access.for_user(user).can_decide_join_request(pending)
        for user in (taby_editor, taby_reader, knivsta_editor, admin_user, stranger)
    }
    assert decides == {
        "taby-redaktor": True,
        "taby-lasare": False,
        "knivsta-redaktor": False,
        "registeradmin": True,
        "solna-redaktor": False,
    }
    sees = {
        user.username: Access.for_user(user).join_requests().filter(pk=pending.pk).exists()
        for user in (taby_editor, taby_reader, knivsta_editor, admin_user, stranger)
    }
    assert sees == {
        "taby-redaktor": True,
        "taby-lasare": True,
        "knivsta-redaktor": True,
        "registeradmin": True,
        "solna-redaktor": False,
    }


# --- The list of requests -------------------------------------------------------------------


def test_the_list_shows_requests_to_answer_and_our_own(
    client, published, taby_editor, knivsta_editor, pending
):
    client.force_login(taby_editor)
    page = client.get(reverse("register:join_request_list")).content.decode()
    assert "Att besvara" in page and accept_url(pending) in page and "Knivsta kommun" in page
    client.force_login(knivsta_editor)
    page = client.get(reverse("register:join_request_list")).content.decode()
    assert accept_url(pending) not in page
    assert "Väntar på svar" in page and published.name in page


def test_the_join_request_admin_pages_open(client, admin_user, pending):
    client.force_login(admin_user)
    assert client.get(reverse("admin:register_joinrequest_changelist")).status_code == 200
    url = reverse("admin:register_joinrequest_change", args=[pending.pk])
    assert client.get(url).status_code == 200
    assert pending.history.count() == 1


def test_nasty_values_in_the_request_form_are_messages_and_write_nothing(
    client, published, knivsta, knivsta_editor
):
    client.raise_request_exception = False
    client.force_login(knivsta_editor)
    url = reverse("register:join_request_create", args=[published.pk])
    good = {"organisation": str(knivsta.pk), "role": "member", "message": ""}
    for field in good:
        for value in ("9" * 30, "a\x00b", "-1", "x" * 3000):
            response = client.post(url, good | {field: value})
            assert response.status_code in (200, 302), (field, value[:10])
            if response.status_code == 200:
                assert "Begäran är inte skickad" in response.content.decode()
                assert not JoinRequest.objects.exists()
            JoinRequest.objects.all().delete()


def test_the_start_page_says_how_many_requests_wait_for_the_user_s_answer(
    client, taby_editor, knivsta_editor, taby_reader, pending
):
    client.force_login(taby_editor)
    page = client.get(reverse("register:home")).content.decode()
    assert "En begäran om deltagande väntar" in page
    assert reverse("register:join_request_list") in page
    # The one who asked, and a reader who cannot answer, are not told to answer.
    for user in (knivsta_editor, taby_reader):
        client.force_login(user)
        assert "väntar på ditt svar" not in client.get(reverse("register:home")).content.decode()
