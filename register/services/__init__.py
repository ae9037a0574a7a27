"""Write side of the register: every change goes through one of these functions.

Services are keyword-only, run in one transaction and call ``full_clean()`` before saving, so that
nothing half-written reaches the database. Those that take ``access`` check it themselves and raise
``PermissionDenied``; ``access=None`` means a trusted caller (a management command or the importer,
which checks the user's right to the whole batch). ``reason`` is the change reason on the history
rows a write makes: the importer tags every write with its batch and undoes it from that history.

Many records of one model are written at once by ``records.records_create_many`` (and
``arrangements.arrangements_create_many``), checked as one record is; ``bulk`` is how, and no
caller outside this package uses it. What the write side writes without Django's model signals it
announces through its one hook, ``changes.data_changed``.
"""
