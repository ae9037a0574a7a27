"""Backup and restore of the whole register: the database with the database's own tools, the
uploaded files (MEDIA_ROOT) and a manifest, in one .tar.gz (``manage.py backup`` / ``restore``).

Why not dumpdata/loaddata: they go through the ORM, so a restore runs the models' signals
(simple-history writes a history row dated at restore time for every saved object) and the
timestamps go through serialisation. Why not django-dbbackup: it writes the database and the
uploaded files as two separate backups with no manifest, so it cannot refuse an archive from
another engine or a newer schema, does not refuse to restore over a database that holds data,
and its PostgreSQL restore is not one transaction. Here the database is copied below the ORM:

* SQLite: the online backup API (``sqlite3.Connection.backup``), a consistent copy of the pages
  while the register runs; the restore copies the pages back in one step (all or nothing).
* PostgreSQL: ``pg_dump --format=custom`` on an exported snapshot, so the manifest's row counts
  and checksums describe exactly the rows in the dump; ``pg_restore --single-transaction
  --exit-on-error --no-owner --clean --if-exists`` (all or nothing).

Every table is described in the manifest by its row count and a checksum over every column of
every row, read as the database's own text of the stored value (SQLite ``quote()``,
PostgreSQL ``row::text``), so nothing the driver converts can hide a difference. A restore checks
the archive (every file against its SHA-256 in the manifest), the engine, the migrations and
that the target database is empty (or ``--force``) before it changes anything, and compares the
restored database with the manifest afterwards.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.db.migrations.loader import MigrationLoader

FORMAT = "samverkansregistret-backup"
FORMAT_VERSION = 1
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Swedish."""


# --- what a database holds ---------------------------------------------------------------------


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
        "ORDER BY schemaname, tablename"
    )
    return [f"{schema}.{table}" for schema, table in cursor.fetchall()]


def _quote(name: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in name.split("."))


def _sequences(cursor, vendor: str) -> dict[str, int | None]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
        )
        if not cursor.fetchone()[0]:
            return {}
        cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
    else:
        cursor.execute(
            "SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
        )
    return {name: value for name, value in cursor.fetchall()}


def summarise(cursor, vendor: str) -> dict:
    """Row count and checksum of every table, and every sequence's value.

    The checksum covers the column names and every row as the database's own text of it
    (order-independent: the rows' digests are sorted), so the same rows give the same sum on
    two databases of the same engine whatever their physical order.
    """
    tables = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT * FROM {_quote(table)} LIMIT 0")  # noqa: S608 (a table's own name)
        columns = [d[0] for d in cursor.description]
        if vendor == "sqlite":
            row_text = " || ',' || ".join(f"quote({_quote(c)})" for c in columns) or "''"
            cursor.execute(f"SELECT {row_text} FROM {_quote(table)}")  # noqa: S608
        else:
            cursor.execute(f"SELECT t::text FROM {_quote(table)} AS t")  # noqa: S608
        digests = []
        while rows := cursor.fetchmany(2000):
            digests.extend(hashlib.sha256(row[0].encode()).digest() for row in rows)
        digests.sort()
        total = hashlib.sha256(json.dumps(columns).encode())
        for digest in digests:
            total.update(digest)
        tables[table] = {"rows": len(digests), "checksum": total.hexdigest()}
    return {"tables": tables, "sequences": _sequences(cursor, vendor)}


def database_summary(connection) -> dict:
    """``summarise`` for a Django connection."""
    with connection.cursor() as cursor:
        return summarise(cursor, connection.vendor)


def differences(expected: dict, actual: dict) -> list[str]:
    """What differs between two summaries, one line per table or sequence, in Swedish."""
    lines = []
    for kind, label in (("tables", "tabell"), ("sequences", "sekvens")):
        want, have = expected.get(kind, {}), actual.get(kind, {})
        for name in sorted(want.keys() | have.keys()):
            if name not in have:
                lines.append(f"{label} {name} saknas")
            elif name not in want:
                lines.append(f"{label} {name} finns inte i säkerhetskopian")
            elif want[name] != have[name]:
                if kind == "tables" and want[name]["rows"] != have[name]["rows"]:
                    lines.append(
                        f"{label} {name}: {have[name]['rows']} rader, "
                        f"säkerhetskopian har {want[name]['rows']}"
                    )
                elif kind == "tables":
                    lines.append(f"{label} {name}: samma antal rader men annat innehåll")
                else:
                    lines.append(f"{label} {name}: {have[name]}, säkerhetskopian har {want[name]}")
    return lines


def applied_migrations(cursor, vendor: str) -> list[list[str]]:
    if "django_migrations" not in {t.rpartition(".")[2] for t in _tables(cursor, vendor)}:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


# --- PostgreSQL's tools -------------------------------------------------------------------------


def _version(path: str) -> tuple[int, ...]:
    try:
        out = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    found = re.search(r"(\d+)(?:\.(\d+))?", out)
    return tuple(int(part) for part in found.groups() if part) if found else ()


