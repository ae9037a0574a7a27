"""One search over everything a user may see (``/sok/``, and Insyn's published documents).

The index (``SearchEntry``) holds one row per record: its title, a line of context, its address
and its text as written. A record with internal fields (``internal_note`` …) gets a second row
with them added, which only those who may read them match (``Access.internal_readable``); the
first row never holds them, so nobody else, and never Insyn, finds a record by them.

Two engines behind one :func:`search`, chosen by the database:

* PostgreSQL: full-text search with the text search configuration ``register_swedish`` (the
  built-in ``swedish`` with ``unaccent`` before the Snowball stemmer, migration 0014), a
  generated ``tsvector`` (title A, text B) with a GIN index, ranked by ``ts_rank``. The
  configuration does the folding and stemming inside the database, so the index is PostgreSQL's
  own and needs no Python to stay current.
* SQLite: an FTS5 table (``unicode61 remove_diacritics 2``) kept by triggers through
  ``register_search_terms``, which folds å/ä/ö and stems with the same Swedish Snowball algorithm
  (the ``snowballstemmer`` package) that PostgreSQL uses; the query goes through the same
  function, ranked by ``bm25`` with the title weighing ten times the text.

Both fold first and stem after, drop the same Swedish stop words, split words at the same
punctuation, and match every word of the query (a word of three letters or more also as the
start of a longer word: "bolag" finds "bolagsordning"). Who may see a result is decided in the
same SQL statement, by ``Access`` (``visible_q`` and ``internal_readable_q`` per model), so the
answer is one query whatever the user or the number of hits.

The index is kept current by the models' own signals (``post_save``/``post_delete``, in the
write's transaction) and by the bulk path's hook (``services.changes.data_changed`` with the
ids), and rebuilt whole by ``manage.py rebuild_search_index``.
"""

from __future__ import annotations

import contextvars
import re
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import jobs
from .access import Access
from .models import (
    AgendaItem,
    Arrangement,
    Body,
    Decision,
    Document,
    Evaluation,
    Meeting,
    Organisation,
    Person,
    SearchEntry,
)

#: The longest query searched (as the lists' search, register/web/filters.py).
MAX_QUERY_LENGTH = 200
#: At most this many words of a query are searched.
MAX_TERMS = 10
#: Results shown per kind on the page of all kinds, and on a page of one kind.
PER_KIND = 10
PER_KIND_ALONE = 50
#: Only this much of a document's text is indexed (PostgreSQL's tsvector has a size limit).
MAX_BODY = 500_000

# --- text ---------------------------------------------------------------------------------------

#: A word: letters and digits (underscores and punctuation separate words).
WORD = re.compile(r"[^\W_]+")

#: PostgreSQL's Swedish stop words (tsearch_data/swedish.stop, Snowball's list). PostgreSQL checks
#: them after ``unaccent``, so a word with å, ä or ö in the list ("för") is in effect not one.
STOP_WORDS = frozenset(
    """och det att i en jag hon som han på den med var sig för så till är men ett om hade de av
    icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något
    från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller
    allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa
    några deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför varje
    vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas""".split()
)

_STEMMER = snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    base = base.lower()
    return base if len(base) == 1 else char.lower()[:1] or char


def fold(text: str) -> str:
    """Return ``text`` in lower case without accents, one character for one (å, ä -> a; ö -> o;
    é -> e), so that a position in the folded text is the same position in the text."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Return the Swedish Snowball stem of a folded word ("forbundsordningen" ->
    "forbundsordning")."""
    return _STEMMER.stemWord(word)


def terms(text: str) -> list[str]:
    """Return the searchable words of ``text``: folded, without stop words, stemmed."""
    return [stem(w) for w in WORD.findall(fold(text)) if w not in STOP_WORDS]


def index_terms(text: str | None) -> str:
    """The searchable form of a text for SQLite's FTS5 table (``register_search_terms``)."""
    return " ".join(terms(text or ""))


