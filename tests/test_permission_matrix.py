"""The permission matrix: every URL pattern, every kind of user, GET and POST.

The test walks the URL configuration itself, so a new URL that has no row in ``MATRIX`` (or in
the admin rule) fails it: whoever adds a page also says who may use it. Each request runs in a
transaction that is rolled back, so a POST that deletes something leaves the world intact for the
next one.

Actors (columns), in this order:

* ``anon``: not logged in;
* ``stranger``: logged in, no membership;
* ``reader``: reader of Täby, which takes part in the arrangement;
* ``other``: editor of Knivsta, which does not take part;
* ``owner``: editor of Täby;
* ``admin``: register administrator.

Answers: ``ok`` (200), ``done`` (a redirect that is not the login page: the action went through),
``login`` (redirected to log in), ``403``, ``404``, ``405``.

The world: Täby (host) and Vaxholm share an *unpublished* joint committee with every kind of
record on it; Täby owns the records, Vaxholm owns its own participation and seat.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.admin.sites import site as admin_site
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from importers.models import ImportBatch
from register.access import Access
from register.models import (
    BackgroundJob,
    CalendarToken,
    Invitation,
    JoinRequest,
    Membership,
    TotalCost,
)
from register.services.users import token_hash
from tests import factories as f
from tests.document_files import make_document

pytestmark = pytest.mark.django_db

ACTORS = ("anon", "stranger", "reader", "other", "owner", "admin")


def row(text: str) -> tuple[str, ...]:
    answers = tuple(text.split())
    assert len(answers) == len(ACTORS), text
    return answers


@dataclass(frozen=True)
class Entry:
    """The expected answers to GET and POST, one per actor; ``obj`` names the URL's object (its
    pk is the argument), or ``kwargs`` builds the URL's keyword arguments from the objects."""

    obj: str | None
    get: str
    post: str
    kwargs: Callable[[dict], dict] | None = None


# Shorthands for rows that recur.
LOGIN_ONLY = "login ok ok ok ok ok"
NOT_GET = "login 405 405 405 405 405"
# A page about the unpublished arrangement (or a record on it): members read, others see nothing.
MEMBERS_READ = "login 404 ok 404 ok ok"
# An edit page of a Täby record on the unpublished arrangement.
OWNER_EDITS = "login 404 403 404 ok ok"
OWNER_SAVES = "login 404 403 404 ok ok"
# An empty POST carries no version token (register/versions.py): whoever may delete gets the page
# back with the refusal; whoever may not gets 403 or 404 first.
OWNER_DELETES = "login 404 403 404 ok ok"

