"""Django admin for every register model, with history (django-simple-history)."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AgendaItem,
    Alternative,
    Arrangement,
    BackgroundJob,
    Body,
    CalendarToken,
    Contribution,
    CooperationForm,
    Cost,
    County,
    Decision,
    Document,
    Evaluation,
    ExternalIdentity,
    Goal,
    GoalConflict,
    InformationEntry,
    Invitation,
    JoinRequest,
    Meeting,
    Membership,
    Motive,
    Organisation,
    Participation,
    Person,
    PopulationFigure,
    Position,
    Review,
    ReviewItem,
    Seat,
    ServiceArea,
    SsoGrant,
    TotalCost,
)
from .validators import validate_web_url

admin.site.site_header = "Samverkansregistret – administration"
admin.site.site_title = "Samverkansregistret"
admin.site.index_title = "Registeradministration"


URL_FIELD_OVERRIDES = {
    models.URLField: {"assume_scheme": "https", "validators": [validate_web_url]}
}


#: The longest search the admin's lists take (as the register's own lists, web/filters.py).
MAX_SEARCH_LENGTH = 200


class RegisterAdmin(SimpleHistoryAdmin):
    list_per_page = 50
    formfield_overrides = URL_FIELD_OVERRIDES

    def get_search_results(self, request, queryset, search_term):
        """Refuse a search longer than MAX_SEARCH_LENGTH with a message (SQLite cannot run a
        LIKE pattern of some 50,000 characters), rather than answering 500."""
        if len(search_term) > MAX_SEARCH_LENGTH:
            messages.error(request, f"Söktexten är för lång: högst {MAX_SEARCH_LENGTH} tecken.")
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


# --- Reference tables ---------------------------------------------------------------------


@admin.register(County)
class CountyAdmin(RegisterAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(CooperationForm)
class CooperationFormAdmin(RegisterAdmin):
    list_display = ("name", "slug", "participant_roles", "deciding_body_name", "sort_order")
    list_filter = ("is_legal_entity",)
    search_fields = ("name", "slug", "legal_basis")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ServiceArea)
class ServiceAreaAdmin(RegisterAdmin):
    list_display = ("name", "slug", "parent", "sort_order")
    list_filter = ("parent",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Motive)
class MotiveAdmin(RegisterAdmin):
    list_display = ("name", "slug", "sort_order")
    search_fields = ("name", "slug")


# --- Organisations and people -------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(RegisterAdmin):
    list_display = ("name", "kind", "code", "orgnr", "county", "population", "is_reference")
    list_filter = ("kind", "is_reference", "county")
    search_fields = ("name", "short_name", "code", "orgnr")
    list_select_related = ("county",)
    inlines = [MembershipInline]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(RegisterAdmin):
    list_display = ("organisation", "year", "population", "source")
    list_filter = ("year", "organisation__kind")
    search_fields = ("organisation__name", "organisation__code")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)


@admin.register(Person)
class PersonAdmin(RegisterAdmin):
    list_display = ("name", "kind", "party", "title", "organisation", "is_example")
    list_filter = ("kind", "is_example")
    search_fields = ("name", "party", "title", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation", "user")


@admin.register(Membership)
class MembershipAdmin(RegisterAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "organisation__name")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("user", "organisation")


@admin.register(Invitation)
class InvitationAdmin(RegisterAdmin):
    """Invitations to an organisation: made and withdrawn on the organisation's own page
    ("Användare", by its organisation administrator), where the e-mail with the link is sent.
    Here the register administrator only sees them (the key's hash is never shown)."""

    list_display = ("email", "organisation", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("role",)
    search_fields = ("email", "name", "organisation__name")
    list_select_related = ("organisation",)
    fields = (
        "organisation",
        "name",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(RegisterAdmin):
    """Accounts at the municipality's sign-on service (OpenID Connect): made by the first login;
    deleting one makes the next login through the service a new user (or a link by e-mail, when
    OIDC_TRUST_EMAIL_VERIFIED allows)."""

    list_display = ("user", "issuer", "subject", "created_at", "last_login_at")
    search_fields = ("user__username", "user__email", "subject")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "last_login_at")


@admin.register(SsoGrant)
class SsoGrantAdmin(RegisterAdmin):
    """Memberships the sign-on service gave: the next login updates or removes them. Deleting the
    mark keeps the membership as one given by hand."""

    list_display = ("membership", "source")
    search_fields = ("membership__user__username", "membership__organisation__name", "source")
    list_select_related = ("membership__user", "membership__organisation")
    raw_id_fields = ("membership",)


# --- Arrangements ---------------------------------------------------------------------------


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    # The columns that fit beside the menu; the participation's own page has the rest.
    fields = ("organisation", "role", "joined", "cost_share")
    autocomplete_fields = ("organisation",)
    show_change_link = True


class BodyInline(admin.TabularInline):
    model = Body
    extra = 0
    fields = ("name", "kind", "powers", "seat_count")
    show_change_link = True


class TotalCostInline(admin.TabularInline):
    model = TotalCost
    extra = 0
    fields = ("year", "budget", "outcome", "note")


@admin.register(Arrangement)
class ArrangementAdmin(RegisterAdmin):
    list_display = (
        "name",
        "form",
        "status",
        "host",
        "start_date",
        "end_date",
        "is_published",
        "is_example",
    )
    list_filter = ("form", "status", "is_published", "is_example", "service_areas")
    search_fields = ("name", "short_name", "orgnr", "external_id")
    list_select_related = ("form", "host")
    autocomplete_fields = ("host", "legal_entity", "predecessor", "parent")
    # Checkboxes, not the two-list selector: the lists are short, and the selector made the
    # change form about 1,600 px wide.
    formfield_overrides = {
        **URL_FIELD_OVERRIDES,
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    date_hierarchy = "start_date"
    inlines = [ParticipationInline, BodyInline, TotalCostInline]


class CostInline(admin.TabularInline):
    model = Cost
    extra = 0


@admin.register(Participation)
class ParticipationAdmin(RegisterAdmin):
    list_display = ("arrangement", "organisation", "role", "joined", "left", "cost_share")
    list_filter = ("role", "is_example", "arrangement__form")
    search_fields = ("arrangement__name", "organisation__name", "organisation__code")
    list_select_related = ("arrangement", "organisation")
    autocomplete_fields = ("arrangement", "organisation")
    raw_id_fields = ("entry_decision", "political_owner", "admin_owner")
    inlines = [CostInline]


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    autocomplete_fields = ("person", "appointed_by")
    raw_id_fields = ("appointing_decision",)


@admin.register(Body)
class BodyAdmin(RegisterAdmin):
    list_display = ("name", "arrangement", "kind", "powers", "seat_count")
    list_filter = ("kind", "powers")
    search_fields = ("name", "arrangement__name")
    list_select_related = ("arrangement",)
    autocomplete_fields = ("arrangement",)
    inlines = [SeatInline]


@admin.register(Seat)
class SeatAdmin(RegisterAdmin):
    list_display = ("person", "body", "role", "appointed_by", "party", "term_start", "term_end")
    list_filter = ("role",)
    search_fields = ("person__name", "body__name", "body__arrangement__name", "appointed_by__name")
    list_select_related = ("person", "body", "appointed_by")
    autocomplete_fields = ("body", "person", "appointed_by")
    raw_id_fields = ("appointing_decision",)


@admin.register(Cost)
class CostAdmin(RegisterAdmin):
    list_display = ("participation", "year", "budget", "outcome", "forecast")
    list_filter = ("year",)
    search_fields = ("participation__arrangement__name", "participation__organisation__name")
    list_select_related = ("participation__arrangement", "participation__organisation")
    raw_id_fields = ("participation",)


@admin.register(TotalCost)
class TotalCostAdmin(RegisterAdmin):
    list_display = ("arrangement", "year", "budget", "outcome")
    list_filter = ("year",)
    search_fields = ("arrangement__name",)
    list_select_related = ("arrangement",)
    autocomplete_fields = ("arrangement",)


# --- Goals, follow-up, decisions -----------------------------------------------------------


@admin.register(Goal)
class GoalAdmin(RegisterAdmin):
    list_display = ("title", "level", "organisation", "arrangement", "parent", "sort_order")
    list_filter = ("level",)
    search_fields = ("title", "organisation__name", "arrangement__name")
    list_select_related = ("organisation", "arrangement", "parent")
    autocomplete_fields = ("organisation", "arrangement", "parent")


@admin.register(Contribution)
class ContributionAdmin(RegisterAdmin):
    list_display = ("arrangement", "goal", "strength")
    list_filter = ("strength",)
    search_fields = ("arrangement__name", "goal__title")
    list_select_related = ("arrangement", "goal")
    autocomplete_fields = ("arrangement", "goal")


@admin.register(GoalConflict)
class GoalConflictAdmin(RegisterAdmin):
    list_display = ("goal", "arrangement", "identified_on", "status", "is_published")
    list_filter = ("status", "is_published")
    search_fields = ("description", "goal__title", "arrangement__name")
    list_select_related = ("goal", "arrangement")
    autocomplete_fields = ("goal", "arrangement")
    raw_id_fields = ("decision",)


@admin.register(Evaluation)
class EvaluationAdmin(RegisterAdmin):
    list_display = ("arrangement", "organisation", "date", "goal_attainment", "recommendation")
    list_filter = ("goal_attainment", "recommendation", "is_published")
    search_fields = ("arrangement__name", "evaluator", "public_summary")
    list_select_related = ("arrangement", "organisation")
    autocomplete_fields = ("arrangement", "organisation")
    date_hierarchy = "date"


@admin.register(Alternative)
class AlternativeAdmin(RegisterAdmin):
    list_display = (
        "arrangement",
        "kind",
        "organisation",
        "estimated_cost",
        "assessed_on",
        "is_published",
    )
    list_filter = ("kind", "is_published")
    search_fields = ("arrangement__name", "description")
    list_select_related = ("arrangement", "organisation")
    autocomplete_fields = ("arrangement", "organisation")


@admin.register(Decision)
class DecisionAdmin(RegisterAdmin):
    list_display = ("date", "title", "arrangement", "deciding_body", "kind", "is_published")
    list_filter = ("kind", "is_published", "is_example")
    search_fields = ("title", "reference", "diary_number", "deciding_body", "arrangement__name")
    list_select_related = ("arrangement",)
    autocomplete_fields = ("arrangement", "organisation", "body")
    date_hierarchy = "date"


@admin.register(Document)
class DocumentAdmin(RegisterAdmin):
    list_display = ("title", "kind", "version", "arrangement", "valid_from", "is_published")
    list_filter = ("kind", "is_published", "is_example")
    search_fields = ("title", "diary_number", "arrangement__name")
    list_select_related = ("arrangement",)
    autocomplete_fields = ("arrangement", "decision", "supersedes")
    readonly_fields = ("file_name", "content_type", "size", "sha256", "text_status", "uploaded_by")


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    """The PDFs made in the background, to see what waits, what failed and why (the cause is in
    the log). Read-only: a job is made by its PDF link and derived from the register, so it has
    no history (``register.models.jobs``)."""

    list_display = ("created_at", "kind", "organisation", "status", "done", "total", "message")
    list_filter = ("kind", "status")
    search_fields = ("organisation__name", "key", "message")
    list_select_related = ("organisation",)
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ("sort_order", "number", "title", "service_area", "document_url")
    formfield_overrides = URL_FIELD_OVERRIDES


@admin.register(Meeting)
class MeetingAdmin(RegisterAdmin):
    list_display = ("starts_at", "body", "title", "status", "place")
    list_filter = ("status",)
    search_fields = ("title", "place", "body__name", "body__arrangement__name")
    list_select_related = ("body", "body__arrangement")
    autocomplete_fields = ("body",)
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(RegisterAdmin):
    list_display = ("meeting", "number", "title", "service_area")
    search_fields = ("title", "number", "meeting__body__name")
    list_select_related = ("meeting", "meeting__body")
    autocomplete_fields = ("meeting",)


@admin.register(Position)
class PositionAdmin(RegisterAdmin):
    list_display = ("item", "organisation", "stance", "agreed_in", "outcome", "is_published")
    list_filter = ("stance", "agreed_in", "outcome", "is_published")
    search_fields = ("item__title", "text", "organisation__name")
    list_select_related = ("item", "organisation")
    autocomplete_fields = ("item", "organisation", "decision")


@admin.register(InformationEntry)
class InformationEntryAdmin(RegisterAdmin):
    list_display = ("informed_at", "organisation", "kind", "informed")
    list_filter = ("kind",)
    search_fields = ("informed", "note", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation", "meeting", "position", "person")


class ReviewItemInline(admin.TabularInline):
    model = ReviewItem
    extra = 0
    fields = ("participation", "direction", "priority", "follow_up", "due_date")
    raw_id_fields = ("participation",)


@admin.register(Review)
class ReviewAdmin(RegisterAdmin):
    list_display = ("date", "title", "organisation", "body", "is_example")
    list_filter = ("is_example",)
    search_fields = ("title", "reference", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    date_hierarchy = "date"
    inlines = [ReviewItemInline]


@admin.register(ReviewItem)
class ReviewItemAdmin(RegisterAdmin):
    list_display = ("review", "participation", "direction", "priority", "follow_up", "due_date")
    list_filter = ("direction", "priority", "follow_up")
    search_fields = ("review__title", "participation__arrangement__name")
    list_select_related = ("review", "participation__arrangement", "participation__organisation")
    raw_id_fields = ("review", "participation")


@admin.register(JoinRequest)
class JoinRequestAdmin(RegisterAdmin):
    list_display = ("arrangement", "organisation", "role", "status", "requested_at", "decided_at")
    list_filter = ("status", "role")
    search_fields = ("arrangement__name", "organisation__name", "message")
    list_select_related = ("arrangement", "organisation")
    autocomplete_fields = ("arrangement", "organisation")
    raw_id_fields = ("requested_by", "decided_by", "import_batch")
    readonly_fields = ("requested_at",)
    date_hierarchy = "requested_at"


@admin.register(CalendarToken)
class CalendarTokenAdmin(RegisterAdmin):
    """Calendar addresses: the administrator sees who has one and may revoke it (the key itself is
    not shown)."""

    list_display = ("user", "created_at", "revoked_at")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    fields = ("user", "revoked_at")
