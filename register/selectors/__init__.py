"""Read side: querysets and page data for the internal register. No writes.

Every queryset starts from ``Access`` (register/access.py) so that a user never sees more than
they may. Pages stay within a fixed number of SQL queries whatever the data size: counts are
subqueries, related rows are prefetched in one query per relation, sections that are empty are
not queried at all, and the change log is one UNION query with the previous version of each row
taken by a window function.
"""
