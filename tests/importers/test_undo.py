"""Undo never deletes or changes what anyone added or changed after the import; it refuses and
says who did what on which arrangement (issue 7, item 2)."""

import itertools
from datetime import date

import pytest
from django.apps import apps
from django.db import connection, models

from importers.models import ImportBatch
from importers.services import ImportRefused, batch_commit, batch_preview, batch_undo
from register.models import (
    Alternative,
    Arrangement,
    Body,
    Contribution,
    Cost,
    Decision,
    Evaluation,
    Goal,
    GoalConflict,
    JoinRequest,
    Membership,
    Participation,
    Review,
    ReviewItem,
    Seat,
    TotalCost,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

NAME = "Roslagens lönenämnd"


@pytest.fixture
def imported(taby, vaxholm, xlsx):
    """Täby's import created a joint committee with Vaxholm, Täby's cost and representatives."""
    data = xlsx(
        {
            "B": [
                [
                    "Namn",
                    "Samverkansform",
                    "Värdkommun",
                    "Parter",
                    "Kostnad 2024",
                    "Våra ledamöter",
                ],
                [NAME, "gem. nämnd", "Täby", "Vaxholm", 100, "Eva Lund (M), ordförande"],
            ]
        }
    )
    batch = batch_preview(data=data, file_name="lista.xlsx", organisation=taby)
    assert batch_commit(batch=batch).written
    arrangement = Arrangement.objects.get(name=NAME)
    return {
        "batch": batch,
        "arrangement": arrangement,
        "partner": arrangement.participations.get(organisation=vaxholm),
        "body": arrangement.bodies.get(),
    }


@pytest.fixture
def vaxholm_editor(vaxholm):
    return f.make_member(vaxholm, Membership.Role.EDITOR, "vaxholm-redaktor")


def saved_by(obj, user):
    """Save ``obj`` as ``user`` would through a form (the history records who)."""
    obj._history_user = user
    obj.save()
    return obj


def vaxholm_goal(vaxholm, user):
    return saved_by(Goal(organisation=vaxholm, title="Trygg kommun"), user)


# What another organisation (Vaxholm) may add to the imported arrangement, one builder each.
LATER_RECORDS = {
    "kostnad": lambda i, v, u: saved_by(Cost(participation=i["partner"], year=2024, outcome=7), u),
    "uppdrag": lambda i, v, u: saved_by(
        Seat(body=i["body"], person=f.make_person(name="Ola Ek", organisation=v), appointed_by=v),
        u,
    ),
    "målbidrag": lambda i, v, u: saved_by(
        Contribution(arrangement=i["arrangement"], goal=vaxholm_goal(v, u)), u
    ),
    "mål": lambda i, v, u: saved_by(Goal(arrangement=i["arrangement"], title="Snabb service"), u),
    "målkonflikt": lambda i, v, u: saved_by(
        GoalConflict(arrangement=i["arrangement"], goal=vaxholm_goal(v, u), description="Krock"), u
    ),
    "uppföljning": lambda i, v, u: saved_by(
        Evaluation(arrangement=i["arrangement"], organisation=v, date=date(2025, 1, 1)), u
    ),
    "beslut": lambda i, v, u: saved_by(
        Decision(
            arrangement=i["arrangement"],
            organisation=v,
            deciding_body="KS",
            date=date(2025, 1, 1),
            title="Utträde",
        ),
        u,
    ),
    "alternativ": lambda i, v, u: saved_by(
        Alternative(arrangement=i["arrangement"], organisation=v, kind="own_operation"), u
    ),
    "deltagande": lambda i, v, u: saved_by(
        Participation(arrangement=i["arrangement"], organisation=f.municipality("0330")), u
    ),
    "begäran om deltagande": lambda i, v, u: saved_by(
        JoinRequest(arrangement=i["arrangement"], organisation=f.municipality("0330")), u
    ),
    "total kostnad": lambda i, v, u: saved_by(
        TotalCost(arrangement=i["arrangement"], year=2024, outcome=9), u
    ),
    "samverkansorgan": lambda i, v, u: saved_by(
        Body(arrangement=i["arrangement"], kind="working_group", name="Arbetsgruppen"), u
    ),
    "genomgångspunkt": lambda i, v, u: saved_by(
        ReviewItem(
            review=saved_by(
                Review(organisation=v, date=date(2025, 2, 1), title="Genomgång"),
                u,
            ),
            participation=i["partner"],
        ),
        u,
    ),
}


@pytest.mark.parametrize("kind", LATER_RECORDS)
def test_undo_is_refused_when_another_organisation_added_a_record_since(
    kind, imported, vaxholm, vaxholm_editor
):
    record = LATER_RECORDS[kind](imported, vaxholm, vaxholm_editor)
    assert record._meta.verbose_name == kind
    with pytest.raises(ImportRefused) as refused:
        batch_undo(batch=imported["batch"])
    message = str(refused.value)
    assert f"Vaxholms kommun har lagt till {kind} ”{record}” i samverkan ”{NAME}”" in message
    assert message.startswith("Importen kan inte ångras")
    assert type(record).objects.filter(pk=record.pk).exists()
    assert Arrangement.objects.filter(pk=imported["arrangement"].pk).exists()
    imported["batch"].refresh_from_db()
    assert imported["batch"].mode == ImportBatch.Mode.COMMITTED


def test_undo_is_refused_when_another_organisation_changed_what_the_import_created(
    imported, vaxholm_editor
):
    partner = imported["partner"]
    partner.cost_share = 40
    saved_by(partner, vaxholm_editor)
    with pytest.raises(ImportRefused, match=f"Vaxholms kommun har ändrat deltagande ”{partner}”"):
        batch_undo(batch=imported["batch"])
    partner.refresh_from_db()
    assert partner.cost_share == 40


def test_undo_is_refused_when_the_importing_organisation_itself_added_data_since(
    imported, taby, taby_editor
):
    own = imported["arrangement"].participations.get(organisation=taby)
    cost = saved_by(Cost(participation=own, year=2025, budget=1), taby_editor)
    with pytest.raises(ImportRefused, match=f"Täby kommun har lagt till kostnad ”{cost}”"):
        batch_undo(batch=imported["batch"])
    assert Cost.objects.filter(pk=cost.pk).exists()


def test_undo_lists_a_few_obstacles_and_counts_the_rest(imported, vaxholm, vaxholm_editor):
    for year in range(2010, 2018):
        saved_by(Cost(participation=imported["partner"], year=year, outcome=1), vaxholm_editor)
    with pytest.raises(ImportRefused, match="Och 3 till"):
        batch_undo(batch=imported["batch"])


def test_undo_still_works_when_nothing_is_in_the_way(imported, vaxholm, vaxholm_editor):
    # Vaxholm's data elsewhere is not in the way.
    elsewhere = f.make_arrangement(name="Annan samverkan")
    saved_by(
        Cost(participation=f.make_participation(elsewhere, vaxholm), year=2024, outcome=3),
        vaxholm_editor,
    )
    batch_undo(batch=imported["batch"])
    assert not Arrangement.objects.filter(name=NAME).exists()
    assert not Participation.objects.filter(arrangement__name=NAME).exists()
    assert not Seat.objects.filter(person__name="Eva Lund").exists()
    assert Cost.objects.filter(participation__arrangement=elsewhere).exists()
    imported["batch"].refresh_from_db()
    assert imported["batch"].mode == ImportBatch.Mode.UNDONE


# --- A model added later is covered without changing the undo ---------------------------------

_names = itertools.count(1)


@pytest.fixture
def later_model():
    """Define a new register model at test time (a table in the test's transaction), as a
    developer might add one next year, and remove it afterwards."""
    made = []

    def make(target, on_delete):
        name = f"LaterNote{next(_names)}"
        attrs = {
            "__module__": "register.models",
            "target": models.ForeignKey(target, on_delete=on_delete, null=True, related_name="+"),
            "text": models.CharField(max_length=50, default="anteckning"),
            "Meta": type("Meta", (), {"app_label": "register", "verbose_name": "anteckning"}),
            "__str__": lambda self: self.text,
        }
        model = type(name, (models.Model,), attrs)
        made.append(model)
        # The table only (its foreign-key constraint is left out), created inside the test's
        # transaction; SQLite's schema editor refuses to open inside one, so not through it.
        editor = connection.schema_editor()
        editor.deferred_sql = []
        sql, params = editor.table_sql(model)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return model

    yield make
    for model in made:
        del apps.all_models["register"][model._meta.model_name]
    apps.clear_cache()


@pytest.mark.parametrize(
    ("target", "on_delete"),
    [
        (Arrangement, models.CASCADE),
        (Cost, models.CASCADE),  # two hops from the arrangement
        (Seat, models.CASCADE),  # through the body
        (Arrangement, models.SET_NULL),  # the undo would change it
        (Participation, models.PROTECT),  # the undo would be refused half-way
        (JoinRequest, models.CASCADE),
    ],
)
def test_a_model_added_later_that_refers_to_imported_records_is_checked(
    imported, later_model, taby, target, on_delete
):
    if target is JoinRequest:  # an import that sends a request to join
        join_request = JoinRequest.objects.create(
            arrangement=f.make_arrangement(name="Andras", is_published=True),
            organisation=taby,
        )
        imported["batch"].rows.update(journal=[])
        row = imported["batch"].rows.first()
        row.journal = [{"op": "create", "model": "register.joinrequest", "pk": join_request.pk}]
        row.save()
        referred = join_request
    else:
        referred = {
            Arrangement: imported["arrangement"],
            Cost: Cost.objects.get(participation__arrangement=imported["arrangement"]),
            Seat: Seat.objects.get(body=imported["body"]),
            Participation: imported["partner"],
        }[target]
    model = later_model(target, on_delete)
    note = model.objects.create(target=referred, text="Vaxholms notering")
    with pytest.raises(ImportRefused, match="har lagt till anteckning ”Vaxholms notering”"):
        batch_undo(batch=imported["batch"])
    assert model.objects.filter(pk=note.pk, target=referred).exists()


def test_the_undo_page_says_what_is_in_the_way_before_anyone_clicks(
    client, imported, vaxholm, vaxholm_editor, taby_editor
):
    from django.urls import reverse

    cost = LATER_RECORDS["kostnad"](imported, vaxholm, vaxholm_editor)
    client.force_login(taby_editor)
    url = reverse("importers:batch_undo", args=[imported["batch"].pk])
    page = client.get(url).content.decode()
    assert f"Vaxholms kommun har lagt till kostnad ”{cost}”" in page
    assert 'type="submit" class="danger"' not in page
    response = client.post(url, follow=True)
    assert "Vaxholms kommun har lagt till kostnad" in response.content.decode()
    assert Cost.objects.filter(pk=cost.pk).exists()
