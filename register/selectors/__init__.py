"""Read side: querysets and page data for the internal register. No writes.

Every queryset starts from ``Access`` (register/access.py) so that a user never sees more than
they may. Pages stay within a fixed number of SQL queries whatever the data size, with the ORM's
own tools: ``select_related``, ``prefetch_related`` with ``Prefetch``, counts as subqueries, and
sections that are empty are not queried at all. The one exception, an arrangement's follow-up
sections and the change log as UNION queries (the log's SQL compiled once), is kept in
``union.py`` with the reasons and measurements; the change log's diffs are simple-history's
``diff_against``.
"""