MATRIX: dict[str, Entry] = {
    # --- auth ----------------------------------------------------------------------------------
    "login": Entry(None, "ok ok ok ok ok ok", "ok ok ok ok ok ok"),
    "logout": Entry(None, "405 405 405 405 405 405", "login login login login login login"),
    # Single sign-on: 404 unless OIDC_RP_CLIENT_ID is set (configured, tests/register/test_sso.py
    # drives both against a real provider).
    "oidc_authentication_init": Entry(None, "404 404 404 404 404 404", "404 404 404 404 404 404"),
    "oidc_authentication_callback": Entry(
        None, "404 404 404 404 404 404", "404 404 404 404 404 404"
    ),
    # --- read side -----------------------------------------------------------------------------
    "register:home": Entry(None, LOGIN_ONLY, NOT_GET),
    "register:arrangement_list": Entry(None, LOGIN_ONLY, NOT_GET),
    "register:arrangement_detail": Entry("arrangement", MEMBERS_READ, NOT_GET),
    "register:organisation_list": Entry(None, LOGIN_ONLY, NOT_GET),
    "register:organisation_detail": Entry("taby", LOGIN_ONLY, NOT_GET),
    # The partner network: anyone logged in; what it counts follows Access (published + own).
    "register:organisation_network": Entry("taby", LOGIN_ONLY, NOT_GET),
    "register:organisation_network_download": Entry("taby", LOGIN_ONLY, NOT_GET),
    "register:organisation_influence": Entry("taby", LOGIN_ONLY, NOT_GET),
    "register:network_national": Entry(None, LOGIN_ONLY, NOT_GET),
    "register:network_download": Entry(None, LOGIN_ONLY, NOT_GET),
    "register:network_county": Entry("county", LOGIN_ONLY, NOT_GET),
    "register:network_county_download": Entry("county", LOGIN_ONLY, NOT_GET),
    "register:person_list": Entry(None, LOGIN_ONLY, NOT_GET),
    "register:person_detail": Entry("person", LOGIN_ONLY, NOT_GET),
    # The register extract (GDPR art. 15): the administrator, an editor of the person's
    # organisation and the person themselves (through the linked account; none here).
    "register:person_extract": Entry("person", "login 403 403 403 ok ok", NOT_GET),
    "register:person_extract_file": Entry(
        None,
        "login 403 403 403 ok ok",
        NOT_GET,
        kwargs=lambda o: {"pk": o["person"].pk, "fmt": "json"},
    ),
    "register:decision_list": Entry(None, LOGIN_ONLY, NOT_GET),
    # The one search: every logged-in user searches what they may see (tests/register/test_search.py).
    "register:search": Entry(None, LOGIN_ONLY, NOT_GET),
    "register:decision_detail": Entry("decision", MEMBERS_READ, NOT_GET),
    "register:review_list": Entry(None, LOGIN_ONLY, NOT_GET),
    "register:review_detail": Entry("review", "login 404 ok 404 ok ok", NOT_GET),
    # --- the overview and the introduction pack ------------------------------------------------
    # An organisation's overview shows what the user's Access lets them see of its portfolio
    # (a stranger: the published part); the county and national views are the administrator's.
    "register:overview_index": Entry(None, LOGIN_ONLY, NOT_GET),
    "register:overview_organisation": Entry("taby", LOGIN_ONLY, NOT_GET),
    "register:overview_timeline": Entry("taby", LOGIN_ONLY, NOT_GET),
    "register:overview_goals": Entry("taby", LOGIN_ONLY, NOT_GET),
    "register:intro_pack_html": Entry("taby", LOGIN_ONLY, NOT_GET),
    "register:intro_pack_pdf": Entry("taby", LOGIN_ONLY, NOT_GET),
    "register:intro_pack_xlsx": Entry("taby", LOGIN_ONLY, NOT_GET),
    "register:overview_county": Entry("county", "login 403 403 403 403 ok", NOT_GET),
    "register:overview_national": Entry(None, "login 403 403 403 403 ok", NOT_GET),
    # --- arrangements --------------------------------------------------------------------------
    "register:arrangement_create": Entry(None, "login 403 403 ok ok ok", "login 403 403 ok ok ok"),
    "register:arrangement_update": Entry("arrangement", OWNER_EDITS, OWNER_SAVES),
    # Shared with Vaxholm: only the register administrator deletes the whole arrangement.
    "register:arrangement_delete": Entry(
        "arrangement", "login 404 403 404 403 ok", "login 404 403 404 403 ok"
    ),
    "register:arrangement_participations": Entry("arrangement", OWNER_EDITS, OWNER_SAVES),
    "register:arrangement_bodies": Entry("arrangement", OWNER_EDITS, OWNER_SAVES),
    "register:arrangement_totalcosts": Entry("arrangement", OWNER_EDITS, OWNER_SAVES),
    "register:participation_update": Entry("participation", OWNER_EDITS, OWNER_SAVES),
    "register:participation_delete": Entry("participation", OWNER_EDITS, OWNER_DELETES),
    "register:participation_costs": Entry("participation", OWNER_EDITS, OWNER_SAVES),
    # Vaxholm's participation: Täby's editor may not touch it.
    "register:body_seats": Entry("body", OWNER_EDITS, OWNER_SAVES),
    # --- meetings of a body, our positions, the information log -------------------------------
    # The meetings and agendas follow the arrangement like its bodies (members read, the
    # participants' editors write); our positions are Täby's (its reader reads, its editors
    # write); the log is Täby's members' only.
    "register:body_meetings": Entry("body", MEMBERS_READ, NOT_GET),
    "register:meeting_create": Entry("body", OWNER_EDITS, OWNER_SAVES),
    # A member of exactly one organisation goes straight to its meetings.
    "register:meeting_index": Entry(None, "login ok done done done ok", NOT_GET),
    "register:meeting_detail": Entry("meeting", MEMBERS_READ, NOT_GET),
    "register:meeting_update": Entry("meeting", OWNER_EDITS, OWNER_SAVES),
    "register:meeting_delete": Entry("meeting", OWNER_EDITS, OWNER_DELETES),
    "register:meeting_items": Entry("meeting", OWNER_EDITS, OWNER_SAVES),
    # An item without our position yet; the reader sees it but records nothing.
    "register:position_create": Entry("agenda_item", OWNER_EDITS, OWNER_SAVES),
    "register:position_update": Entry("position", OWNER_EDITS, OWNER_SAVES),
    "register:position_delete": Entry("position", OWNER_EDITS, OWNER_DELETES),
    "register:position_outcome": Entry("position", OWNER_EDITS, OWNER_SAVES),
    "register:organisation_meetings": Entry("taby", LOGIN_ONLY, NOT_GET),
    "register:information_log": Entry("taby", "login 403 ok 403 ok ok", "login 403 403 403 ok ok"),
    # --- goals ---------------------------------------------------------------------------------
    "register:arrangement_goal_create": Entry("arrangement", OWNER_EDITS, OWNER_SAVES),
    "register:organisation_goal_create": Entry(
        "taby", "login 403 403 403 ok ok", "login 403 403 403 ok ok"
    ),
    "register:goal_update": Entry("goal", "login 403 403 403 ok ok", "login 403 403 403 ok ok"),
    "register:goal_delete": Entry("goal", "login 403 403 403 ok ok", "login 403 403 403 ok ok"),
    "register:contribution_create": Entry("arrangement", OWNER_EDITS, OWNER_SAVES),
    "register:contribution_update": Entry("contribution", OWNER_EDITS, OWNER_SAVES),
    "register:contribution_delete": Entry("contribution", OWNER_EDITS, OWNER_DELETES),
    "register:goalconflict_create": Entry("arrangement", OWNER_EDITS, OWNER_SAVES),
    "register:goalconflict_update": Entry("goalconflict", OWNER_EDITS, OWNER_SAVES),
    "register:goalconflict_delete": Entry("goalconflict", OWNER_EDITS, OWNER_DELETES),
    # --- follow-up, alternatives, decisions ----------------------------------------------------
    "register:evaluation_create": Entry("arrangement", OWNER_EDITS, OWNER_SAVES),
    "register:evaluation_update": Entry("evaluation", OWNER_EDITS, OWNER_SAVES),
    "register:evaluation_delete": Entry("evaluation", OWNER_EDITS, OWNER_DELETES),
    "register:alternative_create": Entry("arrangement", OWNER_EDITS, OWNER_SAVES),
    "register:alternative_update": Entry("alternative", OWNER_EDITS, OWNER_SAVES),
    "register:alternative_delete": Entry("alternative", OWNER_EDITS, OWNER_DELETES),
    "register:decision_create": Entry("arrangement", OWNER_EDITS, OWNER_SAVES),
    "register:decision_update": Entry("decision", OWNER_EDITS, OWNER_SAVES),
    "register:decision_delete": Entry("decision", OWNER_EDITS, OWNER_DELETES),
    # --- governing documents (issue 24) --------------------------------------------------------
    # An unpublished document of the unpublished arrangement: the participants' members read it
    # and download its file, Knivsta's editor (another organisation) neither sees nor downloads
    # it; Täby's editors upload, version, change, check and delete. An empty POST gets the form
    # back with its errors (no file chosen).
    "register:document_detail": Entry("document", MEMBERS_READ, NOT_GET),
    "register:document_download": Entry("document", MEMBERS_READ, NOT_GET),
    "register:document_create": Entry("arrangement", OWNER_EDITS, OWNER_SAVES),
    "register:document_new_version": Entry("document", OWNER_EDITS, OWNER_SAVES),
    "register:document_update": Entry("document", OWNER_EDITS, OWNER_SAVES),
    "register:document_delete": Entry("document", OWNER_EDITS, OWNER_DELETES),
    "register:document_checklist": Entry("document", OWNER_EDITS, OWNER_SAVES),
    # --- people and organisations --------------------------------------------------------------
    "register:person_create": Entry(None, "login 403 403 ok ok ok", "login 403 403 ok ok ok"),
    "register:person_update": Entry("person", "login 403 403 403 ok ok", "login 403 403 403 ok ok"),
    "register:person_delete": Entry("person", "login 403 403 403 ok ok", "login 403 403 403 ok ok"),
    "register:organisation_create": Entry(
        None, "login 403 403 403 403 ok", "login 403 403 403 403 ok"
    ),
    "register:organisation_update": Entry(
        "taby", "login 403 403 403 ok ok", "login 403 403 403 ok ok"
    ),
    # Reference municipalities are the register administrator's.
    "register:organisation_delete": Entry(
        "taby", "login 403 403 403 403 ok", "login 403 403 403 403 ok"
    ),
    # --- strategic reviews ---------------------------------------------------------------------
    "register:review_create": Entry(None, "login 403 403 ok ok ok", "login 403 403 ok ok ok"),
    "register:review_update": Entry("review", "login 404 403 404 ok ok", "login 404 403 404 ok ok"),
    "register:review_delete": Entry("review", "login 404 403 404 ok ok", "login 404 403 404 ok ok"),
    "register:review_items": Entry("review", "login 404 403 404 ok ok", "login 404 403 404 ok ok"),
    # An empty POST: the items have no outcome yet, so the page answers with the refusal.
    "register:review_close": Entry("review", "login 404 403 404 ok ok", "login 404 403 404 ok ok"),
    "register:review_pack": Entry("review", "login 404 ok 404 ok ok", NOT_GET),
    "register:review_pack_pdf": Entry("review", "login 404 ok 404 ok ok", NOT_GET),
    "register:review_item_update": Entry("review_item", OWNER_EDITS, OWNER_SAVES),
    "register:review_item_followup": Entry("review_item", OWNER_EDITS, OWNER_SAVES),
    "register:review_item_goalconflict": Entry("review_item", OWNER_EDITS, OWNER_SAVES),
    "register:review_item_alternative": Entry("review_item", OWNER_EDITS, OWNER_SAVES),
    # --- what is due, mandate-period readiness, the calendar -----------------------------------
    # An organisation's own users only.
    "register:organisation_due": Entry("taby", "login 403 ok 403 ok ok", NOT_GET),
    "register:organisation_term": Entry("taby", "login 403 ok 403 ok ok", NOT_GET),
    # Our voice: the organisation's own users, its readers too (the opposition sees positions).
    "register:organisation_one_message": Entry("taby", "login 403 ok 403 ok ok", NOT_GET),
    "register:organisation_seats_to_fill": Entry("taby", "login 403 ok 403 ok ok", NOT_GET),
    "register:organisation_seats_to_fill_xlsx": Entry("taby", "login 403 ok 403 ok ok", NOT_GET),
    # Everyone logged in has a calendar address of their own (POST makes a new one).
    "register:calendar_settings": Entry(None, LOGIN_ONLY, "login done done done done done"),
    # The secret address is the key: whoever has it reads the feed, without logging in.
    "register:calendar_feed": Entry(
        "calendar_token", "ok ok ok ok ok ok", "405 405 405 405 405 405"
    ),
    # --- our representatives' briefing before a meeting ----------------------------------------
    # Täby's members (its readers too) read the briefing of Täby's representative; the meeting of
    # the unpublished arrangement is hidden from everyone else.
    "register:briefing": Entry(None, MEMBERS_READ, NOT_GET, kwargs=lambda o: _briefing_of(o)),
    "register:briefing_pdf": Entry(None, MEMBERS_READ, NOT_GET, kwargs=lambda o: _briefing_of(o)),
    # --- a PDF made in the background: its page, its file, a retry ------------------------------
    # The job was made for what Täby's members see: they (and the register administrator) follow
    # it; a user who sees something else (the stranger, Knivsta's editor) does not find it. A
    # retry of a finished job changes nothing and goes back to its page.
    "register:background_job": Entry("background_job", MEMBERS_READ, NOT_GET),
    "register:background_job_file": Entry("background_job", MEMBERS_READ, NOT_GET),
    "register:background_job_retry": Entry(
        "background_job", "login 405 405 405 405 405", "login 404 done 404 done done"
    ),
    # --- requests to join (Knivsta asks to join the arrangement) ------------------------------
    # Täby already takes part; only an editor of an organisation outside may ask (and must see
    # the arrangement first, which Knivsta cannot: it is unpublished).
    "register:join_request_create": Entry(
        "arrangement", "login 404 403 404 403 ok", "login 404 403 404 403 ok"
    ),
    "register:join_request_list": Entry(None, LOGIN_ONLY, NOT_GET),
    # A participant's editor decides; Knivsta's own editor does not (and cannot see it here).
    "register:join_request_accept": Entry("join_request", NOT_GET, "login 404 403 404 done done"),
    "register:join_request_decline": Entry("join_request", NOT_GET, "login 404 403 404 done done"),
    # --- the organisation's users (issue 22) -------------------------------------------------
    # Only an organisation administrator of Täby (see the test of the organisation administrators
    # below) and the register administrator manage Täby's users; Täby's editor does not.
    "register:organisation_users": Entry("taby", "login 403 403 403 403 ok", NOT_GET),
    # An empty POST gets the form back with its errors.
    "register:invitation_create": Entry(
        "taby", "login 403 403 403 403 ok", "login 403 403 403 403 ok"
    ),
    # The reader's role in Täby: a role in an organisation one does not manage is not there.
    "register:membership_update": Entry(
        "reader_membership", "login 404 404 404 404 ok", "login 404 404 404 404 ok"
    ),
    "register:membership_delete": Entry(
        "reader_membership", "login 404 404 404 404 ok", "login 404 404 404 404 done"
    ),
    "register:invitation_revoke": Entry(
        "invitation", "login 405 405 405 405 405", "login 404 404 404 404 done"
    ),
    # The link in the e-mail: anyone who has it sees the invitation; an empty POST without an
    # account is the form again, with an account the role is taken (those who already have a
    # role in Täby get the page back with the refusal).
    "register:invitation_accept": Entry(
        None,
        "ok ok ok ok ok ok",
        "ok done ok done ok done",
        kwargs=lambda o: {"token": o["invitation_token"]},
    ),
    # --- import --------------------------------------------------------------------------------
    "importers:batch_list": Entry(None, LOGIN_ONLY, NOT_GET),
    "importers:upload": Entry(None, "login 403 403 ok ok ok", "login 403 403 ok ok ok"),
    "importers:batch_detail": Entry("batch", "login 403 ok 403 ok ok", NOT_GET),
    "importers:batch_commit": Entry(
        "batch", "login 405 405 405 405 405", "login 403 403 403 done done"
    ),
    # A registrar's choice in a preview; a POST without a valid choice is refused with a message.
    "importers:batch_decide": Entry(
        "batch", "login 405 405 405 405 405", "login 403 403 403 done done"
    ),
    # GET asks for confirmation.
    "importers:batch_undo": Entry(
        "batch", "login 403 403 403 ok ok", "login 403 403 403 done done"
    ),
    "importers:batch_invalid_rows": Entry("batch", "login 403 ok 403 ok ok", NOT_GET),
    # Anyone logged in may export an organisation's published portfolio; members get the rest.
    "importers:export_portfolio": Entry("taby", LOGIN_ONLY, NOT_GET),
    # A body's meetings from its calendar or agenda list: whoever may change the body (the
    # arrangement's editors); an empty POST gets the form back with its error.
    "importers:meeting_import": Entry(
        None, OWNER_EDITS, OWNER_SAVES, kwargs=lambda o: {"body_pk": o["body"].pk}
    ),
}

