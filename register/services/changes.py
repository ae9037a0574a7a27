"""The write side's one hook: whoever keeps something derived from the register's data (the
public pages' cache) listens here, and the services never need to know who that is.

Records saved or deleted one at a time already send Django's own model signals; the bulk path
(:mod:`register.services.bulk`) writes with plain SQL and sends none, so it sends
:data:`data_changed` instead, once per statement batch, with the model as sender and, when
it knows them, the rows' ``columns`` (attribute name -> one value per row), so that a listener
can tell which records were written (``register.dataversions``).
"""

from __future__ import annotations

from django.dispatch import Signal

#: Sent after register data was written without model signals; ``sender`` is the model and
#: ``ids`` the primary keys of the rows written or deleted (None: the writer does not say).
data_changed = Signal()


def announce(model, ids=None, columns: dict | None = None) -> None:
    """Tell every listener that rows of ``model`` were written or deleted: ``ids``, the rows' ids
    when known (the search index reads them); ``columns``, the written rows' values by attribute
    name, one list per column, when known (the data versions read them)."""
    data_changed.send(sender=model, ids=None if ids is None else list(ids), columns=columns)
