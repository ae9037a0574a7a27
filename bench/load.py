"""A bounded load test on loopback: gunicorn with the seed_scale data, many clients on internal
and public pages while an editor saves through the real form.

Run from the repository root::

    .venv/bin/python bench/load.py [--arrangements 300] [--years 3] [--clients 40] [--seconds 60]
        [--workers 4] [--worker-class sync] [--threads 1] [--save-every 2] [--postgres URL]

It seeds (or copies a cached) SQLite database (``scale_setup.seeded_file``); with ``--postgres
postgres://user:pw@127.0.0.1:54351/`` it makes a database of its own on that server instead
(``samverkan_load_<pid>``, dropped at the end). Then it starts gunicorn (production settings on
plain http, DEBUG off, gunicorn's default 30 s worker timeout) on a free 127.0.0.1 port with
``--workers`` processes of ``--worker-class`` (``sync``: one request at a time per process, the
README's production setting; ``gthread`` with ``--threads`` threads each is the alternative), and
for ``--seconds`` runs:

* ``--clients`` client threads, each with its own keep-alive connection (``requests``), half of
  them logged in (a session made for a reader of the busiest municipality) on internal pages (the
  overview, arrangement pages, the due list, the organisation's and the national network page),
  the others anonymous on Insyn (municipality pages, arrangement pages, the start page), each
  page chosen at random, one request after the other without pause (before the clock starts,
  each kind of page is asked for once per worker, untimed, so that every worker has started);
* an editor of the busiest municipality who every ``--save-every`` s opens an arrangement's
  edit page, takes the form as it is (the CSRF token and version from the page), changes its
  public description and sends it, as a browser would (a save is done when the answer redirects).

JSON lines on stdout (progress on stderr): per page kind and overall the requests, errors (any
answer other than 2xx/3xx, or no answer) and the p50/p95/p99 latency; the saves done and failed;
whether gunicorn logged a WORKER TIMEOUT; the load average at the start and end::

    {"name": "load.all", "requests": 5321, "errors": 0, "p50_ms": 80.1, "p95_ms": 410.0,
     "p99_ms": 900.3, "rps": 88.7, "unit": "ms"}

Exits 1 if there was an error, a failed save or a worker timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from scale_setup import log, seeded_file, start_django  # bench/ is on the path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: At most this many latencies are kept per page kind (memory stays bounded on long runs).
MAX_SAMPLES = 200_000


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrangements", type=int, default=300)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=1, help="per worker, with gthread")
    parser.add_argument("--save-every", type=float, default=2.0)
    parser.add_argument("--postgres", help="a PostgreSQL server's URL: a database of its own there")
    return parser.parse_args(argv)


def emit(name: str, **fields) -> None:
    print(json.dumps({"name": f"load.{name}", **fields}, ensure_ascii=False), flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000, 1)


class Form(HTMLParser):
    """The fields of the page's main POST form (the one with the most fields: the header's
    logout form is a POST form too), as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list]] = []
        self._fields = None
        self._select = self._textarea = None
        self._options: list[tuple[str, bool]] = []

    @property
    def action(self) -> str | None:
        return max(self.forms, key=lambda f: len(f[1]))[0] if self.forms else None

    @property
    def fields(self) -> list[tuple[str, str]]:
        return max(self.forms, key=lambda f: len(f[1]))[1] if self.forms else []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._fields = []
            self.forms.append((a.get("action") or "", self._fields))
        if self._fields is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "image", "file", "reset"):
                self._fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((a.get("value") or "", "selected" in a))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._fields is None:
            return
        if tag == "select" and self._select:
            chosen = [v for v, s in self._options if s] or [v for v, _ in self._options[:1]]
            self._fields.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline right after <textarea>.
            name, text = self._textarea
            self._fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._fields = None


