"""URLs of the internal register, namespace ``register:`` (names and paths are a contract)."""

from django.urls import path

from . import edit, join, review_flow, views

app_name = "register"

urlpatterns = [
    # Reading
    path("", views.home, name="home"),
    path("samverkan/", views.ArrangementListView.as_view(), name="arrangement_list"),
    path("samverkan/<int:pk>/", views.arrangement_detail, name="arrangement_detail"),
    path("organisationer/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisationer/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("personer/", views.PersonListView.as_view(), name="person_list"),
    path("personer/<int:pk>/", views.person_detail, name="person_detail"),
    path("beslut/", views.DecisionListView.as_view(), name="decision_list"),
    path("beslut/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("genomgangar/", views.ReviewListView.as_view(), name="review_list"),
    path("genomgangar/<int:pk>/", views.review_detail, name="review_detail"),
    # Editing: arrangements and what is edited from them
    path("samverkan/ny/", edit.arrangement_create, name="arrangement_create"),
    path("samverkan/<int:pk>/andra/", edit.arrangement_update, name="arrangement_update"),
    path("samverkan/<int:pk>/ta-bort/", edit.arrangement_delete, name="arrangement_delete"),
    path(
        "samverkan/<int:pk>/deltagare/",
        edit.arrangement_participations,
        name="arrangement_participations",
    ),
    path("samverkan/<int:pk>/organ/", edit.arrangement_bodies, name="arrangement_bodies"),
    path(
        "samverkan/<int:pk>/totala-kostnader/",
        edit.arrangement_totalcosts,
        name="arrangement_totalcosts",
    ),
    path("deltaganden/<int:pk>/andra/", edit.participation_update, name="participation_update"),
    path("deltaganden/<int:pk>/ta-bort/", edit.participation_delete, name="participation_delete"),
    path("deltaganden/<int:pk>/kostnader/", edit.participation_costs, name="participation_costs"),
    path("organ/<int:pk>/uppdrag/", edit.body_seats, name="body_seats"),
    # Goals
    path(
        "samverkan/<int:pk>/mal/nytt/", edit.arrangement_goal_create, name="arrangement_goal_create"
    ),
    path(
        "organisationer/<int:pk>/mal/nytt/",
        edit.organisation_goal_create,
        name="organisation_goal_create",
    ),
    path("mal/<int:pk>/andra/", edit.goal_update, name="goal_update"),
    path("mal/<int:pk>/ta-bort/", edit.goal_delete, name="goal_delete"),
    path(
        "samverkan/<int:pk>/malbidrag/nytt/", edit.contribution_create, name="contribution_create"
    ),
    path("malbidrag/<int:pk>/andra/", edit.contribution_update, name="contribution_update"),
    path("malbidrag/<int:pk>/ta-bort/", edit.contribution_delete, name="contribution_delete"),
    path(
        "samverkan/<int:pk>/malkonflikter/ny/", edit.goalconflict_create, name="goalconflict_create"
    ),
    path("malkonflikter/<int:pk>/andra/", edit.goalconflict_update, name="goalconflict_update"),
    path("malkonflikter/<int:pk>/ta-bort/", edit.goalconflict_delete, name="goalconflict_delete"),
    # Follow-up, alternatives, decisions
    path("samverkan/<int:pk>/uppfoljningar/ny/", edit.evaluation_create, name="evaluation_create"),
    path("uppfoljningar/<int:pk>/andra/", edit.evaluation_update, name="evaluation_update"),
    path("uppfoljningar/<int:pk>/ta-bort/", edit.evaluation_delete, name="evaluation_delete"),
    path("samverkan/<int:pk>/alternativ/nytt/", edit.alternative_create, name="alternative_create"),
    path("alternativ/<int:pk>/andra/", edit.alternative_update, name="alternative_update"),
    path("alternativ/<int:pk>/ta-bort/", edit.alternative_delete, name="alternative_delete"),
    path("samverkan/<int:pk>/beslut/nytt/", edit.decision_create, name="decision_create"),
    path("beslut/<int:pk>/andra/", edit.decision_update, name="decision_update"),
    path("beslut/<int:pk>/ta-bort/", edit.decision_delete, name="decision_delete"),
    # People and organisations
    path("personer/ny/", edit.person_create, name="person_create"),
    path("personer/<int:pk>/andra/", edit.person_update, name="person_update"),
    path("personer/<int:pk>/ta-bort/", edit.person_delete, name="person_delete"),
    path("organisationer/ny/", edit.organisation_create, name="organisation_create"),
    path("organisationer/<int:pk>/andra/", edit.organisation_update, name="organisation_update"),
    path("organisationer/<int:pk>/ta-bort/", edit.organisation_delete, name="organisation_delete"),
    # Strategic reviews
    path("genomgangar/ny/", edit.review_create, name="review_create"),
    path("genomgangar/<int:pk>/andra/", edit.review_update, name="review_update"),
    path("genomgangar/<int:pk>/ta-bort/", edit.review_delete, name="review_delete"),
    path("genomgangar/<int:pk>/punkter/", edit.review_items, name="review_items"),
    path("genomgangar/<int:pk>/avsluta/", review_flow.review_close, name="review_close"),
    path("genomgangar/<int:pk>/underlag/", review_flow.review_pack, name="review_pack"),
    path("genomgangar/<int:pk>/underlag.pdf", review_flow.review_pack_pdf, name="review_pack_pdf"),
    path(
        "genomgangspunkter/<int:pk>/andra/",
        review_flow.review_item_update,
        name="review_item_update",
    ),
    path(
        "genomgangspunkter/<int:pk>/uppfoljning/",
        review_flow.review_item_followup,
        name="review_item_followup",
    ),
    path(
        "genomgangspunkter/<int:pk>/malkonflikt/ny/",
        review_flow.review_item_goalconflict,
        name="review_item_goalconflict",
    ),
    path(
        "genomgangspunkter/<int:pk>/alternativ/nytt/",
        review_flow.review_item_alternative,
        name="review_item_alternative",
    ),
    # What is due, mandate-period readiness, the calendar feed
    path(
        "organisationer/<int:pk>/att-gora/", review_flow.organisation_due, name="organisation_due"
    ),
    path(
        "organisationer/<int:pk>/mandatperiod/",
        review_flow.organisation_term,
        name="organisation_term",
    ),
    path("kalender/", review_flow.calendar_settings, name="calendar_settings"),
    path("kalender/<str:token>.ics", review_flow.calendar_feed, name="calendar_feed"),
    # Requests to join an arrangement
    path(
        "samverkan/<int:pk>/begar-deltagande/",
        join.join_request_create,
        name="join_request_create",
    ),
    path("begaran-om-deltagande/", join.join_request_list, name="join_request_list"),
    path(
        "begaran-om-deltagande/<int:pk>/godkann/",
        join.join_request_accept,
        name="join_request_accept",
    ),
    path(
        "begaran-om-deltagande/<int:pk>/avsla/",
        join.join_request_decline,
        name="join_request_decline",
    ),
]
