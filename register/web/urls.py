"""URLs of the internal register, namespace ``register:`` (names and paths are a contract)."""

from django.urls import path, re_path

from ..models import (
    Alternative,
    Contribution,
    Decision,
    Evaluation,
    GoalConflict,
)
from . import (
    briefings,
    documents,
    edit,
    forms,
    join,
    meetings,
    network,
    our_voice,
    overview,
    pdf_jobs,
    register_extract,
    review_flow,
    search,
    users,
    views,
)

app_name = "register"


def _on_arrangement(name: str, model, form_class, create_view, *, new: str, own: str, anchor: str):
    """Return the URLs of one kind of record on an arrangement: ``<name>_create`` (from the
    arrangement, ``samverkan/<pk>/<new>/``), ``<name>_update`` and ``<name>_delete`` (from the
    record's own path ``<own>/<pk>/``)."""
    update = edit.OnArrangementUpdate.as_view(model=model, form_class=form_class)
    delete = edit.OnArrangementDelete.as_view(model=model, anchor=anchor)
    return [
        path(f"samverkan/<int:pk>/{new}/", create_view.as_view(), name=f"{name}_create"),
        path(f"{own}/<int:pk>/andra/", update, name=f"{name}_update"),
        path(f"{own}/<int:pk>/ta-bort/", delete, name=f"{name}_delete"),
    ]