def edited(fields: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """The form's fields with the public description (or else the first text area) changed: a
    marker at its end, replaced each time, so the text does not grow."""
    names = [name for name, _ in fields]
    target = "public_description" if "public_description" in names else "internal_note"
    out, marker = [], " [belastningstest "
    for name, value in fields:
        if name == target:
            value = value.split(marker)[0] + f"{marker}{n}]"
        out.append((name, value))
    return out


class Server:
    """gunicorn on loopback, its log in a file."""

    def __init__(self, env: dict, args, folder: Path):
        self.port = free_port()
        self.log_path = folder / "gunicorn.log"
        command = [
            str(BIN / "gunicorn"),
            "register.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
            "--error-logfile",
            str(self.log_path),
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)

    def wait_ready(self, seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.1)
        return False

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def prepare(args, folder: Path) -> tuple[dict, dict]:
    """Seed the database; return (gunicorn's environment, what the clients need)."""
    env = {
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SETTINGS_MODULE": "tests.settings",  # production settings on plain http
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        "PYTHONWARNINGS": "ignore::UserWarning",
        "JOBS_BACKEND": "thread",
    }
    os.environ.update(env)
    os.environ.pop("REDIS_URL", None)
    if args.postgres:
        import psycopg

        name = f"samverkan_load_{os.getpid()}"
        with psycopg.connect(args.postgres.rstrip("/") + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(args.postgres)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        start_django()
        from django.core.management import call_command

        from register.management.commands.seed_scale import seed_scale

        call_command("migrate", verbosity=0)
        seed_scale(arrangements=args.arrangements, years=args.years, seed=args.seed)
        env["_DROP_DATABASE"] = name
    else:
        seeded_file(
            folder / "load.sqlite3",
            arrangements=args.arrangements,
            years=args.years,
            seed=args.seed,
        )
    env["DATABASE_URL"] = os.environ["DATABASE_URL"]

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from register.models import Arrangement, Membership, Organisation

    busiest = (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .annotate(n=Count("participations"))
        .order_by("-n", "code")
        .first()
    )
    User = get_user_model()

    def session_for(username: str, role) -> str:
        user = User.objects.create_user(username=username, password=None)
        Membership.objects.create(user=user, organisation=busiest, role=role)
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    theirs = list(
        Arrangement.objects.filter(participations__organisation=busiest)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    from register.public.selectors import arrangement_slug

    published = [
        arrangement_slug(a)
        for a in Arrangement.objects.filter(is_published=True)
        .order_by("pk")
        .values("id", "name")[:500]
    ]
    codes = list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .order_by("code")
        .values_list("code", flat=True)
    )
    # The arrangements the editor may change: those its organisation hosts or takes part in.
    from register.access import Access

    editor_session = session_for("load-editor", Membership.Role.EDITOR)
    editor = User.objects.get(username="load-editor")
    access = Access.for_user(editor)
    editable = [
        a.pk for a in Arrangement.objects.filter(pk__in=theirs[:50]) if access.can_change(a)
    ]
    pages = {
        "overview": [reverse("register:overview_organisation", args=[busiest.pk])],
        "arrangement": [reverse("register:arrangement_detail", args=[pk]) for pk in theirs],
        "due": [reverse("register:organisation_due", args=[busiest.pk])],
        "organisation_network": [reverse("register:organisation_network", args=[busiest.pk])],
        "national_network": [reverse("register:network_national")],
        "insyn_municipality": [reverse("public:organisation", args=[c]) for c in codes],
        "insyn_arrangement": [reverse("public:arrangement", args=[s]) for s in published],
        "insyn_index": [reverse("public:index")],
    }
    plan = {
        "reader_session": session_for("load-reader", Membership.Role.READER),
        "editor_session": editor_session,
        "cookie": settings.SESSION_COOKIE_NAME,
        "pages": {kind: urls for kind, urls in pages.items() if urls},
        "edit": [reverse("register:arrangement_update", args=[pk]) for pk in editable],
        "busiest": f"{busiest} ({busiest.n})",
    }
    connections.close_all()
    return env, plan


INTERNAL = {"overview": 3, "arrangement": 4, "due": 2, "organisation_network": 1}
INTERNAL_RARE = {"national_network": 1}  # the heaviest page: once in a while
PUBLIC = {"insyn_municipality": 4, "insyn_arrangement": 4, "insyn_index": 1}


def warm_up(base: str, plan: dict, workers: int) -> None:
    """Ask for each kind of page once per worker, in parallel and untimed: the workers start
    (imports, first connection) before the clock does."""
    import requests

    def get(path: str, cookie: str | None) -> None:
        with requests.Session() as http:
            if cookie:
                http.cookies.set(plan["cookie"], cookie)
            try:
                http.get(base + path, timeout=120, allow_redirects=False)
            except requests.RequestException:
                pass  # counted in the run itself, if it lasts

    for kind, urls in plan["pages"].items():
        cookie = None if kind.startswith("insyn") else plan["reader_session"]
        pool = [threading.Thread(target=get, args=(urls[0], cookie)) for _ in range(workers)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()


def main(argv=None) -> int:
    args = parse_args(argv)
    import requests

    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env, plan = prepare(args, folder)
    log(f"Redigerare och läsare i {plan['busiest']}; {len(plan['edit'])} samverkan att spara i.")
    server = Server({**os.environ, **env}, args, folder)
    base = f"http://127.0.0.1:{server.port}"
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    saves = {"done": 0, "failed": 0}
    stop = threading.Event()

    def record(kind: str, seconds: float, ok: bool) -> None:
        with lock:
            if len(samples[kind]) < MAX_SAMPLES:
                samples[kind].append(seconds)
            if not ok:
                errors[kind] += 1

    def client(i: int) -> None:
        rng = random.Random(i)
        http = requests.Session()
        internal = i % 2 == 0
        if internal:
            http.cookies.set(plan["cookie"], plan["reader_session"])
            weights = {**INTERNAL, **INTERNAL_RARE}
        else:
            weights = PUBLIC
        kinds = [k for k in weights if k in plan["pages"]]
        chances = [weights[k] for k in kinds]
        while not stop.is_set():
            kind = rng.choices(kinds, chances)[0]
            url = base + rng.choice(plan["pages"][kind])
            started = time.perf_counter()
            try:
                response = http.get(url, timeout=60, allow_redirects=False)
                ok = 200 <= response.status_code < 400
                if not ok:
                    log(f"{kind} {url}: HTTP {response.status_code}")
            except requests.RequestException as error:
                ok = False
                log(f"{kind} {url}: {error.__class__.__name__}")
            record(kind, time.perf_counter() - started, ok)

    def editor() -> None:
        http = requests.Session()
        http.cookies.set(plan["cookie"], plan["editor_session"])
        n, begun = 0, time.monotonic()
        # One save every --save-every seconds from the start (at once when a save took longer).
        while not stop.wait(max(0.0, begun + (n + 1) * args.save_every - time.monotonic())):
            n += 1
            url = base + plan["edit"][n % len(plan["edit"])]
            started = time.perf_counter()
            try:
                page = http.get(url, timeout=60)
                form = Form()
                form.feed(page.text)
                fields = dict(form.fields)
                if page.status_code != 200 or not {"csrfmiddlewaretoken", "edit_version"} <= set(
                    fields
                ):
                    raise ValueError(f"edit page: HTTP {page.status_code}, no form with a token")
                http.cookies.set(
                    "csrftoken", page.cookies.get("csrftoken") or http.cookies.get("csrftoken")
                )
                sent = http.post(
                    url if not form.action else requests.compat.urljoin(url, form.action),
                    data=edited(form.fields, n),
                    headers={"Referer": url},
                    timeout=60,
                    allow_redirects=False,
                )
                # Saved: a redirect to the arrangement (not to the login page).
                ok = sent.status_code in (302, 303) and "logga-in" not in sent.headers["Location"]
                if not ok:
                    raise ValueError(f"save: HTTP {sent.status_code}")
            except (requests.RequestException, ValueError) as error:
                ok = False
                log(f"Sparandet misslyckades: {error}")
            record("save", time.perf_counter() - started, ok)
            with lock:
                saves["done" if ok else "failed"] += 1

    status = 0
    load_start = [round(x, 2) for x in os.getloadavg()]
    try:
        if not server.wait_ready():
            log("gunicorn startade inte.")
            return 1
        log(f"gunicorn på {base}: {args.workers} {args.worker_class}; belastning {load_start}")
        warm_up(base, plan, args.workers)
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        threads.append(threading.Thread(target=editor))
        started = time.monotonic()
        for t in threads:
            t.start()
        stop.wait(args.seconds)
        stop.set()
        for t in threads:
            t.join(timeout=70)
        elapsed = time.monotonic() - started
    finally:
        gunicorn_log = server.stop()
        if env.get("_DROP_DATABASE"):
            import psycopg
            from django.db import connections

            connections.close_all()
            with psycopg.connect(args.postgres.rstrip("/") + "/postgres", autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{env["_DROP_DATABASE"]}" WITH (FORCE)')
    load_end = [round(x, 2) for x in os.getloadavg()]

    every: list[float] = []
    for kind in sorted(samples):
        values = samples[kind]
        if kind != "save":
            every.extend(values)
        emit(
            kind,
            requests=len(values),
            errors=errors[kind],
            p50_ms=percentile(values, 0.5),
            p95_ms=percentile(values, 0.95),
            p99_ms=percentile(values, 0.99),
            unit="ms",
        )
    total_errors = sum(n for kind, n in errors.items() if kind != "save")
    emit(
        "all",
        value=percentile(every, 0.95),
        requests=len(every),
        errors=total_errors,
        p50_ms=percentile(every, 0.5),
        p95_ms=percentile(every, 0.95),
        p99_ms=percentile(every, 0.99),
        rps=round(len(every) / elapsed, 1),
        unit="ms",
    )
    timeouts = gunicorn_log.count("WORKER TIMEOUT")
    emit("saves", value=saves["done"], failed=saves["failed"], unit="count")
    emit("worker_timeouts", value=timeouts, unit="count")
    emit(
        "setup",
        clients=args.clients,
        seconds=args.seconds,
        workers=args.workers,
        worker_class=args.worker_class,
        threads=args.threads,
        arrangements=args.arrangements,
        years=args.years,
        database="postgresql" if args.postgres else "sqlite",
        loadavg_start=load_start,
        loadavg_end=load_end,
        cpus=os.cpu_count(),
    )
    log(f"Belastning vid start {load_start}, vid slut {load_end}")
    if total_errors or saves["failed"] or timeouts:
        log(f"Fel: {total_errors}, misslyckade sparanden: {saves['failed']}, timeouts: {timeouts}")
        status = 1
    if not saves["done"] and args.seconds > 2 * args.save_every:
        log("Inget sparande gjordes.")
        status = 1
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
