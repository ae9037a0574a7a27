"""load_demo: the 44 real arrangements with their 219 memberships, Täby's illustrative portfolio,
the demo users, and idempotence."""

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from register import rules
from register.data import demo_portfolio as P
from register.demo import load_demo
from register.models import (
    Arrangement,
    Body,
    CooperationForm,
    Cost,
    Decision,
    Evaluation,
    Goal,
    GoalConflict,
    Membership,
    Organisation,
    Participation,
    Person,
    Review,
    Seat,
)
from register.validators import luhn_ok

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
PROJECT_DATA = Path(__file__).resolve().parents[2] / "register" / "data"
DATA = SHARED if (SHARED / "arrangements.csv").exists() else PROJECT_DATA


def read(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# Every test is a database test, so that pytest-django runs them before the transactional ones,
# which flush the database (the demo is loaded once for the module, outside the tests').
pytestmark = pytest.mark.django_db

ARRANGEMENT_ROWS = read("arrangements.csv")
MEMBER_ROWS = read("arrangement_members.csv")
REAL_IDS = [r["id"] for r in ARRANGEMENT_ROWS]


@pytest.fixture
def taby(demo, db):
    return Organisation.objects.get(code=P.TABY)


def real():
    return Arrangement.objects.filter(external_id__in=REAL_IDS)


def register_counts():
    """Row counts of every model in the register app, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("register").get_models()
    }


# --- the real arrangements -----------------------------------------------------------------


def test_the_shipped_files_are_the_shared_facts():
    for name in ("arrangements.csv", "arrangement_members.csv"):
        assert (PROJECT_DATA / name).read_bytes() == (DATA / name).read_bytes()
    assert len(ARRANGEMENT_ROWS) == 44
    assert len(MEMBER_ROWS) == 219


def test_it_loads_44_real_arrangements_with_219_participations(demo, db):
    assert real().count() == 44
    assert Participation.objects.filter(arrangement__in=real()).count() == 219
    assert not real().filter(is_published=False).exists()
    assert not real().filter(is_example=True).exists()


def test_each_member_is_on_the_right_kommunkod_or_county_code(demo, db):
    parts = {
        (p.arrangement.external_id, p.organisation.kind, p.organisation.code or p.organisation.name)
        for p in Participation.objects.filter(arrangement__in=real()).select_related(
            "arrangement", "organisation"
        )
    }
    kinds = {"kommun": "municipality", "region": "region"}
    for row in MEMBER_ROWS:
        if row["member_type"] in kinds:
            key = (row["arrangement_id"], kinds[row["member_type"]], row["member_code"])
        elif row["member_type"] == "stat":
            key = (row["arrangement_id"], "state_agency", row["member_name"])
        else:
            key = (row["arrangement_id"], "federation", row["member_name"])
        assert key in parts, row
    for row in ARRANGEMENT_ROWS:
        expected = sum(1 for m in MEMBER_ROWS if m["arrangement_id"] == row["id"])
        assert Participation.objects.filter(arrangement__external_id=row["id"]).count() == expected


def test_a_municipal_member_is_the_municipality_with_that_code_and_name(demo, db):
    for row in MEMBER_ROWS:
        if row["member_type"] != "kommun":
            continue
        p = Participation.objects.select_related("organisation").get(
            arrangement__external_id=row["arrangement_id"], organisation__code=row["member_code"]
        )
        assert p.organisation.kind == Organisation.Kind.MUNICIPALITY
        assert p.organisation.short_name == row["member_name"]
        assert p.role == row["role"]


def test_it_maps_the_files_forms_and_statuses(demo, db):
    forms = {"kommunalforbund": "municipal_federation", "gemensam_namnd": "joint_committee"}
    forms |= {"avtalssamverkan": "agreement", "samordningsforbund": "coordination_federation"}
    statuses = {"active": "active", "dissolved": "ended", "in_liquidation": "winding_up"}
    for row in ARRANGEMENT_ROWS:
        a = Arrangement.objects.select_related("form").get(external_id=row["id"])
        assert a.form.slug == forms[row["form"]]
        assert a.status == statuses[row["status"]]
        assert a.name == row["name"]
        assert a.source_urls.splitlines() == [u.strip() for u in row["sources"].split("|")]


def test_a_bare_founding_year_becomes_1_january_with_a_note(demo, db):
    sbff = Arrangement.objects.get(external_id="sbff")
    assert sbff.start_date == date(1993, 1, 1)
    assert "endast året 1993" in sbff.internal_note
    ssbf = Arrangement.objects.get(external_id="ssbf")
    assert ssbf.start_date == date(2009, 1, 1)
    assert "endast" not in ssbf.internal_note
    assert Arrangement.objects.get(external_id="sorf").start_date is None


def test_member_dates_follow_the_file(demo, db):
    perstorp = Participation.objects.get(
        arrangement__external_id="raddsam_fh", organisation__code="1275"
    )
    assert perstorp.joined == date(2015, 1, 1)
    assert "joined 2015" in perstorp.internal_note
    gavle = Participation.objects.get(
        arrangement__external_id="inkop_gavleborg", organisation__code="2180"
    )
    assert gavle.left == date(2019, 12, 31)


def test_free_text_areas_map_to_service_areas_and_unmapped_text_is_kept(demo, db):
    def slugs(ext):
        return set(
            Arrangement.objects.get(external_id=ext).service_areas.values_list("slug", flat=True)
        )

    assert slugs("ssbf") == {"raddningstjanst"}
    assert slugs("srmh") == {"miljo_bygg"}
    assert slugs("taby_alkohol") == {"miljo_bygg"}
    assert slugs("bmn_bergslagen") == {"miljo_bygg"}
    assert slugs("sf_aksst") == {"arbetsmarknad_rehabilitering"}
    assert slugs("teknisk_bergslagen") == {"vatten_avlopp", "avfall", "gator_teknik"}
    assert slugs("tolk_vast") == set()
    assert "tolkförmedling" in Arrangement.objects.get(external_id="tolk_vast").public_description
    assert "bostadsanpassning" in Arrangement.objects.get(external_id="vmkf").public_description


def test_hosts_are_linked_by_name(demo, db):
    assert Arrangement.objects.get(external_id="srmh").host.code == "0160"
    assert Arrangement.objects.get(external_id="ofn_uppsala").host.code == "0380"
    jh = Arrangement.objects.get(external_id="jh_service").host
    assert (jh.kind, jh.code) == (Organisation.Kind.REGION, "23")


def test_state_agencies_exist_once_with_valid_orgnr(demo, db):
    for name, orgnr in (("Försäkringskassan", "2021005521"), ("Arbetsförmedlingen", "2021002114")):
        agency = Organisation.objects.get(name=name)
        assert agency.kind == Organisation.Kind.STATE_AGENCY
        assert agency.orgnr == orgnr and luhn_ok(agency.orgnr)
        assert agency.participations.filter(arrangement__external_id__startswith="sf_").count() == 4


def test_the_federation_member_is_the_legal_entity_of_its_arrangement(demo, db):
    hrf = Arrangement.objects.get(external_id="hrf")
    federation = Organisation.objects.get(name="Höglandets räddningstjänstförbund")
    assert federation.kind == Organisation.Kind.FEDERATION
    assert hrf.legal_entity == federation
    provider = Participation.objects.get(arrangement__external_id="hrf_savsjo", role="provider")
    assert provider.organisation == federation
    purchaser = Participation.objects.get(arrangement__external_id="hrf_savsjo", role="purchaser")
    assert purchaser.organisation.code == "0684"


# --- idempotence ---------------------------------------------------------------------------


def test_running_it_twice_changes_nothing(demo, db):
    before = register_counts()
    users_before = get_user_model().objects.count()
    stamps = dict(Arrangement.objects.values_list("pk", "updated_at"))
    result = load_demo(password="another-password-1")
    assert result.stats.created == 0
    assert result.stats.updated == 0
    assert result.stats.unchanged > 600
    assert register_counts() == before  # history rows included
    assert get_user_model().objects.count() == users_before
    assert dict(Arrangement.objects.values_list("pk", "updated_at")) == stamps
    # an existing user's password is left alone
    assert get_user_model().objects.get(username="taby-redaktor").check_password("pw-demo-12345")


def test_it_repairs_a_changed_record_and_only_that(demo, db):
    Arrangement.objects.filter(external_id="ssbf").update(name="Fel namn")
    before = register_counts()
    result = load_demo()
    assert result.stats.updated == 1
    assert Arrangement.objects.get(external_id="ssbf").name == "Storstockholms brandförsvar"
    after = register_counts()
    # one new history row for the arrangement (with its snapshot of service areas), nothing else
    assert after.pop("register.HistoricalArrangement") == (
        before.pop("register.HistoricalArrangement") + 1
    )
    assert after.pop("register.HistoricalArrangement_service_areas") == (
        before.pop("register.HistoricalArrangement_service_areas") + 1
    )
    assert after == before


# --- Täby's illustrative portfolio -----------------------------------------------------------


def test_the_example_arrangements_are_flagged_and_real_ones_are_not(demo, db):
    examples = Arrangement.objects.filter(is_example=True)
    assert 6 <= examples.count() <= 8
    assert set(examples.values_list("external_id", flat=True)) == {a["key"] for a in P.ARRANGEMENTS}
    assert not Participation.objects.filter(arrangement__is_example=True, is_example=False).exists()
    assert not examples.filter(is_published=False).exists()
    # in the real arrangements only Täby's (illustrative) participations are flagged
    flagged = Participation.objects.filter(arrangement__in=real(), is_example=True)
    assert set(flagged.values_list("organisation__code", flat=True)) == {P.TABY}
    assert flagged.count() == 5


def test_every_illustrative_record_with_a_flag_is_flagged(demo, db):
    assert Person.objects.filter(is_example=False).count() == 0
    assert Person.objects.count() == len(P.PEOPLE)
    assert not Decision.objects.filter(is_example=False).exists()
    assert Review.objects.get().is_example


def test_taby_has_costs_for_2019_to_2026_on_every_participation(demo, taby):
    participations = Participation.objects.filter(organisation=taby)
    assert participations.count() == 12
    for p in participations:
        assert p.is_example
        costs = {c.year: c for c in p.costs.all()}
        assert sorted(costs) == list(range(2019, 2027)), p
        assert all(costs[y].outcome is not None for y in range(2019, 2026))
        assert costs[2026].outcome is None
        assert costs[2026].budget is not None and costs[2026].forecast is not None
        assert p.political_owner and p.admin_owner and p.political_body and p.admin_unit
        assert p.political_owner.kind == Person.Kind.POLITICIAN
        assert p.admin_owner.kind == Person.Kind.OFFICIAL


def test_taby_amounts_follow_the_example_list(demo, taby):
    ssbf = Cost.objects.filter(
        participation__organisation=taby, participation__arrangement__external_id="ssbf"
    )
    assert {c.year: c.outcome for c in ssbf if c.year in (2022, 2023, 2024)} == {
        2022: 41_200_000,
        2023: 43_100_000,
        2024: 45_950_000,
    }
    # a provider's revenue is a negative amount, as in the list
    alkohol = Cost.objects.get(
        participation__organisation=taby,
        participation__arrangement__external_id="taby_alkohol",
        year=2024,
    )
    assert alkohol.outcome == -1_310_000


def test_bodies_have_seats_appointed_by_taby_and_by_partners(demo, taby):
    srmh = Body.objects.get(arrangement__external_id="srmh")
    seats = list(srmh.seats.select_related("appointed_by"))
    by_org = {}
    for seat in seats:
        by_org.setdefault(seat.appointed_by.code, []).append(seat.role)
    assert len(by_org["0160"]) == 4 and "chair" in by_org["0160"]
    assert len(by_org["0187"]) == 2 and "vice_chair" in by_org["0187"]
    assert Seat.objects.filter(appointed_by=taby).count() >= 10
    assert Seat.objects.exclude(appointed_by=taby).count() >= 10
    appointed = Seat.objects.filter(appointed_by=taby, person__kind="politician")
    assert not appointed.filter(appointing_decision__isnull=True).exists()
    assert appointed.first().appointing_decision.kind == Decision.Kind.APPOINTMENT


def test_taby_has_a_goal_hierarchy_contributions_and_conflicts(demo, taby):
    goals = Goal.objects.filter(organisation=taby)
    vision = goals.get(level="vision")
    focus = goals.filter(level="focus_area")
    assert focus.count() == 3 and all(f.parent == vision for f in focus)
    assert (
        goals.filter(level="goal", parent__in=focus).count() == goals.filter(level="goal").count()
    )
    contributed = set(
        Participation.objects.filter(
            organisation=taby, arrangement__contributions__goal__organisation=taby
        ).values_list("arrangement_id", flat=True)
    )
    assert len(contributed) == 12
    conflicts = GoalConflict.objects.filter(goal__organisation=taby)
    assert conflicts.count() >= 2
    assert all(c.decision_id for c in conflicts)


def test_taby_has_evaluations_alternatives_decisions_and_a_review(demo, taby):
    assert Evaluation.objects.filter(arrangement__participations__organisation=taby).count() >= 5
    assert {"continue", "investigate", "renegotiate"} <= set(
        Evaluation.objects.values_list("recommendation", flat=True)
    )
    assert taby.alternatives.count() >= 4
    kinds = set(Decision.objects.filter(organisation=taby).values_list("kind", flat=True))
    assert {"entry", "tariff", "appointment"} <= kinds
    review = Review.objects.get(organisation=taby)
    assert review.items.count() == Participation.objects.filter(organisation=taby).count()


def test_demo_users_have_their_roles(demo, taby):
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    assert (
        Membership.objects.get(user__username="taby-redaktor", organisation=taby).role == "editor"
    )
    assert Membership.objects.get(user__username="taby-lasare", organisation=taby).role == "reader"
    assert Membership.objects.get(user__username="taby-admin", organisation=taby).role == "admin"
    assert not User.objects.get(username="taby-admin").is_staff
    assert User.objects.get(username="taby-lasare").check_password("pw-demo-12345")
    assert not User.objects.get(username="taby-lasare").is_staff


def test_the_command_prints_the_demo_logins(demo):
    assert "Verkliga samarbeten: 44 med 219 deltaganden." in demo
    for username in ("admin", "taby-redaktor", "taby-lasare", "taby-admin"):
        assert f"{username} / pw-demo-12345" in demo


# --- one write path: the services and the rules ----------------------------------------------


def test_the_roles_of_the_example_participants_are_the_rules(demo, db):
    for p in Participation.objects.filter(arrangement__is_example=True).select_related(
        "arrangement__form"
    ):
        is_host = p.organisation_id == p.arrangement.host_id
        assert p.role == rules.participant_role(p.arrangement.form, is_host=is_host), p


def test_the_deciding_body_of_the_example_federation_and_company_is_the_rules(demo, db):
    finsam = Arrangement.objects.get(external_id="demo-taby-finsam")
    kind, name = rules.deciding_body(CooperationForm.objects.get(slug="coordination_federation"))
    assert finsam.bodies.filter(kind=kind, name=name, powers="decides").exists()


def test_the_demo_reviews_assignments_are_followed_up_some_overdue_some_ahead(demo, taby):
    import datetime as dt

    from register.access import Access
    from register.selectors.due import due_rows

    review = Review.objects.get(organisation=taby)
    assert review.is_closed and review.term_start_year == 2022
    assert all(review.items.values_list("outcome", flat=True))
    rows = [
        r
        for r in due_rows(Access.for_organisation(taby), taby, dt.date(2026, 12, 1))
        if r.kind == "assignment"
    ]
    assert any(r.is_overdue for r in rows)
    assert any(not r.is_overdue for r in rows)


def test_every_internal_note_of_the_shipped_arrangements_is_in_swedish(demo, db):
    # The shared CSV keeps its compiler's English notes; the register shows them in Swedish.
    import re

    from register.data.notes_sv import NOTES_SV

    english = re.compile(r"\b(the|from|since|with|and|not in|members|after|joined|reports)\b")
    rows = list(csv.DictReader(open(DATA / "arrangements.csv", encoding="utf-8")))
    assert {r["id"] for r in rows if english.search(r["notes"])} <= set(NOTES_SV)
    for arrangement in Arrangement.objects.filter(name__in=[r["name"] for r in rows]):
        assert not english.search(arrangement.internal_note), arrangement
    kappala = Arrangement.objects.get(name__startswith="Käppalaförbundet")
    assert "håller på att gå med" in kappala.internal_note


# --- Our voice: meetings, positions, the representative's account ------------------------------


def test_taby_has_coming_meetings_in_three_bodies_with_positions(demo, taby):
    from django.utils import timezone

    from register.models import Meeting, Position

    today = rules.today()
    coming = Meeting.objects.filter(status="planned", starts_at__date__gt=today)
    assert {m.body.name for m in coming} == {
        "Direktionen",
        "Förbundsstyrelsen",
        "Förbundsfullmäktige",
    }
    meetings = Meeting.objects.filter(uid__startswith="demo-")
    assert meetings.values("body").distinct().count() == 4
    # Days count from the day the demo is loaded, so the demo stays current.
    days = {m.uid: (timezone.localtime(m.starts_at).date() - today).days for m in meetings}
    assert days == {
        "demo-srmh-1": -14,
        "demo-ssbf-1": 9,
        "demo-kappala-1": 23,
        "demo-kappala-2": 44,
    }
    positions = Position.objects.filter(organisation=taby)
    assert positions.count() == 7
    assert positions.filter(item__meeting__status="planned").count() == 5
    # An agenda item without a position of ours is on the agenda as well.
    assert Meeting.objects.get(uid="demo-ssbf-1").items.count() == 3


def test_the_one_message_page_flags_the_demos_sewage_tariff(demo, taby):
    # Käppala's board members are to oppose the tariff (KSAU), the delegate in the assembly
    # supports it by her own judgement: the same question, two messages.
    from register.access import Access
    from register.selectors.positions import default_period, one_message

    start, end = default_period(rules.today())
    reader = get_user_model().objects.get(username="taby-lasare")
    result = one_message(Access.for_user(reader), taby, start, end)
    assert [(q.title, q.body_count, q.differs) for q in result.flagged] == [
        ("Taxa för avloppsrening 2027", 2, True)
    ]


def test_the_held_meetings_outcome_became_the_bodys_published_decision(demo, taby):
    from register.models import Position

    position = Position.objects.get(
        organisation=taby, item__title="Taxa för prövning och tillsyn enligt miljöbalken 2027"
    )
    assert position.item.meeting.status == "held"
    assert position.outcome == "as_wanted"
    decision = position.decision
    assert decision.arrangement == position.item.meeting.body.arrangement
    assert decision.body == position.item.meeting.body
    assert decision.organisation is None  # the joint body's own decision
    assert decision.date == rules.today() - timedelta(days=14)
    assert decision.is_published and decision.is_example and decision.kind == "tariff"
    assert position.is_published and position.public_summary
    # The other item of the held meeting was postponed: an outcome without a decision.
    postponed = Position.objects.get(organisation=taby, item__title="Tillsynsplan 2027")
    assert (postponed.outcome, postponed.decision, postponed.is_published) == (
        "postponed",
        None,
        False,
    )


def test_insyn_says_what_taby_argued_for_beside_the_decision(demo, client):
    from django.urls import reverse

    from register.models import Position
    from register.public.selectors import arrangement_slug

    position = Position.objects.get(is_published=True)
    a = position.item.meeting.body.arrangement
    page = client.get(reverse("public:arrangement", args=[arrangement_slug(a.__dict__)]))
    text = page.content.decode()
    row = text.split(f'id="beslut-{position.decision_id}"')[1].split("</tr>")[0]
    assert "Täby kommuns företrädare drev: Täbys ledamöter ville" in row
    assert "Utfall: beslutet blev som Täby kommun ville." in row
    # The positions of the coming meetings stay internal.
    assert "Stationen ska ligga kvar" not in text


def test_a_representative_is_linked_to_a_demo_user(demo, taby):
    person = Person.objects.get(name="Maria Berg", organisation=taby)
    assert person.user.username == "taby-ledamot"
    assert Membership.objects.get(user=person.user, organisation=taby).role == "reader"
    assert Seat.objects.filter(person=person, body__meetings__uid="demo-ssbf-1").exists()
