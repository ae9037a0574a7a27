"""Write side of the register: every change goes through one of these functions.

Services are keyword-only, run in one transaction and call ``full_clean()`` before saving, so that
nothing half-written reaches the database. Those that take ``access`` check it themselves and raise
``PermissionDenied``; ``access=None`` means a trusted caller (a management command or the importer,
which checks the user's right to the whole batch).
"""