def clean_query(query: str) -> str:
    """Return the query without control characters, one space between words, capped."""
    query = "".join(c for c in query if unicodedata.category(c)[0] != "C")
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def query_words(query: str) -> list[tuple[str, str]]:
    """Return (folded word, stem) for each searchable word of the query, at most MAX_TERMS."""
    found, seen = [], set()
    for word in WORD.findall(fold(clean_query(query))):
        if word in STOP_WORDS or word in seen:
            continue
        seen.add(word)
        found.append((word, stem(word)))
    return found[:MAX_TERMS]


def _is_prefix(term: str) -> bool:
    return len(term) >= 3


# --- what is indexed ----------------------------------------------------------------------------


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def _document_url(document) -> str:
    """The document's own page."""
    return document.get_absolute_url()


def _local_day(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d}"


@dataclass(frozen=True)
class Source:
    """One kind of record in the index: how to read it, what of it is public and what internal.

    ``parents``: (model, path) of the records whose name is part of this kind's title or context;
    when one of them changes, its records of this kind are indexed again."""

    kind: str
    label: str
    model: type
    related: tuple[str, ...]
    title: Callable
    context: Callable
    public: Callable
    internal: Callable
    url: Callable = lambda obj: obj.get_absolute_url()
    parents: tuple[tuple[type, str], ...] = field(default=())


SOURCES: tuple[Source, ...] = (
    Source(
        kind="arrangement",
        label="Samverkan",
        model=Arrangement,
        related=("form",),
        title=lambda a: a.name,
        context=lambda a: a.form.name if a.form_id else "",
        public=lambda a: _join(a.short_name, a.seat, a.decision_rule, a.public_description),
        internal=lambda a: a.internal_note,
    ),
    Source(
        kind="document",
        label="Styrdokument",
        model=Document,
        related=("arrangement",),
        title=lambda d: str(d),
        context=lambda d: f"{d.get_kind_display()} · {d.arrangement.name}",
        public=lambda d: _join(d.diary_number, d.file_name, (d.text or "")[:MAX_BODY]),
        internal=lambda d: d.internal_note,
        url=_document_url,
        parents=((Arrangement, "arrangement"),),
    ),
    Source(
        kind="decision",
        label="Beslut",
        model=Decision,
        related=("arrangement",),
        title=lambda d: d.title,
        context=lambda d: _join(d.date, d.deciding_body, d.arrangement.name).replace("\n", " · "),
        public=lambda d: _join(d.reference, d.diary_number, d.deciding_body, d.public_summary),
        internal=lambda d: d.internal_note,
        url=lambda d: d.get_absolute_url(),
        parents=((Arrangement, "arrangement"),),
    ),
    Source(
        kind="evaluation",
        label="Uppföljningar",
        model=Evaluation,
        related=("arrangement",),
        title=lambda e: f"Uppföljning {e.date:%Y-%m-%d}",
        context=lambda e: e.arrangement.name,
        public=lambda e: _join(e.evaluator, e.public_summary),
        internal=lambda e: _join(e.cost_assessment, e.collaboration, e.internal_note),
        parents=((Arrangement, "arrangement"),),
    ),
    Source(
        kind="meeting",
        label="Sammanträden",
        model=Meeting,
        related=("body",),
        title=lambda m: m.title or f"Sammanträde {_local_day(m.starts_at)}",
        context=lambda m: f"{m.body.name} · {_local_day(m.starts_at)}",
        public=lambda m: _join(m.place),
        internal=lambda m: m.internal_note,
        parents=((Body, "body"),),
    ),
    Source(
        kind="agenda_item",
        label="Ärenden",
        model=AgendaItem,
        related=("meeting__body",),
        title=lambda i: str(i),
        context=lambda i: f"{i.meeting.body.name} · {_local_day(i.meeting.starts_at)}",
        public=lambda i: "",
        internal=lambda i: "",
        parents=((Body, "meeting__body"), (Meeting, "meeting")),
    ),
    Source(
        kind="organisation",
        label="Organisationer",
        model=Organisation,
        related=(),
        title=lambda o: o.name,
        context=lambda o: o.get_kind_display(),
        public=lambda o: _join(o.short_name, o.code, o.public_description),
        internal=lambda o: o.internal_note,
    ),
    Source(
        kind="person",
        label="Personer",
        model=Person,
        related=("organisation",),
        title=lambda p: str(p),
        context=lambda p: p.organisation.name if p.organisation_id else "",
        public=lambda p: _join(p.title, p.party),
        internal=lambda p: p.internal_note,
        parents=((Organisation, "organisation"),),
    ),
)
BY_KIND = {s.kind: s for s in SOURCES}
BY_MODEL = {s.model: s for s in SOURCES}


