"""Server time of the one search (``/sok/``, register/search.py) on seed_scale data with documents.

Run from the repository root: ``.venv/bin/python bench/search.py [--arrangements 5000]
[--documents 2000] [--years 10] [--seed 1] [--runs 15]``. Like bench/pages.py it builds a
throwaway SQLite database (the embedded default; FTS5), migrates it and loads ``seed_scale``
(which the index follows through the bulk path's hook), then adds ``--documents`` governing
documents with generated Swedish text of a few hundred words each, half of them published, and
measures the search for a member of the busiest municipality, a user without membership and a
register administrator: common, rare and two-word queries, one without å/ä/ö, through the
service and through the page with Django's test Client (the median of N runs after a few
warm-ups). One JSON line per figure on stdout, for example::

    {"name": "search_common_member", "value": 41.2, "unit": "ms", "hits": 812, "limit": 200}

Progress goes to stderr. The exit status is 1 if a search takes longer than ``--limit`` ms.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale_setup import (  # noqa: E402 (bench/ itself is on the path)
    busiest_editor,
    log,
    median_ms,
    page_times,
    scale_parser,
    seeded,
)

# Words of a governing document; the rare ones appear in a few documents only.
COMMON = """förbundsordning förbundet medlemskommunerna direktionen ändamål uppgifter ansvar
kostnader fördelning andel invånare budget revision revisorer utträde likvidation upplösning
tvister arvoden ersättning sammanträden protokoll anslagstavla kungörelser styrelse ledamöter
ersättare mandattid fullmäktige kommunstyrelse nämnden verksamhet tillsyn räddningstjänst
avfall vatten avlopp överförmyndare miljö hälsoskydd bygglov ekonomi redovisning årsredovisning
delårsrapport insyn samråd medlemmarna beslutar gemensamt enligt paragraf kommunallagen
bestämmelser gäller från och med till dess att ändras""".split()
RARE = """ekebyholmsstationen sotningstaxan lindholmenutredningen kvarnholmsavtalet
vinterväghållningen gångbrobygget""".split()


def document_text(rng: random.Random, words: int) -> str:
    out = []
    for n in range(words):
        out.append(rng.choice(RARE) if rng.random() < 0.002 else rng.choice(COMMON))
        if n % 12 == 11:
            out[-1] += "."
    return " ".join(out)


def add_documents(count: int, seed: int) -> int:
    from register.management.commands.seed_scale import scale_arrangements
    from register.models import Document
    from register.services import records

    rng = random.Random(seed)
    arrangements = list(scale_arrangements().values_list("pk", flat=True))
    kinds = [k for k, _ in Document.Kind.choices]
    rows = [
        {
            "arrangement_id": rng.choice(arrangements),
            "kind": rng.choice(kinds),
            "title": f"{rng.choice(['Förbundsordning', 'Reglemente', 'Avtal', 'Budget'])} {n}",
            "is_published": n % 2 == 0,
            "text": document_text(rng, rng.randint(200, 1200)),
            "text_status": "done",
        }
        for n in range(count)
    ]
    ids = []
    for start in range(0, len(rows), 500):
        ids += records.records_create_many(model=Document, rows=rows[start : start + 500])
    return len(ids)


class _Kept:
    def cleanup(self) -> None:
        pass


def seeded_on(database_url: str, args):
    """``seeded`` on a database of the caller's (PostgreSQL: the production engine)."""
    import os

    from scale_setup import start_django

    os.environ["DATABASE_URL"] = database_url
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    start_django()
    from django.core.management import call_command

    from register.management.commands.seed_scale import seed_scale

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"Migrerad på {time.perf_counter() - started:.1f} s.")
    from register.management.commands.seed_scale import ScaleDataExists

    try:
        result = seed_scale(arrangements=args.arrangements, years=args.years, seed=args.seed)
    except ScaleDataExists as exc:  # a second run on the same database measures its data
        log(f"seed_scale: {exc.args[0]} samverkan fanns redan; de mäts.")
        return _Kept(), SimpleNamespace(arrangements=exc.args[0])
    log(f"seed_scale: {result.arrangements} samverkan på {result.seconds:.1f} s.")
    return _Kept(), result


def main(argv=None) -> int:
    parser = scale_parser(__doc__)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--limit", type=float, default=200.0, help="Högsta tillåtna tid i ms.")
    parser.add_argument(
        "--database-url",
        help="En tom PostgreSQL-databas att mäta på i stället för en tillfällig SQLite-databas "
        "(mätningen migrerar den och lämnar sina data kvar).",
    )
    args = parser.parse_args(argv)
    if args.database_url:
        tmp, result = seeded_on(args.database_url, args)
    else:
        tmp, result = seeded(
            "bench-search-", arrangements=args.arrangements, years=args.years, seed=args.seed
        )

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from register import search
    from register.access import Access
    from register.models import Document, SearchEntry

    started = time.perf_counter()
    documents = Document.objects.count() or add_documents(args.documents, args.seed)
    log(f"{documents} handlingar skapade och indexerade på {time.perf_counter() - started:.1f} s.")
    log(f"Sökindexet: {SearchEntry.objects.count()} poster.")

    User = get_user_model()
    User.objects.filter(username__in=["bench-editor", "bench-stranger", "bench-admin"]).delete()
    busiest, member = busiest_editor()
    users = {
        "member": member,
        "stranger": User.objects.create_user(username="bench-stranger", password=None),
        "admin": User.objects.create_superuser(username="bench-admin", password=None),
    }
    queries = {
        "common": "förbundsordning",
        "folded": "forbundsordningen",
        "two_words": "direktionen kostnader",
        "prefix": "rädd",
        "rare": "kvarnholmsavtalet",
        "none": "xyzzyplugh",
    }
    status = 0
    for who, user in users.items():
        access = Access.for_user(user)
        for name, query in queries.items():
            ms, found = median_ms(
                lambda a=access, q=query: search.search(a, q), args.runs, args.warmup
            )
            ok = ms <= args.limit
            status = status or (0 if ok else 1)
            line = {
                "name": f"search_{name}_{who}",
                "value": ms,
                "unit": "ms",
                "hits": found.total,
                "limit": args.limit,
                "ok": ok,
                "arrangements": result.arrangements,
                "documents": documents,
                "database": connection.vendor,
            }
            print(json.dumps(line), flush=True)
    client = Client()
    client.force_login(member)
    for name in ("common", "two_words"):
        url = f"{reverse('register:search')}?q={queries[name]}"
        times, n_queries, answered = page_times(
            client, name, url, runs=args.runs, warmup=args.warmup
        )
        times.sort()
        ms = round(times[len(times) // 2], 1)
        ok = answered and ms <= args.limit
        status = status or (0 if ok else 1)
        line = {"name": f"search_page_{name}_member", "value": ms, "unit": "ms"}
        print(json.dumps({**line, "queries": n_queries, "limit": args.limit, "ok": ok}), flush=True)
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
