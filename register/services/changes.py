"""The write side's one hook: whoever keeps something derived from the register's data (the
public pages' cache) listens here, and the services never need to know who that is.

Records saved or deleted one at a time already send Django's own model signals; the bulk path
(:mod:`register.services.bulk`) writes with plain SQL and sends none, so it sends
:data:`data_changed` instead, once per statement batch, with the model as sender.
"""

from __future__ import annotations

from django.dispatch import Signal

#: Sent after register data was written without model signals; ``sender`` is the model and
#: ``ids`` the primary keys of the rows written or deleted (None: the writer does not say).
data_changed = Signal()


def announce(model, ids=None) -> None:
    """Tell every listener that rows of ``model`` (those with ``ids``) were written or deleted."""
    data_changed.send(sender=model, ids=None if ids is None else list(ids))