def pg_tool(name: str) -> tuple[str, tuple[int, ...]]:
    """The newest ``name`` (pg_dump, pg_restore) on PATH or in Debian's /usr/lib/postgresql/*/bin:
    a client may be older or newer than the server, and pg_dump must be at least the server's."""
    candidates = {p for p in [shutil.which(name)] if p}
    candidates |= {
        str(Path(d) / name) for d in glob.glob(PG_BIN_GLOB) if os.access(Path(d) / name, os.X_OK)
    }
    found = [(version, path) for path in candidates if (version := _version(path))]
    if not found:
        raise BackupError(
            f"{name} saknas: installera PostgreSQL:s klientprogram (Debian: apt-get install "
            f"postgresql-client). ({name} is missing: install the PostgreSQL client tools.)"
        )
    version, path = max(found)
    return path, version


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    env["PGDATABASE"] = settings_dict["NAME"]
    options = settings_dict.get("OPTIONS") or {}
    for option, var in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        if options.get(option):
            env[var] = str(options[option])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise BackupError(f"{Path(command[0]).name} misslyckades: {detail}")


# --- backup -------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(media_root: str | os.PathLike | None) -> list[tuple[Path, str]]:
    if not media_root or not Path(media_root).is_dir():
        return []
    root = Path(media_root)
    files = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            files.append((path, path.relative_to(root).as_posix()))
    return files


def _dump_sqlite(connection, target: Path) -> tuple[dict, list]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        return summarise(cursor, "sqlite"), applied_migrations(cursor, "sqlite")
    finally:
        copy.close()


def _dump_postgresql(connection, target: Path) -> tuple[dict, list]:
    if connection.in_atomic_block:
        raise BackupError("Säkerhetskopian kan inte tas inne i en öppen transaktion.")
    pg_dump, version = pg_tool("pg_dump")
    server = connection.pg_version // 10000
    if version[0] < server:
        raise BackupError(
            f"pg_dump {version[0]} kan inte säkerhetskopiera en PostgreSQL {server}-server: "
            f"installera postgresql-client-{server}. (pg_dump is older than the server.)"
        )
    # One snapshot for the dump and for the manifest's row counts and checksums.
    connection.set_autocommit(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            command = [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}"]
            _run([*command, f"--file={target}"], _pg_env(connection.settings_dict))
            return summarise(cursor, "postgresql"), applied_migrations(cursor, "postgresql")
    finally:
        connection.rollback()
        connection.set_autocommit(True)


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def create_backup(connection, output: Path, media_root, app_version: str) -> BackupResult:
    """Write the archive to ``output`` (through a temporary file beside it, readable by its
    owner only: it holds personal data and password hashes)."""
    engine = connection.vendor
    if engine not in DATABASE_MEMBER:
        raise BackupError(f"Databasmotorn {engine} stöds inte (bara SQLite och PostgreSQL).")
    output = Path(output)
    if not output.parent.is_dir():
        raise BackupError(f"Mappen {output.parent} finns inte.")
    created = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="samverkan-backup-") as work:
        dump = Path(work) / DATABASE_MEMBER[engine]
        if engine == "sqlite":
            summary, migrations = _dump_sqlite(connection, dump)
        else:
            summary, migrations = _dump_postgresql(connection, dump)
        media = [
            {"path": name, "size": path.stat().st_size, "sha256": _sha256(path)}
            for path, name in _media_files(media_root)
        ]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": app_version,
            "engine": engine,
            "created": created.isoformat(),
            "database": {"file": dump.name, "sha256": _sha256(dump), "size": dump.stat().st_size},
            "migrations": migrations,
            "tables": summary["tables"],
            "sequences": summary["sequences"],
            "media": media,
        }
        fd, partial = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
        os.close(fd)
        try:
            os.chmod(partial, 0o600)
            with tarfile.open(partial, "w:gz") as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime, info.mode = len(data), int(created.timestamp()), 0o600
                tar.addfile(info, _BytesReader(data))
                tar.add(dump, arcname=dump.name, recursive=False)
                for path, name in _media_files(media_root):
                    tar.add(path, arcname=f"media/{name}", recursive=False)
            os.replace(partial, output)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return BackupResult(output, manifest)


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.pos + size
        chunk, self.pos = self.data[self.pos : end], min(end, len(self.data))
        return chunk


# --- restore ------------------------------------------------------------------------------------

DAMAGED = "Säkerhetskopian är skadad eller inte en säkerhetskopia från registret"


@dataclass
class Archive:
    """An archive unpacked into ``folder`` and checked against its manifest."""

    manifest: dict
    folder: Path

    @property
    def database(self) -> Path:
        return self.folder / self.manifest["database"]["file"]

    @property
    def media(self) -> Path:
        return self.folder / "media"


