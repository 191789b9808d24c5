"""Backup and restore of the whole service: the database and the uploaded files, in one archive.

An archive is a gzipped tar file holding
- ``manifest.json``: the archive format, the app's version, when it was made, the database vendor, the applied
  migrations, and a SHA-256 of every other member (checked before a restore touches anything);
- the database: ``database.sqlite3`` (a consistent copy made with SQLite's online backup API, so the site can keep
  running) or ``database.pgdump`` (``pg_dump --format=custom``, consistent by PostgreSQL's snapshot);
- ``media/...``: every file under ``MEDIA_ROOT``.

A restore replaces the database as one unit: SQLite through the same backup API, PostgreSQL by dropping this
database's tables and replaying the dump in a single transaction (``pg_restore`` piped into ``psql -1``), so a
failure leaves the database as it was. Operator's guide: docs/operations.md.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MEDIA_PREFIX = "media/"
ARCHIVE_GLOB = "shiftpractice-*.tar.gz"  # the dated names default_archive_path gives
CHUNK = 1024 * 1024
PG_LOCK_TIMEOUT = "60s"


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


@dataclass
class RestoreResult:
    manifest: dict
    media_files: int
    pending_migrations: list[str] = field(default_factory=list)


def app_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as f:
            return tomllib.load(f)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _vendor(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def default_archive_path(now: datetime | None = None) -> Path:
    now = now or datetime.now(UTC)
    return Path(settings.BACKUP_DIR) / f"shiftpractice-{now:%Y%m%d-%H%M%S}.tar.gz"


# -- backup -----------------------------------------------------------------------------------------------


def backup_create(path: Path | None = None, *, using: str = DEFAULT_DB_ALIAS) -> tuple[Path, dict]:
    """Write one archive of the database and the uploaded files; returns its path and manifest.

    The archive appears under its final name only once complete (written beside it, then renamed), and is
    readable by its owner only: it holds every account's data.
    """
    vendor = _vendor(using)
    path = Path(path) if path else default_archive_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shiftpractice-backup-") as work:
        db_file = Path(work) / DATABASE_MEMBER[vendor]
        if vendor == "sqlite":
            _sqlite_copy_out(using, db_file)
        else:
            _pg_dump(using, db_file)
        media = _media_files()
        checksums = {DATABASE_MEMBER[vendor]: _sha256(db_file)}
        for name, source in media:
            checksums[name] = _sha256(source)
        manifest = {
            "format": FORMAT,
            "app": "shiftpractice",
            "app_version": app_version(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database_vendor": vendor,
            "database_file": DATABASE_MEMBER[vendor],
            "migrations": applied_migrations(using),
            "media_files": len(media),
            "sha256": checksums,
        }
        partial = path.with_name(path.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
                tar.addfile(info, io.BytesIO(data))
                tar.add(db_file, arcname=DATABASE_MEMBER[vendor], recursive=False)
                for name, source in media:
                    tar.add(source, arcname=name, recursive=False)
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return path, manifest


def _sqlite_copy_out(using: str, target: Path) -> None:
    connection = connections[using]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    _sqlite_check(target)


def _sqlite_check(path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The SQLite database copy is not readable: {error}") from error
    finally:
        db.close()
    if result != "ok":
        raise BackupError(f"The SQLite database copy failed its integrity check: {result}")


def _pg_settings(using: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL client programs, the password in the environment only."""
    params = connections[using].settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return ["--dbname", params["NAME"]], env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client programs (Debian: postgresql-client) in the "
            "same major version as the server, or newer."
        )
    return found


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what}: {result.stderr.strip() or result.stdout.strip()}")


def _pg_dump(using: str, target: Path) -> None:
    dbname, env = _pg_settings(using)
    _run(
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            *dbname,
        ],
        env,
        "pg_dump failed",
    )


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files() -> list[tuple[str, Path]]:
    root = _media_root()
    if not root.is_dir():
        return []
    files = []
    for directory, _dirs, names in os.walk(root):
        for name in sorted(names):
            source = Path(directory) / name
            if source.is_file() and not source.is_symlink():
                files.append((MEDIA_PREFIX + source.relative_to(root).as_posix(), source))
    return sorted(files)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# -- restore ----------------------------------------------------------------------------------------------


def archive_manifest(path: Path) -> dict:
    """Read and check an archive's manifest, without changing anything."""
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read())
    except FileNotFoundError as error:
        raise BackupError(f"There is no file {path}.") from error
    except (tarfile.TarError, KeyError, json.JSONDecodeError, OSError, EOFError) as error:
        raise BackupError(f"{path} is not a shiftpractice backup archive ({error}).") from error
    if manifest.get("app") != "shiftpractice" or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a shiftpractice backup archive of format {FORMAT}.")
    return manifest


