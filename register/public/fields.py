"""The public fields: the one allow-list of what the public site may read of each model.

A field that is not named here is never selected by ``register/public/selectors.py`` (it uses
``.values(*fields)``), so it cannot reach a public page, feed, snippet or download. Internal notes
(``internal_note``), officials' contact details (``Person.email``, ``phone``), the importer's
``extra_fields`` (contact persons, free columns), cost notes and everything of strategic reviews
stay out. ``tests/register/public/test_fields.py`` checks that no such field is ever added here.

Example data (``is_example``) is public as the flag it is: the README says the illustrative
portfolio is always shown as example data, so the public pages label it "Exempel" and the
downloads carry the flag.
"""

from ..models import (
    Alternative,
    Arrangement,
    Body,
    Contribution,
    Cost,
    Decision,
    Document,
    Evaluation,
    Goal,
    GoalConflict,
    Organisation,
    Participation,
    Position,
    Seat,
    TotalCost,
)

PUBLIC_FIELDS: dict[type, tuple[str, ...]] = {
    Organisation: (
        "id",
        "kind",
        "name",
        "short_name",
        "code",
        "county__name",
        "population",
        "population_year",
        "website",
        "public_description",
    ),
    Arrangement: (
        "id",
        "name",
        "short_name",
        "form__name",
        "form__legal_basis",
        "form__deciding_body_kind",
        "capacity_type",
        "status",
        "start_date",
        "end_date",
        "notice_months",
        "host_id",
        "orgnr",
        "website",
        # The joint body's own legal person (a federation, a company): its website is public.
        "legal_entity__name",
        "legal_entity__website",
        "decision_rule",
        # The seat and the tasks handed over, as the Dutch register shows them (issue 24).
        "seat",
        "transferred_tasks",
        "public_description",
        "is_example",
        "updated_at",
    ),
    Participation: (
        "id",
        "arrangement_id",
        "organisation_id",
        "role",
        "joined",
        "left",
        "ownership_share",
        # The agreed cost share (per cent) is part of the agreement between public bodies: the
        # public seat-against-cost figures need it as the internal ones do.
        "cost_share",
        "political_body",
        "political_owner__name",
        "political_owner__party",
        "public_note",
        "is_example",
    ),
    Body: (
        "id",
        "arrangement_id",
        "kind",
        "name",
        "powers",
        "seat_count",
        "meeting_frequency",
        "minutes_url",
        "public_description",
    ),
    # A seat: the person's name and party are public facts (politicians); never their contact
    # details.
    Seat: (
        "id",
        "body_id",
        "appointed_by_id",
        "appointed_by__code",
        "appointed_by__name",
        "role",
        "party",
        "term_start",
        "term_end",
        "person__name",
        "person__party",
        "person__is_example",
    ),
    Cost: (
        "participation__arrangement_id",
        "participation__organisation_id",
        "participation__is_example",
        "year",
        "budget",
        "outcome",
        "forecast",
    ),
    TotalCost: ("arrangement_id", "year", "budget", "outcome"),
    Goal: ("id", "arrangement_id", "organisation_id", "level", "title", "public_description"),
    Contribution: (
        "arrangement_id",
        "goal__organisation_id",
        "goal__title",
        "strength",
        "public_description",
    ),
    Decision: (
        "id",
        "arrangement_id",
        "organisation_id",
        "deciding_body",
        "date",
        "reference",
        "diary_number",
        "title",
        "kind",
        "impact_cost",
        "impact_tariff",
        "impact_service",
        "impact_organisation",
        "public_summary",
        "document_url",
        "is_example",
    ),
    Evaluation: (
        "id",
        "arrangement_id",
        "organisation_id",
        "date",
        "goal_attainment",
        "public_summary",
    ),
    Alternative: (
        "id",
        "arrangement_id",
        "organisation_id",
        "kind",
        "description",
        "estimated_cost",
        "assessed_on",
    ),
    GoalConflict: ("id", "arrangement_id", "identified_on", "description", "handling", "status"),
    # Our position on a joint body's agenda item, once an editor has published it: the summary
    # written for citizens, the stance and the outcome, on which item of which meeting. Never the
    # position's own text, where it was agreed or by whom (the organisation's internal work).
    Position: (
        "id",
        "organisation_id",
        "organisation__name",
        "decision_id",
        "stance",
        "outcome",
        "public_summary",
        "item__title",
        "item__meeting__starts_at",
        "item__meeting__body_id",
        "item__meeting__body__name",
        "item__meeting__body__arrangement_id",
    ),
    # A published governing document of a published arrangement: its facts and its file (the
    # file through public:document_download only). Never its extracted text, checklist, who
    # uploaded it or its internal note.
    Document: (
        "id",
        "arrangement_id",
        "arrangement__name",
        "kind",
        "title",
        "diary_number",
        "version",
        "adopted_on",
        "valid_from",
        "valid_until",
        "file_name",
        "content_type",
        "size",
        "supersedes_id",
        "is_example",
    ),
}

# Never public, whatever is added above (checked by the tests): any ``internal_*`` field and these.
FORBIDDEN_PREFIX = "internal_"
FORBIDDEN_NAMES = frozenset(
    {"email", "phone", "extra_fields", "note", "why_not_chosen", "cost_assessment", "collaboration"}
)


def public_fields(model) -> tuple[str, ...]:
    """Return the fields of ``model`` that the public site may select."""
    return PUBLIC_FIELDS[model]