def _entries(source: Source, obj) -> list[SearchEntry]:
    title = str(source.title(obj))[:500]
    common = {
        "kind": source.kind,
        "object_id": obj.pk,
        "title": title,
        "context": str(source.context(obj))[:500],
        "url": source.url(obj)[:500],
    }
    public = source.public(obj) or ""
    rows = [SearchEntry(internal=False, body=public, **common)]
    internal = source.internal(obj) or ""
    if internal.strip():
        rows.append(SearchEntry(internal=True, body=_join(public, internal), **common))
    return rows


def reindex(source: Source, ids: Iterable[int] | None = None) -> int:
    """Index the records of ``source`` with ``ids`` again (all of them for None): entries of
    records that are gone are removed. Return the number of entries written."""
    entries = SearchEntry.objects.filter(kind=source.kind)
    records = source.model._default_manager.select_related(*source.related).order_by("pk")
    if ids is not None:
        ids = sorted(set(ids))
        if not ids:
            return 0
        entries = entries.filter(object_id__in=ids)
        records = records.filter(pk__in=ids)
    written = 0
    with transaction.atomic():
        entries.delete()
        batch = []
        for obj in records.iterator(chunk_size=500):
            batch.extend(_entries(source, obj))
            if len(batch) >= 500:
                written += len(SearchEntry.objects.bulk_create(batch))
                batch = []
        written += len(SearchEntry.objects.bulk_create(batch))
    return written


def reindex_changed(model, ids: Iterable[int]) -> None:
    """Index again the records of ``model`` with ``ids`` and the records whose title or context
    names them (an arrangement's documents, decisions and evaluations …)."""
    ids = list(ids)
    source = BY_MODEL.get(model)
    if source is not None:
        reindex(source, ids)
    for child in SOURCES:
        for parent, path in child.parents:
            if parent is model:
                reindex(
                    child,
                    child.model._default_manager.filter(**{f"{path}__in": ids}).values_list(
                        "pk", flat=True
                    ),
                )


def rebuild() -> dict[str, int]:
    """Build the whole index again; return the number of entries per kind."""
    with transaction.atomic():
        counts = {source.kind: reindex(source) for source in SOURCES}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO register_search_fts (register_search_fts) VALUES ('optimize')"
            )
    return counts


# --- keeping it current -------------------------------------------------------------------------

_WATCHED = {s.model for s in SOURCES} | {p for s in SOURCES for p, _ in s.parents}


_paused: contextvars.ContextVar[bool] = contextvars.ContextVar("search_paused", default=False)


@contextmanager
def paused():
    """Leave the index alone while a command writes the whole register (``load_demo``,
    ``seed_scale``) and then rebuilds it once (``rebuild_search_index``)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _on_save(sender, instance, raw=False, **kwargs):
    if not raw and not _paused.get():
        reindex_changed(sender, [instance.pk])


def _on_delete(sender, instance, **kwargs):
    source = BY_MODEL.get(sender)
    if source is not None:
        SearchEntry.objects.filter(kind=source.kind, object_id=instance.pk).delete()


def _on_data_changed(sender, ids=None, **kwargs):
    """The bulk path wrote rows of ``sender`` without signals (an import, the demo, a seed):
    index them in the background (``register.jobs``; at once where jobs run inline), so that a
    10,000-row import does not wait for the index."""
    if sender not in _WATCHED or _paused.get():
        return
    jobs.enqueue(
        "register.search.reindex_written", sender._meta.label, None if ids is None else list(ids)
    )


def reindex_written(label: str, ids: list[int] | None) -> None:
    """Index again the rows of the model ``label`` with ``ids`` and the records that name them
    (every record of the kind, and of the kinds that name it, when ``ids`` is None)."""
    from django.apps import apps

    model = apps.get_model(label)
    if ids is not None:
        reindex_changed(model, ids)
        return
    source = BY_MODEL.get(model)
    if source is not None:
        reindex(source)
    for child in SOURCES:
        if any(parent is model for parent, _ in child.parents):
            reindex(child)


def _install_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "register_search_terms", 1, index_terms, deterministic=True
        )


def connect_signals() -> None:
    """Keep the index current (called from the register's AppConfig.ready)."""
    from django.db.backends.signals import connection_created

    from .services.changes import data_changed

    connection_created.connect(_install_sqlite_function, dispatch_uid="search-sqlite-function")
    if connection.connection is not None:  # a connection opened before the app was ready
        _install_sqlite_function(None, connection)
    data_changed.connect(_on_data_changed, dispatch_uid="search-bulk", weak=False)
    for model in _WATCHED:
        uid = f"search-{model._meta.label}"
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}-delete", weak=False)