# Django's admin: only staff (here the register administrator) gets in; everyone else is sent to
# the admin's login page. Checked for every admin pattern with the arguments it needs.
ADMIN_GET = "login login login login login ok"
# Admin pages that refuse even the administrator: import batches and rows are made by the
# importer only (and the registrars' choices by the preview), login attempts by django-axes, and the autocomplete answers only requests with
# its parameters.
ADMIN_REFUSED = {
    "admin:autocomplete",
    "admin:importers_importbatch_add",
    "admin:importers_importrow_add",
    "admin:importers_importchoice_add",
    # Invitations are made on the organisation's users page, which sends the e-mail.
    "admin:register_invitation_add",
    # A background job is made by its PDF link; the admin only lists them.
    "admin:register_backgroundjob_add",
    # Login attempts are recorded by django-axes itself.
    "admin:axes_accessattempt_add",
    "admin:axes_accesslog_add",
    "admin:axes_accessfailurelog_add",
}


# The public site (Insyn): everyone reads, nobody posts; an unpublished arrangement is not there,
# not even for its members.
PUBLIC_READ = "ok ok ok ok ok ok"
NO_POST = "405 405 405 405 405 405"


def _briefing_of(o):
    return {"meeting_pk": o["meeting"].pk, "person_pk": o["person"].pk}


