"""Personal data by the rules (issue 22): the record of processing matches the models and is shown
on the page "Personuppgifter"; contact details are removed a set time after the last seat ended
(``purge_personal_data``)."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from register import personal_data
from register.models import Decision, Person
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)

# A field "looks personal" by its name, or by pointing at a person or a user account.
PERSONAL_NAME = re.compile(
    r"(email|e_post|phone|telefon|mobile|first_name|last_name|username|ip_address|user_agent"
    r"|session_data|session_hash|_by$|^informed$)"
)


def personal_fields() -> set[str]:
    person, user = Person, get_user_model()
    found = set()
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue  # the history entry covers every history table
        for field in model._meta.concrete_fields:
            label = f"{model._meta.label}.{field.name}"
            points_at_someone = getattr(field, "related_model", None) in (person, user)
            is_text = field.get_internal_type() in ("CharField", "TextField", "EmailField")
            if points_at_someone or (is_text and PERSONAL_NAME.search(field.name)):
                found.add(label)
            if model in (person, user) and field.name in ("name", "first_name", "last_name"):
                found.add(label)
    return found


def test_every_field_that_looks_personal_is_in_the_record_of_processing():
    missing = sorted(personal_fields() - personal_data.listed_fields())
    assert missing == [], f"add these fields to register/personal_data.py: {missing}"


def test_every_field_the_record_names_exists():
    stale = []
    for name in personal_data.listed_fields():
        label, field = name.rsplit(".", 1)
        model = apps.get_model(label)
        if field not in {f.name for f in model._meta.concrete_fields}:
            stale.append(name)
    assert stale == []


def test_every_entry_says_why_on_what_basis_who_sees_and_how_long():
    for p in personal_data.processing():
        assert p.purpose and p.legal_basis and p.who_sees and p.kept, p.title
        assert "{" not in p.kept, p.title


def test_the_page_shows_the_record_and_the_configured_retention(client, settings):
    settings.PERSONAL_DATA_CONTACT_RETENTION_DAYS = 200
    text = client.get(reverse("public:personal_data")).content.decode()
    for p in personal_data.PROCESSING:
        assert p.title in text
    assert "200 dagar" in text
    assert "artikel 6.1 e" in text
    assert "arkivlagen" in text


def test_both_footers_link_to_the_page(client, taby_reader):
    url = reverse("public:personal_data")
    assert f'href="{url}"' in client.get(reverse("public:index")).content.decode()
    client.force_login(taby_reader)
    assert f'href="{url}"' in client.get(reverse("register:home")).content.decode()


# --- purge_personal_data ---------------------------------------------------------------------


@pytest.fixture
def people(monkeypatch, shared_arrangement, taby):
    """Four people with contact details: one whose only seat ended 400 days ago, one whose seat is
    in force, one whose seat ended 10 days ago, and one who has never had a seat."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    body = f.make_body(shared_arrangement)
    contact = {"email": "a@example.se", "phone": "08-123 45", "organisation": taby}
    gone = f.make_person(name="Gunnel Gammal", **contact)
    gone.phone = "070-111 11"
    gone.save()  # an older phone number in the history too
    decision = f.make_decision(shared_arrangement, title="Val av Gunnel Gammal")
    f.make_seat(
        body,
        gone,
        taby,
        term_start=TODAY - dt.timedelta(days=1500),
        term_end=TODAY - dt.timedelta(days=400),
        appointing_decision=decision,
    )
    sitting = f.make_person(name="Sittande Siv", **contact)
    f.make_seat(body, sitting, taby, term_start=TODAY - dt.timedelta(days=400))
    recent = f.make_person(name="Nyss Avgången", **contact)
    f.make_seat(body, recent, taby, term_end=TODAY - dt.timedelta(days=10))
    official = f.make_person(name="Tjänsteperson Utan Uppdrag", **contact)
    return {
        "gone": gone,
        "sitting": sitting,
        "recent": recent,
        "official": official,
        "decision": decision,
    }


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def test_the_contact_details_of_someone_whose_last_seat_ended_long_ago_are_removed(people):
    output = purge()
    gone = Person.objects.get(pk=people["gone"].pk)
    assert (gone.email, gone.phone) == ("", "")
    assert gone.name == "Gunnel Gammal"  # the name stays: the public record needs it
    assert Decision.objects.get(pk=people["decision"].pk).title == "Val av Gunnel Gammal"
    assert gone.seats.count() == 1
    assert "1 person" in output
    latest = gone.history.first()
    assert latest.history_change_reason == "Gallring av kontaktuppgifter"
    # The history keeps no old phone number or e-mail address either.
    assert not gone.history.exclude(email="", phone="").exists()
    assert gone.history.filter(name="Gunnel Gammal").count() == gone.history.count()


