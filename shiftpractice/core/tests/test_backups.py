"""`manage.py backup` and `manage.py restore`: a round trip of the database and the uploaded files.

Runs against the test database in use: SQLite by default, PostgreSQL (pg_dump, pg_restore, psql) when
DATABASE_URL names one, as CI does both.
"""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from shiftpractice.core.backups import MANIFEST, backup_create
from shiftpractice.core.models import AuditEvent

# The database is copied and replaced whole, so these tests commit; the refusals below need no commit.
replaces_the_database = pytest.mark.django_db(transaction=True)


class Terminal(io.StringIO):
    """Standard input as a person at a terminal gives it."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def site(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    User = get_user_model()
    person = User.objects.create(email="kept@example.org", full_name="Kept Person")
    event = AuditEvent.objects.create(verb="thing.done", object_type="core.thing", object_id="1")
    default_storage.save("imports/data.csv", ContentFile(b"period,value\n2024-01-01,3\n"))
    default_storage.save("imports/notes.txt", ContentFile(b"the original text"))
    return person, event


def _backup(tmp_path) -> Path:
    call_command("backup", stdout=io.StringIO())
    (archive,) = (tmp_path / "backups").glob("shiftpractice-*.tar.gz")
    return archive


def _change_everything(person, event, settings):
    User = get_user_model()
    User.objects.filter(pk=person.pk).update(full_name="Changed Name")
    User.objects.create(email="later@example.org", full_name="Added Later")
    event.delete()
    default_storage.delete("imports/data.csv")
    (Path(settings.MEDIA_ROOT) / "imports" / "notes.txt").write_bytes(b"overwritten")


def _handmade(path: Path, members: dict[str, bytes], *, checksums: dict | None = None, **manifest) -> Path:
    """An archive as `backup` writes it, from given members, for refusals that must happen before any change."""
    database_file = next(name for name in members if name.startswith("database."))
    manifest = {
        "format": 1,
        "app": "shiftpractice",
        "app_version": "0.1.0",
        "created_at": "2024-01-01T00:00:00+00:00",
        "database_vendor": connection.vendor,
        "database_file": database_file,
        "migrations": ["core.0001_initial"],
        "media_files": len(members) - 1,
        "sha256": checksums or {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
        **manifest,
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [(MANIFEST, json.dumps(manifest).encode()), *members.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _rewrite(archive: Path, change) -> None:
    """Rewrite an archive's members through ``change(name, data) -> data`` (a damaged or altered archive)."""
    with tarfile.open(archive, "r:gz") as tar:
        members = [(m.name, tar.extractfile(m).read()) for m in tar if m.isfile()]
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members:
            data = change(name, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@replaces_the_database
def test_backup_then_restore_brings_back_the_data_and_the_files(tmp_path, settings, site):
    person, event = site
    event_pk = event.pk
    archive = _backup(tmp_path)
    assert archive.stat().st_mode & 0o077 == 0  # it holds everyone's data: readable by its owner only

    with tarfile.open(archive, "r:gz") as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["app_version"] == "0.1.0" and manifest["created_at"]
    assert "core.0001_initial" in manifest["migrations"]
    assert {"media/imports/data.csv", "media/imports/notes.txt", manifest["database_file"]} <= names

    _change_everything(person, event, settings)
    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)

    User = get_user_model()
    assert User.objects.get(pk=person.pk).full_name == "Kept Person"
    assert not User.objects.filter(email="later@example.org").exists()
    assert AuditEvent.objects.filter(pk=event_pk, verb="thing.done").exists()
    media = Path(settings.MEDIA_ROOT) / "imports"
    assert (media / "data.csv").read_bytes() == b"period,value\n2024-01-01,3\n"
    assert (media / "notes.txt").read_bytes() == b"the original text"
    assert "Restored the database and 2 uploaded file(s)" in out.getvalue()
    assert AuditEvent.objects.filter(verb="backup.restored", object_id=archive.name).exists()
    # The restored database takes new writes (its sequences came back too).
    assert User.objects.create(email="new@example.org", full_name="New").pk > person.pk


@replaces_the_database
def test_restore_asks_first_and_changes_nothing_without_a_yes(tmp_path, settings, site):
    person, event = site
    event_pk = event.pk
    archive = _backup(tmp_path)
    _change_everything(person, event, settings)

    with pytest.raises(CommandError, match="without confirmation"):
        call_command("restore", str(archive), stdin=io.StringIO("yes\n"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive), stdin=Terminal("no\n"), stdout=io.StringIO())
    assert get_user_model().objects.get(pk=person.pk).full_name == "Changed Name"
    assert not AuditEvent.objects.filter(pk=event_pk).exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdin=Terminal("yes\n"), stdout=out)
    assert "Type 'yes'" in out.getvalue()
    assert get_user_model().objects.get(pk=person.pk).full_name == "Kept Person"