def _taby(**extra):
    return lambda o: {"code": o["taby"].code, **extra}


MATRIX.update(
    {
        "public:index": Entry(None, PUBLIC_READ, NO_POST),
        "public:accessibility": Entry(None, PUBLIC_READ, NO_POST),
        "public:personal_data": Entry(None, PUBLIC_READ, NO_POST),
        "public:data": Entry(None, PUBLIC_READ, NO_POST),
        "public:catalogue": Entry(None, PUBLIC_READ, NO_POST),
        "public:bulk": Entry(None, PUBLIC_READ, NO_POST, kwargs=lambda o: {"fmt": "xlsx"}),
        "public:arrangement": Entry(
            None,
            "404 404 404 404 404 404",
            NO_POST,
            kwargs=lambda o: {"slug": f"{o['arrangement'].pk}-roslagens-gemensamma-namnd"},
        ),
        "public:organisation": Entry(None, PUBLIC_READ, NO_POST, kwargs=_taby()),
        # The world's document is unpublished on an unpublished arrangement: nobody downloads
        # it from Insyn (tests/register/web/test_documents.py downloads a published one).
        "public:document_download": Entry("document", "404 404 404 404 404 404", NO_POST),
        "public:responsible": Entry(None, PUBLIC_READ, NO_POST, kwargs=_taby()),
        "public:embed": Entry(None, PUBLIC_READ, NO_POST, kwargs=_taby()),
        "public:decision_feed": Entry(None, PUBLIC_READ, NO_POST, kwargs=_taby()),
        "public:organisation_data": Entry(None, PUBLIC_READ, NO_POST, kwargs=_taby()),
        "public:organisation_list": Entry(
            None, PUBLIC_READ, NO_POST, kwargs=_taby(name="kostnader", fmt="csv")
        ),
        "sitemap": Entry(None, PUBLIC_READ, NO_POST),
        "robots": Entry(None, PUBLIC_READ, NO_POST),
        # Issue 21: the box for one service (the world's arrangement is unpublished, so Täby has
        # no public service to box), the icon, and a forgotten password (Django's views: anyone
        # may ask; an empty form and a link that is not valid answer with the page).
        "public:embed_area": Entry(
            None, "404 404 404 404 404 404", NO_POST, kwargs=_taby(area="raddningstjanst")
        ),
        "favicon": Entry(None, PUBLIC_READ, NO_POST),
        "password_reset": Entry(None, PUBLIC_READ, PUBLIC_READ),
        "password_reset_done": Entry(None, PUBLIC_READ, NO_POST),
        "password_reset_confirm": Entry(
            None, PUBLIC_READ, PUBLIC_READ, kwargs=lambda o: {"uidb64": "MQ", "token": "fel-1"}
        ),
        "password_reset_complete": Entry(None, PUBLIC_READ, NO_POST),
    }
)


