"""The search index (register/search.py): the entries' table on every database, and beside it
the searchable form on the database in use.

PostgreSQL: the ``unaccent`` extension and a text search configuration ``register_swedish``,
a copy of the built-in ``swedish`` whose words go through ``unaccent`` before the Swedish
Snowball stemmer (so "forbundsordning" and "förbundsordningen" both become "forbundsordning");
a generated ``tsvector`` column (title weight A, text weight B) and a GIN index on it.

SQLite: an FTS5 table (tokenizer ``unicode61 remove_diacritics 2``) that triggers keep in step
with the entries, through the function ``register_search_terms`` that the register installs on
every SQLite connection (the same Swedish Snowball stemmer, in Python: register/search.py).
"""

from django.db import migrations, models

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION register_swedish (COPY = pg_catalog.swedish)",
    "ALTER TEXT SEARCH CONFIGURATION register_swedish ALTER MAPPING FOR "
    "asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, swedish_stem",
    # Punctuation inside a diary number or an address ("KS 2024/123", "e-post") separates words,
    # as the words of a query are separated (register/search.py).
    "ALTER TABLE register_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('register_swedish'::regconfig, translate(title, '/-._:@', '      ')), 'A')"
    " || setweight(to_tsvector('register_swedish'::regconfig, "
    "translate(left(body, 500000), '/-._:@', '      ')), 'B')) STORED",
    "CREATE INDEX register_searchentry_vector ON register_searchentry USING GIN (vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS register_searchentry_vector",
    "ALTER TABLE register_searchentry DROP COLUMN IF EXISTS vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS register_swedish",
]

SQLITE = [
    "CREATE VIRTUAL TABLE register_search_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER register_search_fts_insert AFTER INSERT ON register_searchentry BEGIN "
    "INSERT INTO register_search_fts (rowid, title, body) VALUES "
    "(new.id, register_search_terms(new.title), register_search_terms(new.body)); END",
    "CREATE TRIGGER register_search_fts_update AFTER UPDATE ON register_searchentry BEGIN "
    "DELETE FROM register_search_fts WHERE rowid = old.id; "
    "INSERT INTO register_search_fts (rowid, title, body) VALUES "
    "(new.id, register_search_terms(new.title), register_search_terms(new.body)); END",
    "CREATE TRIGGER register_search_fts_delete AFTER DELETE ON register_searchentry BEGIN "
    "DELETE FROM register_search_fts WHERE rowid = old.id; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS register_search_fts_insert",
    "DROP TRIGGER IF EXISTS register_search_fts_update",
    "DROP TRIGGER IF EXISTS register_search_fts_delete",
    "DROP TABLE IF EXISTS register_search_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0013_documents"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=20, verbose_name="typ")),
                ("object_id", models.PositiveBigIntegerField(verbose_name="post")),
                (
                    "internal",
                    models.BooleanField(
                        default=False,
                        help_text="Raden har också postens interna anteckningar: bara för dem som får läsa dem.",
                        verbose_name="med interna fält",
                    ),
                ),
                ("title", models.CharField(max_length=500, verbose_name="rubrik")),
                ("context", models.CharField(blank=True, max_length=500, verbose_name="sammanhang")),
                ("url", models.CharField(max_length=500, verbose_name="adress")),
                ("body", models.TextField(blank=True, verbose_name="text")),
            ],
            options={
                "verbose_name": "sökpost",
                "verbose_name_plural": "sökindex",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id", "internal"), name="search_entry_one_per_record"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
