"""The search index: one row per record that ``/sok/`` finds (and, for a record with internal
notes, a second row that holds them too), kept by ``register.search``.

The row keeps the text as written (for the snippet); the database keeps the searchable form
beside it: on PostgreSQL a generated ``tsvector`` column with a GIN index, on SQLite an FTS5 table
filled by triggers (migration ``0014_search24_index``). Who may see a row is never stored here:
the search asks ``Access`` at query time, so a new membership or a published flag counts at once.
"""

from django.db import models


class SearchEntry(models.Model):
    kind = models.CharField("typ", max_length=20)
    object_id = models.PositiveBigIntegerField("post")
    internal = models.BooleanField(
        "med interna fält",
        default=False,
        help_text="Raden har också postens interna anteckningar: bara för dem som får läsa dem.",
    )
    title = models.CharField("rubrik", max_length=500)
    context = models.CharField("sammanhang", max_length=500, blank=True)
    url = models.CharField("adress", max_length=500)
    body = models.TextField("text", blank=True)

    derived_from_register = True  # made from the records: writing it changes no data version

    class Meta:
        verbose_name = "sökpost"
        verbose_name_plural = "sökindex"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "internal"], name="search_entry_one_per_record"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"