def restore_check(manifest: dict, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse an archive this site cannot take: another database vendor, or migrations this code lacks."""
    vendor = _vendor(using)
    theirs = manifest.get("database_vendor")
    if theirs != vendor:
        raise BackupError(
            f"This archive holds a {VENDOR_NAMES.get(theirs, theirs)} database, but this site uses "
            f"{VENDOR_NAMES[vendor]}. Restore it into a site configured for {VENDOR_NAMES.get(theirs, theirs)} "
            "(DATABASE_URL), or move the data with `manage.py dumpdata`/`loaddata` instead."
        )
    unknown = sorted(set(manifest.get("migrations", [])) - known_migrations())
    if unknown:
        raise BackupError(
            "This archive was made by a newer version of shiftpractice (migrations unknown here: "
            f"{', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}). Deploy that version, then restore."
        )


def backup_restore(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Replace the database and the uploaded files with an archive's. Checks everything before changing anything."""
    path = Path(path)
    manifest = archive_manifest(path)
    restore_check(manifest, using=using)
    vendor = manifest["database_vendor"]
    with tempfile.TemporaryDirectory(prefix="shiftpractice-restore-") as work:
        staged = _extract_verified(path, manifest, Path(work))
        db_file = staged[manifest["database_file"]]
        if vendor == "sqlite":
            _sqlite_check(db_file)
            _sqlite_copy_in(using, db_file)
        else:
            _pg_restore(using, db_file)
        media = {name: file for name, file in staged.items() if name.startswith(MEDIA_PREFIX)}
        _media_put(media)
    pending = sorted(known_migrations() - set(applied_migrations(using)))
    return RestoreResult(manifest=manifest, media_files=len(media), pending_migrations=pending)


def _extract_verified(path: Path, manifest: dict, work: Path) -> dict[str, Path]:
    """Copy every listed member out of the archive into ``work`` and check its SHA-256."""
    expected: dict[str, str] = manifest.get("sha256", {})
    if manifest.get("database_file") not in expected:
        raise BackupError("The archive's manifest lists no database file.")
    staged = {}
    with tarfile.open(path, mode="r:gz") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile():
                raise BackupError(f"The archive holds {member.name!r}, which its manifest does not list.")
            if member.name != manifest["database_file"] and not _safe_media_name(member.name):
                raise BackupError(f"The archive holds an unsafe path: {member.name!r}.")
            target = work / "members" / f"{len(staged):06d}"
            target.parent.mkdir(exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None  # a regular file, checked above
            with open(target, "wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
            if _sha256(target) != expected[member.name]:
                raise BackupError(f"{member.name} in the archive is damaged (its checksum does not match).")
            staged[member.name] = target
    missing = sorted(set(expected) - set(staged))
    if missing:
        raise BackupError(f"The archive is incomplete: {', '.join(missing[:5])} missing.")
    return staged


def _safe_media_name(name: str) -> bool:
    if not name.startswith(MEDIA_PREFIX):
        return False
    parts = name.removeprefix(MEDIA_PREFIX).split("/")
    return all(part not in {"", ".", ".."} for part in parts) and "\\" not in name and "\0" not in name


def _sqlite_copy_in(using: str, source_file: Path) -> None:
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    connection.ensure_connection()
    source = sqlite3.connect(source_file)
    try:
        source.backup(connection.connection)
    except sqlite3.OperationalError as error:
        raise BackupError(
            f"The database could not be replaced ({error}): stop the web and worker processes, then try again."
        ) from error
    finally:
        source.close()
    connection.close()  # the next query reconnects to the restored database


def _pg_restore(using: str, dump: Path) -> None:
    """Drop this database's tables and replay the dump, all in one transaction: it lands whole or not at all.

    ``pg_restore`` first writes the whole SQL script beside the dump, so a dump that cannot be read fails before
    anything is dropped (a script cut short and piped straight into ``psql -1`` would be committed as it stood).
    """
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    dbname, env = _pg_settings(using)
    script = dump.with_name("restore.sql")
    _run(
        [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--file", str(script), str(dump)],
        env,
        "pg_restore could not read the dump, so nothing was changed",
    )
    drop = _pg_drop_statement(using)
    connection.close()  # our own session must hold no locks on the tables being dropped
    _run(
        [
            _pg_tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set",
            "ON_ERROR_STOP=1",
            # A process still using the tables makes the restore fail cleanly instead of waiting for ever.
            "--command",
            f"SET lock_timeout = '{PG_LOCK_TIMEOUT}'",
            *(["--command", drop] if drop else []),
            "--file",
            str(script),
            *dbname,
        ],
        env,
        "psql could not load the dump, so nothing was changed (the transaction was rolled back)",
    )


def _pg_drop_statement(using: str) -> str:
    """Statements dropping every table, view and sequence in the schemas this connection sees.

    Sequences that belong to a column (serial, identity) go with their table, so they are not named.
    """
    kinds = {
        "r": "TABLE",
        "p": "TABLE",
        "f": "FOREIGN TABLE",
        "m": "MATERIALIZED VIEW",
        "v": "VIEW",
        "S": "SEQUENCE",
    }
    with connections[using].cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relkind, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY (current_schemas(false)) AND c.relkind::text = ANY (%s)
              AND NOT EXISTS (
                SELECT 1 FROM pg_depend d
                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e')
              )
            ORDER BY 2
            """,
            [list(kinds)],
        )
        rows = cursor.fetchall()
    by_kind: dict[str, list[str]] = {}
    for relkind, name in rows:
        by_kind.setdefault(kinds[relkind], []).append(name)
    return "; ".join(f"DROP {kind} IF EXISTS {', '.join(names)} CASCADE" for kind, names in by_kind.items())


def _media_put(media: dict[str, Path]) -> None:
    """Write each archived file into MEDIA_ROOT (replacing a file of the same name); other files stay."""
    root = _media_root()
    root.mkdir(parents=True, exist_ok=True)
    resolved_root = root.resolve()
    for name, staged in media.items():
        target = root / name.removeprefix(MEDIA_PREFIX)
        if not target.resolve().is_relative_to(resolved_root):
            raise BackupError(f"The archive holds an unsafe path: {name!r}.")
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(staged, temporary)
        os.replace(temporary, target)