def _member_path(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return path


def unpack(archive: Path, folder: Path) -> Archive:
    """Unpack and check every file against the manifest; raise BackupError if anything is off."""
    if not Path(archive).is_file():
        raise BackupError(f"Filen {archive} finns inte.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = None
            for member in tar:
                path = _member_path(member.name)
                if path is None or not member.isfile():
                    raise BackupError(f"{DAMAGED}: oväntad del {member.name!r}.")
                if path.parts[0] == "media" and len(path.parts) < 2:
                    raise BackupError(f"{DAMAGED}: oväntad del {member.name!r}.")
                target = folder.joinpath(*path.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
                if member.name == "manifest.json":
                    manifest = json.loads(target.read_text("utf-8"))
            tar.fileobj.read()  # to the end of the gzip stream, so its checksum is checked
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, OSError, ValueError, zlib.error) as exc:
        raise BackupError(f"{DAMAGED} ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{DAMAGED}: manifest.json saknas.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Säkerhetskopian har format {manifest.get('format_version')}; den här versionen "
            f"av registret läser format {FORMAT_VERSION}."
        )
    try:
        expected = [(manifest["database"]["file"], manifest["database"]["sha256"])]
        expected += [(f"media/{m['path']}", m["sha256"]) for m in manifest["media"]]
        manifest["engine"], manifest["tables"], manifest["migrations"]  # noqa: B018
    except (KeyError, TypeError) as exc:
        raise BackupError(f"{DAMAGED}: manifest.json saknar {exc}.") from exc
    for name, digest in expected:
        path = _member_path(name)
        file = folder.joinpath(*path.parts) if path else None
        if file is None or not file.is_file() or _sha256(file) != digest:
            raise BackupError(f"{DAMAGED}: {name} stämmer inte med manifestet.")
    return Archive(manifest, folder)


def check_compatible(archive: Archive, connection) -> list[str]:
    """Refuse another engine or a newer schema; return the migrations this code has that the
    archive lacks (``migrate`` after the restore)."""
    engine = archive.manifest["engine"]
    if engine != connection.vendor:
        raise BackupError(
            f"Säkerhetskopian är från {ENGINE_NAMES.get(engine, engine)} ({engine}) men "
            f"databasen är {ENGINE_NAMES.get(connection.vendor, connection.vendor)}: återställ "
            "till en databas av samma slag."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {tuple(m) for m in archive.manifest["migrations"]}
    unknown = sorted(applied - known)
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown)
        raise BackupError(
            "Säkerhetskopian kommer från en nyare version av registret; koden känner inte "
            f"migreringarna {names}. Uppdatera koden först."
        )
    return sorted(f"{app}.{name}" for app, name in known - applied)


def is_empty(connection) -> list[str]:
    """The tables the database already has (none: it is empty)."""
    with connection.cursor() as cursor:
        return _tables(cursor, connection.vendor)


def _restore_sqlite(archive: Archive, connection) -> None:
    source = sqlite3.connect(f"file:{archive.database}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{DAMAGED}: databasfilen klarar inte SQLite:s kontroll.")
        found = summarise(source.cursor(), "sqlite")
        if differences(archive.manifest, found):
            raise BackupError(f"{DAMAGED}: databasfilen stämmer inte med manifestet.")
        connection.close()
        connection.connect()
        # One step (all pages): SQLite writes them in one transaction on the target.
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"Återställningen misslyckades, inget ändrades ({exc}).") from exc
    finally:
        source.close()


def _restore_postgresql(archive: Archive, connection) -> None:
    pg_restore, _version = pg_tool("pg_restore")
    env = _pg_env(connection.settings_dict)
    connection.close()  # no session of ours holds a lock on what pg_restore drops
    command = [
        pg_restore,
        "--no-owner",
        "--no-privileges",
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={connection.settings_dict['NAME']}",
        str(archive.database),
    ]
    try:
        _run(command, env)
    except BackupError as exc:
        raise BackupError(f"Återställningen misslyckades, inget ändrades. {exc}") from exc
    finally:
        connection.connect()  # a new session, which sees the restored database


def restore_database(archive: Archive, connection) -> None:
    if connection.vendor == "sqlite":
        _restore_sqlite(archive, connection)
    else:
        _restore_postgresql(archive, connection)


def prepare_media(archive: Archive, media_root) -> Path | None:
    """Copy the archive's files into a new folder beside MEDIA_ROOT (before the database is
    touched, so that a full disk stops the restore while nothing has changed)."""
    if not archive.manifest["media"]:
        return None
    root = Path(media_root)
    root.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{root.name}.new-", dir=root.parent))
    try:
        for item in archive.manifest["media"]:
            target = fresh / item["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(archive.media / item["path"], target)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise BackupError(
            f"De uppladdade filerna kunde inte skrivas, inget ändrades ({exc})."
        ) from exc
    return fresh


def discard_media(fresh: Path | None) -> None:
    if fresh:
        shutil.rmtree(fresh, ignore_errors=True)


def swap_media(fresh: Path | None, media_root) -> None:
    """Put the prepared folder in MEDIA_ROOT's place (two renames on one file system)."""
    if fresh is None:
        return
    root = Path(media_root)
    old = None
    if root.exists():
        old = root.with_name(f"{fresh.name.replace('.new-', '.old-')}")
        os.replace(root, old)
    os.replace(fresh, root)
    if old:
        shutil.rmtree(old, ignore_errors=True)