# --- the world -----------------------------------------------------------------------------------


@pytest.fixture
def world(shared_arrangement, taby, vaxholm, knivsta):
    a = shared_arrangement  # unpublished, Täby host and Vaxholm member
    TotalCost.objects.create(arrangement=a, year=2024, outcome=5_000_000)
    records = f.make_own_records(a, taby, label="Täby")  # one of every kind
    review_item = records["reviewitem"]
    review_item.direction = "maintain"
    review_item.save()
    meeting = f.make_meeting(records["body"])
    agenda_item = f.make_agenda_item(meeting, number="1")
    position = f.make_position(f.make_agenda_item(meeting, number="2"), taby)
    admin = f.make_user("matris-admin", superuser=True)
    invitation_token = "matris-inbjudan-nyckel"
    invitation = Invitation.objects.create(
        organisation=taby,
        name="Ny Inbjuden",
        email="ny.inbjuden@taby.se",
        role=Membership.Role.READER,
        token_hash=token_hash(invitation_token),
        expires_at=timezone.now() + timedelta(days=7),
    )
    batch = ImportBatch.objects.create(
        organisation=taby, created_by=admin, file_name="lista.xlsx", checksum="0" * 64
    )
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.INTRO_PACK,
        key=str(taby.pk),
        organisation=taby,
        audience=Access(user_id=None, member_org_ids=frozenset({taby.pk})).audience(),
        data_version="1-20261206",
        status=BackgroundJob.Status.DONE,
        file_name="introduktion-Täby.pdf",
    )
    job.file.save("intro_pack.pdf", ContentFile(b"%PDF-1.7 matrisen"))
    objects = {
        **records,
        "document": make_document(a, internal_note="Intern anteckning om förbundsordningen"),
        "background_job": job,
        "arrangement": a,
        "review_item": review_item,
        "meeting": meeting,
        "agenda_item": agenda_item,
        "position": position,
        # The feed's URL takes the token itself in place of a primary key.
        "calendar_token": SimpleNamespace(pk=CalendarToken.objects.create(user=admin).token),
        "batch": batch,
        "taby": taby,
        "county": taby.county,
        "join_request": JoinRequest.objects.create(
            arrangement=a, organisation=knivsta, role="member", requested_by=admin
        ),
    }
    people = {
        "anon": None,
        "stranger": f.make_user("matris-framling"),
        "reader": f.make_member(taby, Membership.Role.READER, "matris-lasare"),
        "other": f.make_member(knivsta, Membership.Role.EDITOR, "matris-annan"),
        "owner": f.make_member(taby, Membership.Role.EDITOR, "matris-agare"),
        "admin": admin,
    }
    objects["reader_membership"] = people["reader"].memberships.get()
    objects["invitation"] = invitation
    objects["invitation_token"] = invitation_token
    return objects, people


