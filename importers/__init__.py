"""The Excel import and export (namespace ``importers:``).

From the upload to SQL the modules import one way, lowest first (``tests/importers/test_layers.py``
keeps it so):

* ``text``: a cell as text, names folded for comparison.
* ``readers/``: the file into a workbook, no ORM: ``__init__`` (``open_workbook``, the format
  from the first bytes), ``archive`` (the zip-bomb guard), ``xlsx``, ``xls``, ``csvfile``,
  ``scanning`` (the header block below the title rows), ``headers`` (the header vocabulary),
  ``workbook`` (what a reader returns, the limits).
* ``values``, ``representatives``, ``partners``, ``choices``: a cell's value (forms, amounts
  through ``register.amounts``, dates, notice, decisions, areas), who represents us, which
  organisations take part, what identifies a list and a row between imports.
* ``planning`` and what it uses: ``selectors`` (every read of the database), ``lookups`` (a
  file's reference data), ``parsing`` (a row's cells), ``fields`` (the model fields' rules),
  ``changes`` (the per-field diff), ``joining`` (requests to join), ``results`` (the result
  types); ``models`` (batches, their rows, files and remembered decisions).
* ``services`` (the entry points: preview, commit, decide, undo), ``writing`` (a plan written
  through ``register.services``, tagged with the batch in the history), ``undo``,
  ``batch_history`` and ``obstacles`` (undo from that history, and what stands in its way),
  ``storage`` (the uploaded file); the collector's pause is ``register.gc_pause``.
* The pages and commands: ``views``, ``forms``, ``exporters``, ``admin``, ``urls``,
  ``management/commands/`` (``import_excel``, ``purge_imports``).
"""
