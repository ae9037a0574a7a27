from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "importers"
    verbose_name = "Import"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # An import batch is its organisation's: its members see it, its editors save and undo
        # it. Registered here so that register.access knows the rule without importing us.
        from register.access import Access, Rule

        from .models import ImportBatch

        Access.register(ImportBatch, Rule(members="organisation", owner="organisation"))