# --- walking the URL configuration ---------------------------------------------------------------


def url_patterns(patterns=None, namespace=""):
    """Yield (qualified name, pattern) for every named pattern, resolvers followed."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}{p.namespace}:"
            yield from url_patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed>"), p


def answer(response) -> str:
    from django.conf import settings

    if response.status_code in (301, 302):
        location = response.headers["Location"]
        login_urls = (reverse(settings.LOGIN_URL), reverse("admin:login"))
        return "login" if location.split("?")[0] in login_urls else "done"
    return "ok" if response.status_code == 200 else str(response.status_code)


def request(client: Client, method: str, url: str) -> str:
    """Return the answer to one request; whatever it wrote, the session included, is undone."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    client.cookies = cookies
    return answer(response)


def clients(users) -> dict[str, Client]:
    result = {}
    for actor, user in users.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        result[actor] = client
    return result


# --- the tests -----------------------------------------------------------------------------------


def test_every_url_pattern_has_an_entry_in_the_matrix():
    names = [name for name, _ in url_patterns() if not name.startswith("admin:")]
    unnamed = [
        str(p.pattern)
        for name, p in url_patterns()
        if name.endswith("<unnamed>") and not name.startswith("admin:")
    ]
    missing = sorted(set(names) - set(MATRIX))
    assert missing == [], f"add these URLs to MATRIX in {__file__}: {missing}"
    assert unnamed == [], f"name these URL patterns so the matrix can cover them: {unnamed}"
    stale = sorted(set(MATRIX) - set(names))
    assert stale == [], f"these MATRIX entries name no URL any more: {stale}"


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_url_answers_every_actor_as_the_matrix_says(world, method):
    objects, users = world
    actors = clients(users)
    mismatches = []
    for name, entry in MATRIX.items():
        args = [objects[entry.obj].pk] if entry.obj else []
        kwargs = entry.kwargs(objects) if entry.kwargs else None
        url = reverse(name, args=args, kwargs=kwargs)
        expected = row(getattr(entry, method))
        for actor, want in zip(ACTORS, expected, strict=True):
            got = request(actors[actor], method, url)
            if got != want:
                mismatches.append(f"{method.upper()} {name} as {actor}: {got}, expected {want}")
    assert not mismatches, "\n".join(mismatches)