@replaces_the_database
def test_an_unreadable_database_in_the_archive_changes_nothing(tmp_path, settings, site):
    """Even with a matching checksum (a bad copy made at backup time), the database stays as it was."""
    person, event = site
    archive = _backup(tmp_path)
    _change_everything(person, event, settings)
    garbage = b"this is not a database" * 100

    def with_bad_database(name, data):
        if name == MANIFEST:
            manifest = json.loads(data)
            manifest["sha256"][manifest["database_file"]] = hashlib.sha256(garbage).hexdigest()
            return json.dumps(manifest).encode()
        return garbage if name.startswith("database.") else data

    _rewrite(archive, with_bad_database)
    with pytest.raises(CommandError, match=r"nothing was changed|not readable"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert get_user_model().objects.get(pk=person.pk).full_name == "Changed Name"
    assert get_user_model().objects.filter(email="later@example.org").exists()


@replaces_the_database
def test_backup_writes_where_it_is_told_and_keeps_the_newest_when_asked(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path, manifest = backup_create(tmp_path / "elsewhere" / "mine.tar.gz")
    assert path.exists() and not path.with_name("mine.tar.gz.partial").exists()
    assert manifest["media_files"] == 0

    settings.BACKUP_DIR = folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20240101-000000", "20240102-000000", "20240103-000000"):
        (folder / f"shiftpractice-{stamp}.tar.gz").write_bytes(b"old")
    (folder / "something-else.tar.gz").write_bytes(b"not ours")
    call_command("backup", "--keep", "2", stdout=io.StringIO())
    left = sorted(p.name for p in folder.iterdir())
    assert len(left) == 3 and "something-else.tar.gz" in left
    assert "shiftpractice-20240103-000000.tar.gz" in left  # the newest old one, beside the new one


def test_an_archive_of_the_other_database_vendor_is_refused_clearly(tmp_path, db):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = _handmade(tmp_path / "a.tar.gz", {f"database.{other}": b"x"}, database_vendor=other)
    mine, theirs = ("SQLite", "PostgreSQL") if connection.vendor == "sqlite" else ("PostgreSQL", "SQLite")
    with pytest.raises(CommandError, match=f"holds a {theirs} database, but this site uses {mine}"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())


def test_an_archive_from_a_newer_version_is_refused(tmp_path, db):
    archive = _handmade(
        tmp_path / "a.tar.gz", {"database.x": b"x"}, migrations=["core.0001_initial", "core.9999_future"]
    )
    with pytest.raises(CommandError, match="newer version"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())


def test_a_damaged_archive_changes_nothing(tmp_path, settings, db):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    (media / "imports").mkdir(parents=True)
    (media / "imports" / "notes.txt").write_bytes(b"as it is now")
    person = get_user_model().objects.create(email="kept@example.org", full_name="As Now")
    good = {"database.x": b"x", "media/imports/notes.txt": b"the original"}
    checksums = {name: hashlib.sha256(data).hexdigest() for name, data in good.items()}
    archive = _handmade(
        tmp_path / "a.tar.gz", {**good, "media/imports/notes.txt": b"damaged in transit"}, checksums=checksums
    )
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert get_user_model().objects.get(pk=person.pk).full_name == "As Now"
    assert (media / "imports" / "notes.txt").read_bytes() == b"as it is now"


def test_an_archive_cannot_write_outside_the_media_folder(tmp_path, settings, db):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = _handmade(tmp_path / "a.tar.gz", {"database.x": b"x", "media/../escaped.txt": b"gotcha"})
    with pytest.raises(CommandError, match="unsafe path"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert not (tmp_path / "escaped.txt").exists()


def test_an_archive_with_an_unlisted_file_is_refused(tmp_path, db):
    checksums = {"database.x": hashlib.sha256(b"x").hexdigest()}
    archive = _handmade(
        tmp_path / "a.tar.gz", {"database.x": b"x", "media/extra.txt": b"?"}, checksums=checksums
    )
    with pytest.raises(CommandError, match="does not list"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())


def test_a_missing_file_or_a_foreign_file_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="no file"):
        call_command("restore", str(tmp_path / "nope.tar.gz"), "--yes", stdout=io.StringIO())
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        info = tarfile.TarInfo("readme.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(CommandError, match="not a shiftpractice backup"):
        call_command("restore", str(foreign), "--yes", stdout=io.StringIO())