# --- searching ----------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    context: str
    url: str
    title_html: SafeString
    snippet: SafeString


@dataclass
class Group:
    kind: str
    label: str
    total: int
    hits: list[Hit]

    @property
    def more(self) -> bool:
        return self.total > len(self.hits)


@dataclass
class Results:
    query: str
    words: list[str]
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


NOTHING = Q(pk__in=[])


def _allowed(access: Access, sources: Iterable[Source], *, internal: bool) -> Q:
    """The entries of ``sources`` that ``access`` may match: the public row of every record
    the user may see; the internal row where they may read its internal fields."""
    condition = Q()
    for source in sources:
        visible = access.visible_q(source.model)
        rows = Q(kind=source.kind, internal=False)
        if visible:
            rows &= Q(object_id__in=source.model._default_manager.filter(visible).values("pk"))
        condition = condition | rows if condition else rows
        if not internal:
            continue
        readable = access.internal_readable_q(source.model)
        if readable == NOTHING:
            continue
        rows = Q(kind=source.kind, internal=True)
        if readable:
            rows &= Q(object_id__in=source.model._default_manager.filter(readable).values("pk"))
        condition = condition | rows
    return condition


def _postgresql_match(words: list[tuple[str, str]]) -> tuple[str, list]:
    query = " & ".join(f"{w}:*" if _is_prefix(s) else w for w, s in words)
    return (
        "SELECT e.id, e.kind, e.object_id, e.internal, ts_rank(e.vector, q) AS score "
        "FROM register_searchentry e, to_tsquery('register_swedish', %s) q WHERE e.vector @@ q",
        [query],
    )


def _sqlite_match(words: list[tuple[str, str]]) -> tuple[str, list]:
    query = " ".join(f'"{s}"*' if _is_prefix(s) else f'"{s}"' for _, s in words)
    return (
        "SELECT e.id, e.kind, e.object_id, e.internal, f.score FROM ("
        "SELECT rowid, -bm25(register_search_fts, 10.0, 1.0) AS score "
        "FROM register_search_fts WHERE register_search_fts MATCH %s) f "
        "JOIN register_searchentry e ON e.id = f.rowid",
        [query],
    )