def test_a_seat_in_force_a_recent_end_or_no_seat_keeps_the_contact_details(people):
    purge()
    for key in ("sitting", "recent", "official"):
        person = Person.objects.get(pk=people[key].pk)
        assert (person.email, person.phone) == ("a@example.se", "08-123 45"), key
        assert person.history.exclude(email="").exists(), key


def test_a_future_seat_keeps_the_contact_details(people, shared_arrangement, taby):
    gone = people["gone"]
    body = f.make_body(shared_arrangement, name="Nämnden")
    f.make_seat(body, gone, taby, term_start=TODAY + dt.timedelta(days=30))
    purge()
    assert Person.objects.get(pk=gone.pk).email == "a@example.se"


def test_the_retention_time_is_configurable(people, settings):
    settings.PERSONAL_DATA_CONTACT_RETENTION_DAYS = 5
    purge()
    assert Person.objects.get(pk=people["recent"].pk).email == ""
    assert Person.objects.get(pk=people["sitting"].pk).email == "a@example.se"


def test_a_person_without_history_rows_is_purged_too(people):
    people["gone"].history.all().delete()  # written before the history was kept
    purge()
    assert Person.objects.get(pk=people["gone"].pk).email == ""


def test_a_dry_run_changes_nothing_and_says_what_it_would_do(people):
    rows = Person.history.count()
    output = purge("--dry-run")
    assert "1 person" in output and "skulle" in output
    assert Person.objects.get(pk=people["gone"].pk).phone == "070-111 11"
    assert Person.history.count() == rows
    assert Person.history.exclude(phone="").count() == rows


def test_running_it_twice_changes_nothing_the_second_time(people):
    purge()
    rows = Person.history.count()
    assert "0 personer" in purge()
    assert Person.history.count() == rows


def test_an_invitation_never_accepted_goes_with_its_history_a_month_after_it_ended(taby):
    from django.utils import timezone

    from register.models import Invitation

    now = timezone.now()
    admin = get_user_model().objects.create_user("adm-inv")

    def invitation(email, **kw):
        return Invitation.objects.create(
            organisation=taby,
            name="Anna Andersson",
            email=email,
            role="reader",
            token_hash=email,
            invited_by=admin,
            expires_at=kw.pop("expires_at", now - dt.timedelta(days=40)),
            **kw,
        )

    stale = invitation("gammal@example.se")
    withdrawn = invitation(
        "aterkallad@example.se",
        expires_at=now + dt.timedelta(days=1),
        revoked_at=now - dt.timedelta(days=31),
    )
    recent = invitation("ny@example.se", expires_at=now - dt.timedelta(days=10))
    accepted = invitation("mottagen@example.se", accepted_at=now - dt.timedelta(days=45))

    dry = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=dry)
    assert "2 inbjudningar som aldrig togs emot skulle tas bort" in dry.getvalue()
    assert Invitation.objects.count() == 4

    call_command("purge_personal_data", stdout=StringIO())
    assert set(Invitation.objects.values_list("pk", flat=True)) == {recent.pk, accepted.pk}
    assert not Invitation.history.filter(id__in=[stale.pk, withdrawn.pk]).exists()
    assert Invitation.history.filter(id=recent.pk).exists()