urlpatterns = [
    # Reading
    path("", views.home, name="home"),
    path("sok/", search.search_page, name="search"),
    path("samverkan/", views.ArrangementListView.as_view(), name="arrangement_list"),
    path("samverkan/<int:pk>/", views.arrangement_detail, name="arrangement_detail"),
    path("organisationer/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisationer/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    # The organisation's users (issue 22): its administrator invites, sets roles, removes.
    path("organisationer/<int:pk>/anvandare/", users.organisation_users, name="organisation_users"),
    path(
        "organisationer/<int:pk>/anvandare/bjud-in/",
        users.invitation_create,
        name="invitation_create",
    ),
    path("behorigheter/<int:pk>/andra/", users.membership_update, name="membership_update"),
    path("behorigheter/<int:pk>/ta-bort/", users.membership_delete, name="membership_delete"),
    path("inbjudningar/<int:pk>/dra-tillbaka/", users.invitation_revoke, name="invitation_revoke"),
    # Accepting an invitation: no login needed (the token in the e-mail's link is the key).
    path("inbjudan/<str:token>/", users.invitation_accept, name="invitation_accept"),
    # The partner network
    path(
        "organisationer/<int:pk>/natverk/",
        network.organisation_network,
        name="organisation_network",
    ),
    path(
        "organisationer/<int:pk>/natverk/ladda-ned/",
        network.organisation_network_download,
        name="organisation_network_download",
    ),
    path(
        "organisationer/<int:pk>/inflytande/",
        network.organisation_influence,
        name="organisation_influence",
    ),
    path("natverk/", network.network_national, name="network_national"),
    path("natverk/ladda-ned/", network.network_download, name="network_download"),
    path("natverk/lan/<int:pk>/", network.network_county, name="network_county"),
    path(
        "natverk/lan/<int:pk>/ladda-ned/",
        network.network_county_download,
        name="network_county_download",
    ),
    path("personer/", views.PersonListView.as_view(), name="person_list"),
    path("personer/<int:pk>/", views.person_detail, name="person_detail"),
    # The register extract (GDPR art. 15): register/web/register_extract.py
    path(
        "personer/<int:pk>/registerutdrag/",
        register_extract.person_extract,
        name="person_extract",
    ),
    re_path(
        r"^personer/(?P<pk>[0-9]+)/registerutdrag\.(?P<fmt>json|pdf)$",
        register_extract.person_extract_file,
        name="person_extract_file",
    ),
    path("beslut/", views.DecisionListView.as_view(), name="decision_list"),
    path("beslut/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("genomgangar/", views.ReviewListView.as_view(), name="review_list"),
    path("genomgangar/<int:pk>/", views.review_detail, name="review_detail"),
    # The overview of a portfolio and the introduction pack
    path("oversikt/", overview.overview_index, name="overview_index"),
    path("oversikt/riket/", overview.overview_national, name="overview_national"),
    path("oversikt/lan/<int:pk>/", overview.overview_county, name="overview_county"),
    path("oversikt/<int:pk>/", overview.overview_organisation, name="overview_organisation"),
    path("oversikt/<int:pk>/tidslinje/", overview.overview_timeline, name="overview_timeline"),
    path("oversikt/<int:pk>/mal/", overview.overview_goals, name="overview_goals"),
    path("oversikt/<int:pk>/introduktion/", overview.intro_pack_html, name="intro_pack_html"),
    path("oversikt/<int:pk>/introduktion.pdf", overview.intro_pack_pdf, name="intro_pack_pdf"),
    path("oversikt/<int:pk>/introduktion.xlsx", overview.intro_pack_xlsx, name="intro_pack_xlsx"),
    # Editing: arrangements and what is edited from them
    path("samverkan/ny/", edit.ArrangementCreate.as_view(), name="arrangement_create"),
    path(
        "samverkan/<int:pk>/andra/",
        edit.ArrangementUpdate.as_view(),
        name="arrangement_update",
    ),
    path(
        "samverkan/<int:pk>/ta-bort/", edit.ArrangementDelete.as_view(), name="arrangement_delete"
    ),
    path(
        "samverkan/<int:pk>/deltagare/",
        edit.ArrangementParticipations.as_view(),
        name="arrangement_participations",
    ),
    path("samverkan/<int:pk>/organ/", edit.ArrangementBodies.as_view(), name="arrangement_bodies"),
    path(
        "samverkan/<int:pk>/totala-kostnader/",
        edit.ArrangementTotalCosts.as_view(),
        name="arrangement_totalcosts",
    ),
    path(
        "deltaganden/<int:pk>/andra/",
        edit.ParticipationUpdate.as_view(),
        name="participation_update",
    ),
    path(
        "deltaganden/<int:pk>/ta-bort/",
        edit.ParticipationDelete.as_view(),
        name="participation_delete",
    ),
    path(
        "deltaganden/<int:pk>/kostnader/",
        edit.ParticipationCosts.as_view(),
        name="participation_costs",
    ),
    path("organ/<int:pk>/uppdrag/", edit.BodySeats.as_view(), name="body_seats"),
    # Meetings of a body, their agendas, our positions and the information log
    # (register/web/meetings.py; the import of a meeting calendar is importers:meeting_import)
    path("organ/<int:pk>/sammantraden/", meetings.body_meetings, name="body_meetings"),
    path(
        "organ/<int:pk>/sammantraden/nytt/",
        meetings.MeetingCreate.as_view(),
        name="meeting_create",
    ),
    path("sammantraden/", meetings.meeting_index, name="meeting_index"),
    path("sammantraden/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("sammantraden/<int:pk>/andra/", meetings.MeetingUpdate.as_view(), name="meeting_update"),
    path("sammantraden/<int:pk>/ta-bort/", meetings.MeetingDelete.as_view(), name="meeting_delete"),
    path("sammantraden/<int:pk>/arenden/", meetings.MeetingItems.as_view(), name="meeting_items"),
    path(
        "arenden/<int:pk>/stallningstagande/",
        meetings.PositionCreate.as_view(),
        name="position_create",
    ),
    path(
        "stallningstaganden/<int:pk>/andra/",
        meetings.PositionUpdate.as_view(),
        name="position_update",
    ),
    path(
        "stallningstaganden/<int:pk>/ta-bort/",
        meetings.PositionDelete.as_view(),
        name="position_delete",
    ),
    path(
        "stallningstaganden/<int:pk>/utfall/",
        meetings.PositionOutcome.as_view(),
        name="position_outcome",
    ),
    path(
        "organisationer/<int:pk>/sammantraden/",
        meetings.organisation_meetings,
        name="organisation_meetings",
    ),
    path(
        "organisationer/<int:pk>/informationslogg/",
        meetings.information_log,
        name="information_log",
    ),
    # Goals
    path(
        "samverkan/<int:pk>/mal/nytt/",
        edit.ArrangementGoalCreate.as_view(),
        name="arrangement_goal_create",
    ),
    path(
        "organisationer/<int:pk>/mal/nytt/",
        edit.OrganisationGoalCreate.as_view(),
        name="organisation_goal_create",
    ),
    path(
        "mal/<int:pk>/andra/",
        edit.GoalUpdate.as_view(),
        name="goal_update",
    ),
    path("mal/<int:pk>/ta-bort/", edit.GoalDelete.as_view(), name="goal_delete"),
    # Records on an arrangement: goal links, goal conflicts, follow-up, alternatives, decisions
    *_on_arrangement(
        "contribution",
        Contribution,
        forms.ContributionForm,
        edit.ContributionCreate,
        new="malbidrag/nytt",
        own="malbidrag",
        anchor="mal",
    ),
    *_on_arrangement(
        "goalconflict",
        GoalConflict,
        forms.GoalConflictForm,
        edit.GoalConflictCreate,
        new="malkonflikter/ny",
        own="malkonflikter",
        anchor="malkonflikter",
    ),
    *_on_arrangement(
        "evaluation",
        Evaluation,
        forms.EvaluationForm,
        edit.EvaluationCreate,
        new="uppfoljningar/ny",
        own="uppfoljningar",
        anchor="uppfoljning",
    ),
    *_on_arrangement(
        "alternative",
        Alternative,
        forms.AlternativeForm,
        edit.AlternativeCreate,
        new="alternativ/nytt",
        own="alternativ",
        anchor="alternativ",
    ),
    *_on_arrangement(
        "decision",
        Decision,
        forms.DecisionForm,
        edit.DecisionCreate,
        new="beslut/nytt",
        own="beslut",
        anchor="beslut",
    ),
    # Governing documents (register/web/documents.py): files only through the download view
    path(
        "samverkan/<int:pk>/dokument/nytt/",
        documents.DocumentCreate.as_view(),
        name="document_create",
    ),
    path("dokument/<int:pk>/", documents.document_detail, name="document_detail"),
    path("dokument/<int:pk>/ladda-ned/", documents.document_download, name="document_download"),
    path(
        "dokument/<int:pk>/ny-version/",
        documents.DocumentNewVersion.as_view(),
        name="document_new_version",
    ),
    path("dokument/<int:pk>/andra/", documents.DocumentUpdate.as_view(), name="document_update"),
    path("dokument/<int:pk>/ta-bort/", documents.DocumentDelete.as_view(), name="document_delete"),
    path(
        "dokument/<int:pk>/lagkrav/",
        documents.DocumentChecklist.as_view(),
        name="document_checklist",
    ),
    # People and organisations
    path("personer/ny/", edit.PersonCreate.as_view(), name="person_create"),
    path(
        "personer/<int:pk>/andra/",
        edit.PersonUpdate.as_view(),
        name="person_update",
    ),
    path("personer/<int:pk>/ta-bort/", edit.PersonDelete.as_view(), name="person_delete"),
    path("organisationer/ny/", edit.OrganisationCreate.as_view(), name="organisation_create"),
    path(
        "organisationer/<int:pk>/andra/",
        edit.OrganisationUpdate.as_view(),
        name="organisation_update",
    ),
    path(
        "organisationer/<int:pk>/ta-bort/",
        edit.OrganisationDelete.as_view(),
        name="organisation_delete",
    ),
    # Strategic reviews
    path("genomgangar/ny/", edit.ReviewCreate.as_view(), name="review_create"),
    path("genomgangar/<int:pk>/andra/", edit.ReviewUpdate.as_view(), name="review_update"),
    path("genomgangar/<int:pk>/ta-bort/", edit.ReviewDelete.as_view(), name="review_delete"),
    path("genomgangar/<int:pk>/punkter/", edit.ReviewItems.as_view(), name="review_items"),
    path("genomgangar/<int:pk>/avsluta/", review_flow.review_close, name="review_close"),
    path("genomgangar/<int:pk>/underlag/", review_flow.review_pack, name="review_pack"),
    path("genomgangar/<int:pk>/underlag.pdf", review_flow.review_pack_pdf, name="review_pack_pdf"),
    path(
        "genomgangspunkter/<int:pk>/andra/",
        review_flow.ReviewItemUpdate.as_view(),
        name="review_item_update",
    ),
    path(
        "genomgangspunkter/<int:pk>/uppfoljning/",
        review_flow.ReviewItemFollowup.as_view(),
        name="review_item_followup",
    ),
    path(
        "genomgangspunkter/<int:pk>/malkonflikt/ny/",
        review_flow.ReviewItemGoalConflict.as_view(),
        name="review_item_goalconflict",
    ),
    path(
        "genomgangspunkter/<int:pk>/alternativ/nytt/",
        review_flow.ReviewItemAlternative.as_view(),
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
    # Our voice: every position in a period on one page, the seats to fill after an election
    path(
        "organisationer/<int:pk>/en-rost/",
        our_voice.organisation_one_message,
        name="organisation_one_message",
    ),
    path(
        "organisationer/<int:pk>/platser-att-tillsatta/",
        our_voice.organisation_seats_to_fill,
        name="organisation_seats_to_fill",
    ),
    path(
        "organisationer/<int:pk>/platser-att-tillsatta.xlsx",
        our_voice.organisation_seats_to_fill_xlsx,
        name="organisation_seats_to_fill_xlsx",
    ),
    path("kalender/", review_flow.calendar_settings, name="calendar_settings"),
    path("kalender/<str:token>.ics", review_flow.calendar_feed, name="calendar_feed"),
    # Our representatives: the briefing before a meeting (register/web/briefings.py)
    path(
        "sammantraden/<int:meeting_pk>/foredragning/<int:person_pk>/",
        briefings.briefing_html,
        name="briefing",
    ),
    path(
        "sammantraden/<int:meeting_pk>/foredragning/<int:person_pk>.pdf",
        briefings.briefing_pdf,
        name="briefing_pdf",
    ),
    # PDFs made in the background: the progress page, the file, a retry (register/web/pdf_jobs.py)
    path("jobb/<int:pk>/", pdf_jobs.background_job, name="background_job"),
    path("jobb/<int:pk>/fil.pdf", pdf_jobs.background_job_file, name="background_job_file"),
    path("jobb/<int:pk>/forsok-igen/", pdf_jobs.background_job_retry, name="background_job_retry"),
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