def admin_urls(objects):
    """Every admin pattern with arguments that resolve: each model's pages with a real object."""
    by_model = {
        (model._meta.app_label, model._meta.model_name): model._default_manager.order_by(
            "pk"
        ).first()
        for model in apps.get_models()
        if admin_site.is_registered(model)
    }
    for name, p in url_patterns():
        if not name.startswith("admin:"):
            continue
        short = name.removeprefix("admin:")
        params = set(p.pattern.regex.groupindex)
        if short == "<unnamed>":
            continue  # <object_id>/: the admin's redirect to the change page, checked there
        if short in {"login", "logout"}:
            continue  # the admin's own login: covered by the login lockout tests
        if params == {"app_label"}:
            yield name, reverse(name, kwargs={"app_label": "register"})
            continue
        if "content_type_id" in params:
            continue  # view_on_site: a redirect to the object's own page
        if not params and not short.endswith("_simple_history"):
            yield name, reverse(name)
            continue
        if short.endswith("_simple_history"):  # simple-history's page of one past version
            app_model, params = short.removesuffix("_simple_history"), {"object_id", "history_id"}
        else:
            app_model = short.rsplit("_", 1)[0]
        matches = [obj for (app, model), obj in by_model.items() if app_model == f"{app}_{model}"]
        if params == {"object_id"} and matches:
            if matches[0] is not None:  # a model with no rows has no page to check
                yield name, reverse(name, kwargs={"object_id": matches[0].pk})
        elif params == {"object_id", "history_id"} and matches:
            obj = matches[0]
            latest = obj.history.order_by("-history_id").first() if obj is not None else None
            if latest is not None:  # reference data loaded by a migration has no history
                yield name, reverse(name, args=[obj.pk, latest.history_id])
        elif params == {"id"} and short == "auth_user_password_change":
            yield name, reverse(name, kwargs={"id": objects["batch"].created_by_id})
        else:
            raise AssertionError(f"the matrix cannot build arguments for {name}: {params}")


