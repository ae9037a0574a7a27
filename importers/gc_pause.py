"""The register's pause of the cyclic garbage collector (``register.gc_pause``), under the name
the importer's modules use: reading, planning, writing and undoing a file pause it."""

from __future__ import annotations

from register.gc_pause import paused_gc

__all__ = ["paused_gc"]
