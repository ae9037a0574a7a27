from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ImportBatch, ImportChoice, ImportRow


class ImportRowInline(admin.TabularInline):
    model = ImportRow
    fields = ("sheet", "row_number", "outcome", "arrangement", "errors", "diff")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(SimpleHistoryAdmin):
    list_display = ("file_name", "organisation", "mode", "created_by", "created_at", "committed_at")
    list_filter = ("mode", "organisation")
    search_fields = ("file_name", "organisation__name", "checksum")
    readonly_fields = (
        "organisation",
        "file_name",
        "checksum",
        "created_by",
        "created_at",
        "committed_at",
        "undone_at",
        "mode",
        "all_or_nothing",
        "summary",
    )
    inlines = [ImportRowInline]

    def has_add_permission(self, request):
        return False


@admin.register(ImportRow)
class ImportRowAdmin(admin.ModelAdmin):
    list_display = ("batch", "sheet", "row_number", "outcome", "arrangement")
    list_filter = ("outcome",)
    readonly_fields = (
        "batch",
        "sheet",
        "row_number",
        "outcome",
        "raw",
        "errors",
        "warnings",
        "diff",
        "journal",
        "arrangement",
    )

    def has_add_permission(self, request):
        return False


@admin.register(ImportChoice)
class ImportChoiceAdmin(admin.ModelAdmin):
    """The registrars' remembered decisions; deleting one makes the next preview ask again."""

    list_display = (
        "organisation",
        "list_key",
        "key",
        "kind",
        "arrangement",
        "partner",
        "decided_at",
    )
    list_filter = ("kind", "organisation")
    search_fields = ("list_key", "key", "organisation__name")
    readonly_fields = (
        "organisation", "list_key", "key", "kind", "arrangement", "partner", "decided_by",
        "decided_at",
    )  # fmt: skip

    def has_add_permission(self, request):
        return False
