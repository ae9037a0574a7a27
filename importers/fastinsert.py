"""The importer's bulk insert is the register's one bulk path: ``register.services.bulk``.

Kept as a thin re-export so that ``importers.fastinsert.insert`` goes on working.
"""

from register.services.bulk import insert, insert_rows  # noqa: F401
