"""Backup and restore (issue 22): ``manage.py backup`` then ``manage.py restore`` into an EMPTY
database gives the same rows in every table, history and timestamps (with microseconds) included.

Runs on the database the suite runs on: SQLite normally, PostgreSQL when DATABASE_URL points at
one (CI). The demo is loaded and COMMITTED once for the module (pg_dump, a process of its own, sees
only committed rows); the module puts the database back as it found it at the end, as a
transactional test with serialized rollback does (flush, then the reference data from the
migrations). The restore goes into a second database made for the test: a new SQLite file, or a
new PostgreSQL database created with the suite's own role (it has CREATEDB).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tarfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, connections
from django.test.utils import override_settings

from register import backup
from register.models import Arrangement, Document, Meeting, Membership
from tests import factories as f
from tests.document_files import make_document

pytestmark = pytest.mark.django_db

TARGET = "backup_target"


def add_database(alias: str, name: str) -> None:
    config = dict(connections.settings["default"])
    config["NAME"] = name
    config["TEST"] = dict(config.get("TEST") or {}, NAME=name)
    connections.settings[alias] = config


def remove_database(alias: str) -> None:
    if alias in connections.settings:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


@contextmanager
def restored_database(world):
    """The restored database as the alias TARGET, for the length of the block.

    Registered only inside a test (not for the module), since pytest-django forbids queries to
    every alias that exists when a test starts and is not among the test's databases; and
    connected here with connect(), since Django's test case also refuses to open a connection to
    an alias it does not know (it lets one that is open be used).
    """
    add_database(TARGET, world["target_name"])
    try:
        connections[TARGET].connect()
        yield connections[TARGET]
    finally:
        remove_database(TARGET)


def create_empty_database(tmp: Path) -> str:
    """Return the NAME of a new, empty database beside the test database."""
    if connection.vendor == "sqlite":
        return str(tmp / "restored.sqlite3")
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    return name


def drop_database(name: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out, **kwargs)
    return out.getvalue()


MICROSECONDS = dt.datetime(2027, 2, 10, 9, 0, 0, 123456, tzinfo=dt.UTC)


def make_world() -> None:
    """A small register of every kind of record, with history (made and changed), a user, a
    membership and a session: the demo would take 20 s to load, on each database."""
    taby, vaxholm, knivsta = f.municipality("0160"), f.municipality("0187"), f.municipality("0330")
    f.make_partner_network(taby, vaxholm, knivsta, year=2024)
    shared = f.make_arrangement(name="Södra Roslagens miljö- och hälsoskyddsnämnd", host=taby)
    f.make_participation(shared, taby, role="host")
    f.make_participation(shared, vaxholm, role="member")
    records = f.make_own_records(shared, taby, label="Täby")
    f.make_own_records(shared, vaxholm, label="Vaxholm")
    item = f.make_agenda_item(f.make_meeting(records["body"], starts_at=MICROSECONDS))
    f.make_position(item, taby)
    f.make_member(taby, Membership.Role.EDITOR, "taby-redaktor")
    shared.name = "Södra Roslagens miljö- och hälsoskyddsnämnd (SRMH)"
    shared.save()  # a second history row
    session = SessionStore()
    session["who"] = "taby-redaktor"
    session.create()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("backup")
    media = tmp / "media"
    (media / "dokument").mkdir(parents=True)
    (media / "dokument" / "avtal å.pdf").write_bytes(b"%PDF-1.7 not really\x00\xff")
    restored_media = tmp / "restored-media"
    archive = tmp / "samverkan.tar.gz"
    with django_db_blocker.unblock():
        reference_data = connection.creation.serialize_db_to_string()
        target_name = None
        try:
            make_world()
            with override_settings(MEDIA_ROOT=str(media)):
                # A governing document: its file is in the storage (MEDIA_ROOT), its record
                # names it (issue 24).
                document = make_document(
                    Arrangement.objects.order_by("pk").last(), name="förbundsordning.pdf"
                )
            source = backup.database_summary(connection)
            with override_settings(MEDIA_ROOT=str(media)):
                backup_output = run("backup", "--output", str(archive))
            target_name = create_empty_database(tmp)
            add_database(TARGET, target_name)
            with override_settings(MEDIA_ROOT=str(restored_media)):
                restore_output = run("restore", str(archive), "--database", TARGET)
            restored = backup.database_summary(connections[TARGET])
            remove_database(TARGET)
            yield {
                "target_name": target_name,
                "tmp": tmp,
                "archive": archive,
                "source": source,
                "restored": restored,
                "media": media,
                "restored_media": restored_media,
                "document_file": document.file.name,
                "backup_output": backup_output,
                "restore_output": restore_output,
            }
        finally:
            remove_database(TARGET)
            if target_name:
                drop_database(target_name)
            # Back to the state the other modules expect: the migrations' reference data only.
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            connection.creation.deserialize_db_from_string(reference_data)
            # flush reset PostgreSQL's sequences to 1; move them past the rows put back.
            reset = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
            with connection.cursor() as cursor:
                for sql in reset:
                    cursor.execute(sql)


def test_every_table_is_equal_after_a_restore_into_an_empty_database(world):
    source, restored = world["source"], world["restored"]
    tables = source["tables"]
    # Every table, the history tables, Django's own and the migration state included.
    for name in (
        "register_arrangement",
        "register_historicalarrangement",
        "auth_user",
        "django_migrations",
        "django_content_type",
    ):
        assert any(t.endswith(name) for t in tables), name
    assert sum(t["rows"] for t in tables.values()) > 1000
    assert tables[name_of("register_historicalarrangement")]["rows"] >= 4
    assert tables[name_of("django_session")]["rows"] == 1
    assert restored["tables"].keys() == tables.keys()
    for name in tables:
        assert restored["tables"][name] == tables[name], name
    assert restored == source  # sequences too: the next new row gets the same id


def name_of(table: str) -> str:
    return table if connection.vendor == "sqlite" else f"public.{table}"


def test_the_manifest_describes_the_database_as_it_was_backed_up(world):
    with tarfile.open(world["archive"]) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["engine"] == connection.vendor
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["tables"] == world["source"]["tables"]
    assert ["register", "0001_initial"] in manifest["migrations"]
    assert manifest["created"].endswith("+00:00")
    assert sorted(m["path"] for m in manifest["media"]) == sorted(
        ["dokument/avtal å.pdf", world["document_file"]]
    )


def test_timestamps_keep_their_microseconds_and_the_history_gains_no_rows(world):
    history = Arrangement.history.model
    source = dict(history.objects.using("default").values_list("history_id", "history_date"))
    with restored_database(world):
        restored = dict(history.objects.using(TARGET).values_list("history_id", "history_date"))
        created = dict(Arrangement.objects.using(TARGET).values_list("pk", "created_at"))
        starts_at = Meeting.objects.using(TARGET).get().starts_at
    assert restored == source
    with_microseconds = [d for d in source.values() if d.microsecond]
    assert with_microseconds
    some = with_microseconds[0]
    assert some in restored.values()
    assert created
    assert created == dict(Arrangement.objects.using("default").values_list("pk", "created_at"))
    assert starts_at == MICROSECONDS
    assert starts_at.microsecond == 123456


def test_uploaded_files_come_back(world):
    restored = world["restored_media"] / "dokument" / "avtal å.pdf"
    assert restored.read_bytes() == (world["media"] / "dokument" / "avtal å.pdf").read_bytes()


def test_a_governing_documents_file_comes_back_where_its_record_names_it(world):
    name = world["document_file"]
    assert name.startswith("documents/")
    assert (world["restored_media"] / name).read_bytes() == (world["media"] / name).read_bytes()
    with restored_database(world):
        assert Document.objects.using(TARGET).get().file.name == name


def test_the_archive_is_private_to_its_owner(world):
    assert world["archive"].stat().st_mode & 0o077 == 0


def test_a_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(world):
    with restored_database(world) as target:
        with pytest.raises(CommandError, match="inte tom"):
            run("restore", str(world["archive"]), "--database", TARGET)
        assert backup.database_summary(target) == world["source"]


def test_a_corrupt_archive_is_refused_before_anything_changes(world):
    with restored_database(world) as target:
        data = world["archive"].read_bytes()
        damaged = world["tmp"] / "damaged.tar.gz"
        for broken in (data[: len(data) // 2], data[:200] + bytes([data[200] ^ 0xFF]) + data[201:]):
            damaged.write_bytes(broken)
            with pytest.raises(CommandError, match="skadad"):
                run("restore", str(damaged), "--database", TARGET, "--force")
        damaged.write_bytes(b"not an archive at all")
        with pytest.raises(CommandError, match="skadad"):
            run("restore", str(damaged), "--database", TARGET, "--force")
        with pytest.raises(CommandError, match="finns inte"):
            run("restore", str(world["tmp"] / "missing.tar.gz"), "--database", TARGET)
        assert backup.database_summary(target) == world["source"]


def rewrite_manifest(archive: Path, out: Path, change) -> None:
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read() if member.isfile() else None
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data) if data is not None else None)


def test_an_archive_from_another_engine_is_refused(world):
    with restored_database(world) as target:
        other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
        changed = world["tmp"] / "other-engine.tar.gz"
        rewrite_manifest(world["archive"], changed, lambda m: m.update(engine=other))
        with pytest.raises(CommandError, match=other):
            run("restore", str(changed), "--database", TARGET, "--force")
        assert backup.database_summary(target) == world["source"]


def test_an_archive_from_a_newer_version_is_refused(world):
    with restored_database(world) as target:
        changed = world["tmp"] / "newer.tar.gz"
        rewrite_manifest(
            world["archive"],
            changed,
            lambda m: m["migrations"].append(["register", "9999_from_the_future"]),
        )
        with pytest.raises(CommandError, match="9999_from_the_future"):
            run("restore", str(changed), "--database", TARGET, "--force")
        assert backup.database_summary(target) == world["source"]


def test_compare_tells_whether_a_database_matches_the_archive(world):
    with restored_database(world) as target:
        out = run("restore", str(world["archive"]), "--database", TARGET, "--compare")
        assert "stämmer" in out
        with target.cursor() as cursor:
            cursor.execute("DELETE FROM django_session")
            cursor.execute("UPDATE register_arrangement SET name = name || ' (ändrad)'")
        with pytest.raises(CommandError, match="register_arrangement"):
            run("restore", str(world["archive"]), "--database", TARGET, "--compare")


def test_force_replaces_a_changed_database_with_the_archive(world):
    with restored_database(world) as target:
        with target.cursor() as cursor:
            cursor.execute("UPDATE register_arrangement SET name = 'Ändrad efter säkerhetskopian'")
        with override_settings(MEDIA_ROOT=str(world["restored_media"])):
            out = run("restore", str(world["archive"]), "--database", TARGET, "--force")
        assert "stämmer" in out
        assert backup.database_summary(target) == world["source"]


def test_missing_postgresql_tools_give_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(backup, "PG_BIN_GLOB", str(tmp_path / "*" / "bin"))
    with pytest.raises(backup.BackupError, match="pg_dump saknas.*is missing"):
        backup.pg_tool("pg_dump")
