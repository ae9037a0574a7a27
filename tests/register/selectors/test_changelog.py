"""register/selectors/changelog.py: the change log's entries, their changes and its cached query."""

from django.db.models import Q

from register.access import Access
from register.models import (
    Arrangement,
)
from register.selectors import changelog
from tests import factories as f


def test_change_log_shows_field_changes_newest_first(shared_arrangement, taby):
    shared_arrangement.status = Arrangement.Status.RENEGOTIATION
    shared_arrangement.save()
    p = shared_arrangement.participations.get(organisation=taby)
    p.cost_share = 12.5
    p.save()
    log = changelog.change_log(changelog.arrangement_log_parts(shared_arrangement, access=None))
    assert log[0].model == "participation"
    assert [(c.label, c.old, c.new) for c in log[0].changes] == [("Kostnadsandel (%)", "–", "12,5")]
    status_change = next(e for e in log if e.model == "arrangement" and e.action == "Ändrades")
    assert [(c.old, c.new) for c in status_change.changes] == [("Aktiv", "Under omförhandling")]
    assert any(e.action == "Skapades" and e.model == "arrangement" for e in log)


def test_change_log_writes_amounts_as_the_pages_do(shared_arrangement, taby):
    cost = f.make_cost(shared_arrangement.participations.get(organisation=taby), outcome=1_500)
    cost.outcome = -1_234_567
    cost.save()
    log = changelog.change_log(changelog.arrangement_log_parts(shared_arrangement, access=None))
    [change] = log[0].changes
    assert (change.old, change.new) == ("1\u00a0500", "\u22121\u00a0234\u00a0567")


def test_change_log_hides_internal_values_unless_allowed(shared_arrangement):
    shared_arrangement.internal_note = "Hemligt"
    shared_arrangement.save()
    parts = [(Arrangement, Q(id=shared_arrangement.pk), shared_arrangement.name)]
    assert changelog.change_log(parts)[0].action == "Skapades"  # the change itself is left out
    mentioned = changelog.change_log(parts, mention_internal=True)[0].changes[0]
    assert mentioned.internal and mentioned.new == ""
    shown = changelog.change_log(parts, show_internal=True)[0].changes[0]
    assert shown.new == "Hemligt"


def test_change_log_skips_saves_without_changes_and_respects_the_limit(shared_arrangement):
    for _ in range(3):
        shared_arrangement.save()
    for i in range(3):
        shared_arrangement.name = f"Namn {i}"
        shared_arrangement.save()
    log = changelog.change_log(
        changelog.arrangement_log_parts(shared_arrangement, access=None), limit=2
    )
    assert len(log) == 2
    assert log[0].changes[0].new == "Namn 2"


def test_change_log_records_who_made_the_change(shared_arrangement, admin_user):
    shared_arrangement._history_user = admin_user
    shared_arrangement.name = "Nytt namn"
    shared_arrangement.save()
    log = changelog.change_log([(Arrangement, Q(id=shared_arrangement.pk), "")])
    assert log[0].user == "registeradmin"


def test_the_cached_change_log_gives_the_same_entries_as_the_plain_query(
    shared_arrangement, taby, vaxholm
):
    shared_arrangement.status = Arrangement.Status.ENDED
    shared_arrangement.save()
    p = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(p, year=2024, outcome=5)
    for member in (True, False):
        plain = changelog.change_log(
            changelog.arrangement_log_parts(
                shared_arrangement, access=None if member else Access(user_id=1)
            ),
            mention_internal=member,
        )
        cached = changelog.arrangement_change_log(
            shared_arrangement, access=Access(user_id=1), member=member, known={}
        )
        assert [(e.model, e.object_id, e.action, e.changes) for e in cached] == [
            (e.model, e.object_id, e.action, e.changes) for e in plain
        ]
        assert all(e.date.tzinfo is not None for e in cached)


def test_the_cached_organisation_log_respects_what_the_user_may_see(
    shared_arrangement, taby, vaxholm, knivsta
):
    p = shared_arrangement.participations.get(organisation=taby)
    f.make_cost(p, year=2024, outcome=5)
    outsider = Access(user_id=1, member_org_ids=frozenset({knivsta.pk, vaxholm.pk + 10_000}))
    member = Access(user_id=2, member_org_ids=frozenset({taby.pk}))
    seen_by_outsider = changelog.organisation_change_log(
        taby, access=outsider, member=False, known={}
    )
    seen_by_member = changelog.organisation_change_log(taby, access=member, member=True, known={})
    assert {e.model for e in seen_by_member} >= {"participation", "cost"}
    assert not {e.model for e in seen_by_outsider} & {"participation", "cost"}
    plain = changelog.change_log(
        changelog.organisation_log_parts(taby, access=member), mention_internal=True
    )
    assert [(e.model, e.object_id) for e in seen_by_member] == [
        (e.model, e.object_id) for e in plain
    ]


def test_change_log_shows_a_text_change_even_when_both_texts_read_as_the_same_number(
    shared_arrangement,
):
    shared_arrangement.name = "10"
    shared_arrangement.save()
    shared_arrangement.name = "010"
    shared_arrangement.save()
    log = changelog.change_log([(Arrangement, Q(id=shared_arrangement.pk), "")])
    assert [(c.label, c.old, c.new) for c in log[0].changes] == [("Namn", "10", "010")]


def test_change_log_compares_versions_by_their_field_types_as_simple_history_does(
    shared_arrangement, taby
):
    p = shared_arrangement.participations.get(organisation=taby)
    p.cost_share = "12.50"
    p.save()
    p.refresh_from_db()
    p.cost_share = 12.5  # the same share written another way: no change
    p.save()
    p.cost_share = 13
    p.save()
    log = changelog.change_log(changelog.arrangement_log_parts(shared_arrangement, access=None))
    shares = [(c.old, c.new) for e in log for c in e.changes if c.field == "cost_share"]
    assert shares == [("12,5", "13"), ("–", "12,5")]


def test_a_changed_reference_is_named_not_numbered(client, shared_arrangement, taby, taby_editor):
    # "Ansvarig tjänsteperson: – → nr 13" said nothing; the log names the person.
    owner = f.make_person(name="Eva Ek", organisation=taby)
    p = shared_arrangement.participations.get(organisation=taby)
    p.admin_owner = owner
    p.save()
    client.force_login(taby_editor)
    page = client.get(shared_arrangement.get_absolute_url()).content.decode()
    assert "Eva Ek</ins>" in page
    assert f"nr {owner.pk}</ins>" not in page


def test_a_reference_to_what_the_user_may_not_see_stays_a_number(shared_arrangement, taby):
    hidden = f.make_arrangement(name="Hemlig samverkan", is_published=False)
    goal = f.make_goal(arrangement=hidden, title="Hemligt mål")
    known = changelog._name_references(
        [
            {
                "log_model": "goal",
                "log_data": {"parent_id": goal.pk},
                "log_prev": {"parent_id": None},
            }
        ],
        {},
        Access.for_user(f.make_user("utomstaende")),
    )
    assert ("goal", goal.pk) not in known
