"""Edit URLs of the internal register (names are a contract: see the README)."""

from django.urls import path

from . import edit_views as v

urlpatterns = [
    # Arrangements and what is edited from them
    path("samverkan/ny/", v.arrangement_create, name="arrangement_create"),
    path("samverkan/<int:pk>/andra/", v.arrangement_update, name="arrangement_update"),
    path("samverkan/<int:pk>/ta-bort/", v.arrangement_delete, name="arrangement_delete"),
    path(
        "samverkan/<int:pk>/deltagare/",
        v.arrangement_participations,
        name="arrangement_participations",
    ),
    path("samverkan/<int:pk>/organ/", v.arrangement_bodies, name="arrangement_bodies"),
    path(
        "samverkan/<int:pk>/totala-kostnader/",
        v.arrangement_totalcosts,
        name="arrangement_totalcosts",
    ),
    path("deltaganden/<int:pk>/andra/", v.participation_update, name="participation_update"),
    path("deltaganden/<int:pk>/ta-bort/", v.participation_delete, name="participation_delete"),
    path("deltaganden/<int:pk>/kostnader/", v.participation_costs, name="participation_costs"),
    path("organ/<int:pk>/uppdrag/", v.body_seats, name="body_seats"),
    # Goals
    path("samverkan/<int:pk>/mal/nytt/", v.arrangement_goal_create, name="arrangement_goal_create"),
    path(
        "organisationer/<int:pk>/mal/nytt/",
        v.organisation_goal_create,
        name="organisation_goal_create",
    ),
    path("mal/<int:pk>/andra/", v.goal_update, name="goal_update"),
    path("mal/<int:pk>/ta-bort/", v.goal_delete, name="goal_delete"),
    path("samverkan/<int:pk>/malbidrag/nytt/", v.contribution_create, name="contribution_create"),
    path("malbidrag/<int:pk>/andra/", v.contribution_update, name="contribution_update"),
    path("malbidrag/<int:pk>/ta-bort/", v.contribution_delete, name="contribution_delete"),
    path("samverkan/<int:pk>/malkonflikter/ny/", v.goalconflict_create, name="goalconflict_create"),
    path("malkonflikter/<int:pk>/andra/", v.goalconflict_update, name="goalconflict_update"),
    path("malkonflikter/<int:pk>/ta-bort/", v.goalconflict_delete, name="goalconflict_delete"),
    # Follow-up, alternatives, decisions
    path("samverkan/<int:pk>/uppfoljningar/ny/", v.evaluation_create, name="evaluation_create"),
    path("uppfoljningar/<int:pk>/andra/", v.evaluation_update, name="evaluation_update"),
    path("uppfoljningar/<int:pk>/ta-bort/", v.evaluation_delete, name="evaluation_delete"),
    path("samverkan/<int:pk>/alternativ/nytt/", v.alternative_create, name="alternative_create"),
    path("alternativ/<int:pk>/andra/", v.alternative_update, name="alternative_update"),
    path("alternativ/<int:pk>/ta-bort/", v.alternative_delete, name="alternative_delete"),
    path("samverkan/<int:pk>/beslut/nytt/", v.decision_create, name="decision_create"),
    path("beslut/<int:pk>/andra/", v.decision_update, name="decision_update"),
    path("beslut/<int:pk>/ta-bort/", v.decision_delete, name="decision_delete"),
    # People and organisations
    path("personer/ny/", v.person_create, name="person_create"),
    path("personer/<int:pk>/andra/", v.person_update, name="person_update"),
    path("personer/<int:pk>/ta-bort/", v.person_delete, name="person_delete"),
    path("organisationer/ny/", v.organisation_create, name="organisation_create"),
    path("organisationer/<int:pk>/andra/", v.organisation_update, name="organisation_update"),
    path("organisationer/<int:pk>/ta-bort/", v.organisation_delete, name="organisation_delete"),
    # Strategic reviews
    path("genomgangar/ny/", v.review_create, name="review_create"),
    path("genomgangar/<int:pk>/andra/", v.review_update, name="review_update"),
    path("genomgangar/<int:pk>/ta-bort/", v.review_delete, name="review_delete"),
    path("genomgangar/<int:pk>/punkter/", v.review_items, name="review_items"),
]
