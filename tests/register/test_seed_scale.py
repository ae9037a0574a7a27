"""seed_scale: a deterministic synthetic national register; a second run refuses unless --replace."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum

from register.management.commands import seed_scale as seed_module
from register.management.commands.seed_scale import (
    ScaleDataExists,
    delete_scale_data,
    scale_arrangements,
    seed_scale,
)
from register.models import (
    AgendaItem,
    Arrangement,
    Body,
    CooperationForm,
    Cost,
    Decision,
    Evaluation,
    Meeting,
    Organisation,
    Participation,
    Person,
    Position,
    Seat,
)
from register.rules import deciding_body, participant_role

SMALL = {"arrangements": 120, "years": 4}


def fingerprint():
    """What must be equal for the same seed: names, counts and cost sums, read from the database."""
    arrangements = scale_arrangements()
    costs = Cost.objects.filter(participation__arrangement__in=arrangements)
    return {
        "names": list(arrangements.order_by("external_id").values_list("name", flat=True)),
        "participations": list(
            Participation.objects.filter(arrangement__in=arrangements)
            .order_by("arrangement__external_id", "organisation__code", "organisation__name")
            .values_list("arrangement__external_id", "organisation__name", "role")
        ),
        "seats": Seat.objects.filter(body__arrangement__in=arrangements).count(),
        "people": list(
            Person.objects.filter(internal_note="seed_scale")
            .order_by("organisation__code", "pk")
            .values_list("name", "party")
        ),
        "decisions": Decision.objects.filter(arrangement__in=arrangements).count(),
        "costs": costs.aggregate(
            n=Count("pk"), b=Sum("budget"), o=Sum("outcome"), f=Sum("forecast")
        ),
    }


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_register():
    first_result = seed_scale(seed=7, **SMALL)
    first = fingerprint()
    seed_scale(seed=7, replace=True, **SMALL)
    assert fingerprint() == first
    assert first["costs"]["b"] + first["costs"]["o"] + first["costs"]["f"] == first_result.cost_sum


@pytest.mark.django_db
def test_another_seed_gives_another_register():
    seed_scale(seed=7, **SMALL)
    first = fingerprint()
    seed_scale(seed=8, replace=True, **SMALL)
    second = fingerprint()
    assert second["costs"] != first["costs"]
    assert len(second["names"]) == len(first["names"]) == SMALL["arrangements"]


@pytest.mark.django_db
def test_a_second_run_refuses_without_replace_and_changes_nothing():
    call_command("seed_scale", "--arrangements", "30", "--years", "3", stdout=StringIO())
    before = fingerprint()
    with pytest.raises(CommandError, match="--replace"):
        call_command("seed_scale", "--arrangements", "30", "--years", "3", stdout=StringIO())
    with pytest.raises(ScaleDataExists):
        seed_scale(arrangements=30, years=3)
    assert fingerprint() == before


@pytest.mark.django_db
def test_replace_replaces_only_the_synthetic_data(shared_arrangement):
    people_before = Person.objects.count()
    call_command("seed_scale", "--arrangements", "30", "--years", "3", stdout=StringIO())
    call_command(
        "seed_scale", "--arrangements", "20", "--years", "3", "--replace", stdout=StringIO()
    )
    assert scale_arrangements().count() == 20
    assert Arrangement.objects.filter(pk=shared_arrangement.pk).exists()
    assert shared_arrangement.participations.count() == 2
    assert delete_scale_data() == 20
    assert Arrangement.objects.count() == 1
    assert Person.objects.count() == people_before
    assert not Cost.objects.exists() and not Body.objects.exists()


@pytest.mark.django_db
def test_it_writes_no_history():
    seed_scale(arrangements=40, years=3)
    assert Arrangement.history.count() == 0
    assert Cost.history.count() == 0
    assert Participation.history.count() == 0


@pytest.mark.django_db
def test_the_data_look_like_a_national_register():
    result = seed_scale(arrangements=400, years=5, seed=3)
    arrangements = scale_arrangements()
    assert arrangements.count() == result.arrangements == 400
    # clearly synthetic
    for a in arrangements.only("name", "external_id")[:50]:
        assert a.name.startswith(f"Syntetisk samverkan {a.external_id[6:]}")
        assert a.external_id.startswith("scale-")
    # 2–12 participants, mostly within one county
    sizes = arrangements.annotate(n=Count("participations")).values_list("n", flat=True)
    assert min(sizes) >= 2 and max(sizes) <= 12
    same_county = total = 0
    for a in arrangements.prefetch_related("participations__organisation"):
        orgs = [
            p.organisation for p in a.participations.all() if p.organisation.kind == "municipality"
        ]
        counties = [o.county_id for o in orgs]
        total += len(counties)
        same_county += counties.count(max(set(counties), key=counties.count))
    assert same_county / total > 0.7
    # several forms, every participation has a cost for every year
    assert arrangements.values("form").distinct().count() >= 6
    assert Cost.objects.count() == result.participations * 5
    assert Cost.objects.filter(year=2026, outcome__isnull=True, forecast__isnull=False).count() == (
        result.participations
    )
    assert Body.objects.count() == result.bodies and Seat.objects.count() == result.seats
    assert Decision.objects.filter(kind="entry").count() == 400
    # every body has two meetings of three items; each appointing organisation takes a position
    # on the first item of each meeting
    assert Meeting.objects.count() == result.meetings == 2 * result.bodies
    assert AgendaItem.objects.count() == 3 * result.meetings
    appointers = Seat.objects.values("body", "appointed_by").distinct().count()
    assert Position.objects.count() == result.positions == appointers * 2
    assert Meeting.objects.filter(status="held").count() == result.bodies


@pytest.mark.django_db
def test_the_command_rejects_nonsense_arguments():
    with pytest.raises(CommandError, match="minst 1 samverkan"):
        call_command("seed_scale", "--arrangements", "0", stdout=StringIO())


@pytest.mark.django_db
def test_coordination_federations_include_the_region_and_the_state():
    seed_scale(arrangements=300, years=2, seed=5)
    finsam = scale_arrangements().filter(form__slug="coordination_federation")
    assert finsam.exists()
    for a in finsam.prefetch_related("participations__organisation"):
        kinds = [p.organisation.kind for p in a.participations.all()]
        assert kinds.count(Organisation.Kind.REGION) == 1
        assert kinds.count(Organisation.Kind.STATE_AGENCY) == 2
    assert Organisation.objects.filter(kind="municipality").count() == 290


@pytest.mark.django_db
def test_every_kind_of_seeded_row_passes_full_clean():
    seed_scale(arrangements=60, years=2, seed=4)
    arrangements = scale_arrangements()
    samples = {
        Arrangement: arrangements,
        Participation: Participation.objects.filter(arrangement__in=arrangements),
        Body: Body.objects.filter(arrangement__in=arrangements),
        Seat: Seat.objects.filter(body__arrangement__in=arrangements),
        Person: Person.objects.filter(internal_note="seed_scale"),
        Cost: Cost.objects.filter(participation__arrangement__in=arrangements),
        Decision: Decision.objects.filter(arrangement__in=arrangements),
        Evaluation: Evaluation.objects.filter(arrangement__in=arrangements),
        Meeting: Meeting.objects.filter(body__arrangement__in=arrangements),
        AgendaItem: AgendaItem.objects.filter(meeting__body__arrangement__in=arrangements),
        Position: Position.objects.filter(item__meeting__body__arrangement__in=arrangements),
    }
    for model, rows in samples.items():
        picked = list(rows.order_by("?")[:15])
        assert picked, model
        for row in picked:
            row.full_clean()


@pytest.mark.django_db
def test_it_refuses_a_value_the_forms_would_refuse_and_writes_nothing(monkeypatch):
    monkeypatch.setattr(seed_module, "FIRST_NAMES", ["Ett förnamn långt som en roman " * 10])
    with pytest.raises(ValidationError, match="namn"):
        seed_scale(arrangements=5, years=2)
    assert not Person.objects.filter(internal_note="seed_scale").exists()
    assert not scale_arrangements().exists()


@pytest.mark.django_db
def test_roles_and_deciding_bodies_are_the_rules():
    seed_scale(arrangements=300, years=1, seed=2)
    for p in Participation.objects.filter(arrangement__in=scale_arrangements()).select_related(
        "arrangement__form"
    ):
        is_host = p.organisation_id == p.arrangement.host_id
        assert p.role == participant_role(p.arrangement.form, is_host=is_host)
    for slug in ("coordination_federation", "joint_company", "municipal_federation"):
        kind, name = deciding_body(CooperationForm.objects.get(slug=slug))
        arrangements = scale_arrangements().filter(form__slug=slug)
        assert arrangements.exists(), slug
        for a in arrangements:
            assert a.bodies.filter(kind=kind, name=name, powers="decides").exists()
        later = Decision.objects.filter(arrangement__in=arrangements).exclude(kind="entry")
        assert set(later.values_list("deciding_body", flat=True)) <= {name}


@pytest.mark.django_db
def test_every_seeded_host_is_one_of_its_parties():
    from register.rules import host_is_party

    seed_scale(arrangements=120, years=1, seed=3)
    hosted = scale_arrangements().exclude(host=None)
    assert hosted.exists()
    for a in hosted.prefetch_related("participations"):
        assert host_is_party(a.host_id, [p.organisation_id for p in a.participations.all()])


@pytest.mark.django_db
def test_the_seed_refuses_a_host_that_is_not_a_party(monkeypatch):
    original = seed_module.add_participations

    def without_the_host(rng, ref, records, arrangement, plan):
        if arrangement.host_id is not None:
            plan.members = [o for o in plan.members if o.pk != arrangement.host_id]
            plan.extra = [o for o in plan.extra if o.pk != arrangement.host_id]
        return original(rng, ref, records, arrangement, plan)

    monkeypatch.setattr(seed_module, "add_participations", without_the_host)
    with pytest.raises(CommandError, match="kan inte vara värd"):
        seed_scale(arrangements=20, years=1, seed=3)