def search(
    access: Access,
    query: str,
    *,
    kinds: Iterable[str] | None = None,
    internal: bool = True,
    per_kind: int | None = None,
) -> Results:
    """Search the index for ``query``: what ``access`` may see, grouped by kind in the order of
    SOURCES, the best first, each group with its total. ``internal=False`` never matches internal
    fields (Insyn). One query."""
    query = clean_query(query)
    words = query_words(query)
    sources = [s for s in SOURCES if kinds is None or s.kind in set(kinds)]
    if not words or not sources:
        return Results(query=query, words=[w for w, _ in words], groups=[])
    if per_kind is None:
        per_kind = PER_KIND_ALONE if len(sources) == 1 else PER_KIND
    match_sql, match_params = (
        _postgresql_match if connection.vendor == "postgresql" else _sqlite_match
    )(words)
    # Who may see what: the WHERE clause Django writes for it on the entries' table, applied to
    # the matching rows only (the CTE is computed first, from the full-text index, and takes the
    # table's name, so that the clause reads its columns).
    allowed = SearchEntry.objects.filter(_allowed(access, sources, internal=internal)).query
    try:
        allowed_sql, allowed_params = allowed.get_compiler(connection=connection).compile(
            allowed.where
        )
    except EmptyResultSet:
        return Results(query=query, words=[w for w, _ in words], groups=[])
    except FullResultSet:
        allowed_sql, allowed_params = "1 = 1", []
    entries = connection.ops.quote_name(SearchEntry._meta.db_table)
    materialized = "MATERIALIZED" if connection.vendor == "postgresql" else ""
    sql = f"""
        WITH matches AS {materialized} ({match_sql}),
        hits AS (
            SELECT id, kind, object_id, score,
                   ROW_NUMBER() OVER (PARTITION BY kind, object_id
                                      ORDER BY score DESC, id) AS copy
            FROM matches AS {entries}
            WHERE {allowed_sql}
        ),
        ranked AS (
            SELECT id, kind, score,
                   ROW_NUMBER() OVER (PARTITION BY kind ORDER BY score DESC, id) AS place,
                   COUNT(*) OVER (PARTITION BY kind) AS total
            FROM hits WHERE copy = 1
        )
        SELECT r.kind, r.total, e.object_id, e.title, e.context, e.url, e.body
        FROM ranked r JOIN register_searchentry e ON e.id = r.id
        WHERE r.place <= %s
        ORDER BY r.kind, r.place
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*match_params, *allowed_params, per_kind])
        rows = cursor.fetchall()
    stems = [s for _, s in words]
    by_kind: dict[str, Group] = {}
    for kind, total, object_id, title, context, url, body in rows:
        source = BY_KIND[kind]
        group = by_kind.setdefault(kind, Group(kind, source.label, total, []))
        group.hits.append(
            Hit(
                kind,
                object_id,
                title,
                context,
                url,
                highlight(title, stems),
                snippet(body or "", stems),
            )
        )
    groups = [by_kind[s.kind] for s in sources if s.kind in by_kind]
    return Results(query=query, words=[w for w, _ in words], groups=groups)


# --- snippets -----------------------------------------------------------------------------------

SNIPPET_CHARS = 200


def _matches(folded: str, stems: list[str]):
    """Yield (start, end) of each word of ``folded`` that a query stem matches, as the engines
    match: its stem equals the query's stem, or starts with it for a stem of three letters or
    more. A word's stem is a start of the word (Snowball's Swedish only removes endings), so only
    words that start with a query stem are stemmed here."""
    if not stems:
        return
    starts = re.compile(
        r"(?<![^\W_])(?:"
        + "|".join(re.escape(s) for s in sorted(set(stems), key=len, reverse=True))
        + r")[^\W_]*"
    )
    for found in starts.finditer(folded):
        word = found.group()
        word_stem = stem(word) if word not in STOP_WORDS else ""
        for s in stems:
            if word_stem == s or (_is_prefix(s) and word_stem.startswith(s)):
                yield found.start(), found.end()
                break


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in spans:
        if start < at or end > len(text):
            continue
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def highlight(text: str, stems: list[str]) -> SafeString:
    """Return ``text`` escaped, with the words the query matches in ``<mark>``."""
    return mark_safe(_marked(text, list(_matches(fold(text), stems))))  # noqa: S308 (escaped)


def snippet(text: str, stems: list[str], *, length: int = SNIPPET_CHARS) -> SafeString:
    """Return a short part of ``text`` around the first word the query matches, escaped, with
    the matching words in ``<mark>`` ("…" where it is cut); the start of the text when no word
    in it matches (the record matched on its title)."""
    if not text.strip():
        return mark_safe("")
    first = next(_matches(fold(text), stems), None)
    at = first[0] if first else 0
    start = max(0, at - length // 3)
    if start:
        space = text.find(" ", start, at)
        start = space + 1 if space >= 0 else at
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", at, end)
        end = space if space > at else end
    part = text[start:end]
    marked = " ".join(_marked(part, list(_matches(fold(part), stems))).split())
    return mark_safe(  # noqa: S308 (every piece is escaped in _marked)
        ("… " if start > 0 else "") + marked + (" …" if end < len(text) else "")
    )