def test_the_admin_is_for_the_register_administrator_only(world):
    objects, users = world
    actors = clients(users)
    mismatches = []
    seen = 0
    for name, url in admin_urls(objects):
        seen += 1
        for actor, want in zip(ACTORS, row(ADMIN_GET), strict=True):
            if actor == "admin" and name in ADMIN_REFUSED:
                want = "403"
            got = request(actors[actor], "get", url)
            if want == "ok" and got in ("ok", "done"):
                continue
            if got != want:
                mismatches.append(f"GET {name} as {actor}: {got}, expected {want}")
        # Nobody but the administrator gets to POST anything to the admin.
        for actor in ACTORS[:-1]:
            got = request(actors[actor], "post", url)
            if got != "login":
                mismatches.append(f"POST {name} as {actor}: {got}, expected login")
    assert seen > 50
    assert not mismatches, "\n".join(mismatches)


# --- organisation administrators (issue 22) ------------------------------------------------------

# Every URL of the users pages, for an organisation administrator of Täby and one of Vallentuna:
# (name, GET, POST) answers for (Täby's, Vallentuna's). Vallentuna's administrator cannot see,
# invite to, change or remove Täby's users (a 403 on Täby's pages, a 404 for Täby's roles and
# invitations), while Täby's own administrator can.
ORG_ADMIN_ACTORS = ("taby_admin", "vallentuna_admin")
ORG_ADMIN_MATRIX = {
    "register:organisation_users": ("ok 403", "405 405"),
    "register:invitation_create": ("ok 403", "ok 403"),
    "register:membership_update": ("ok 404", "ok 404"),
    "register:membership_delete": ("ok 404", "done 404"),
    "register:invitation_revoke": ("405 405", "done 404"),
}


def test_an_organisation_administrator_manages_only_their_own_organisations_users(world):
    objects, people = world
    taby = objects["taby"]
    vallentuna = f.municipality("0115")
    org_admins = {
        "taby_admin": f.make_member(taby, Membership.Role.ADMIN, "matris-taby-admin"),
        "vallentuna_admin": f.make_member(
            vallentuna, Membership.Role.ADMIN, "matris-vallentuna-admin"
        ),
    }
    actors = clients(org_admins)
    args = {
        "register:organisation_users": taby.pk,
        "register:invitation_create": taby.pk,
        "register:membership_update": objects["reader_membership"].pk,
        "register:membership_delete": objects["reader_membership"].pk,
        "register:invitation_revoke": objects["invitation"].pk,
    }
    assert set(ORG_ADMIN_MATRIX) == {
        name for name in MATRIX if name.startswith("register:") and name in args
    }
    mismatches = []
    for name, answers in ORG_ADMIN_MATRIX.items():
        url = reverse(name, args=[args[name]])
        for method, expected in zip(("get", "post"), answers, strict=True):
            for actor, want in zip(ORG_ADMIN_ACTORS, expected.split(), strict=True):
                got = request(actors[actor], method, url)
                if got != want:
                    mismatches.append(f"{method.upper()} {name} as {actor}: {got}, expected {want}")
    # Vallentuna's own users page is Vallentuna's administrator's, not Täby's.
    own = reverse("register:organisation_users", args=[vallentuna.pk])
    for actor, want in zip(ORG_ADMIN_ACTORS, ("403", "ok"), strict=True):
        got = request(actors[actor], "get", own)
        if got != want:
            mismatches.append(f"GET Vallentuna's users as {actor}: {got}, expected {want}")
    assert not mismatches, "\n".join(mismatches)
    # Nothing of Täby's changed.
    assert Membership.objects.filter(
        pk=objects["reader_membership"].pk, role=Membership.Role.READER
    ).exists()
    assert Invitation.objects.get(pk=objects["invitation"].pk).revoked_at is None
