"""`flask backup PATH` and `flask restore PATH --yes`: a consistent copy of a live blog, and back.

A backup is one tar file holding the database and the uploaded images:
- `database.sqlite3`: SQLite's online backup API (never a file copy, which can catch a
  half-written WAL), checked with PRAGMA integrity_check, in rollback-journal mode so it is one
  self-contained file;
- or `database.pgdump`: PostgreSQL's pg_dump in custom format, restored with pg_restore;
- `uploads/<name>`: the files under the upload folder (instance/uploads).
A backup holds every password hash and session record, so it and every file made on the way are
readable by their owner alone (mode 0600), whatever the umask.
Restore checks the backup first, then replaces the database and the upload folder's images.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from blog.extensions import db
from blog.reading.media import NAME as UPLOAD_NAME
from blog.uploads import upload_folder

SQLITE_MEMBER = "database.sqlite3"
PGDUMP_MEMBER = "database.pgdump"


def database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def sqlite_path() -> Path | None:
    url = database_url()
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def copy_sqlite(source: Path, target: Path, journal_mode: str) -> None:
    """Copy one SQLite database into another with the online backup API, then verify the copy."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.execute("PRAGMA busy_timeout=10000")
        dst.execute("PRAGMA busy_timeout=10000")
        src.backup(dst)
        dst.execute(f"PRAGMA journal_mode={journal_mode}")
        verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        src.close()
        dst.close()
    if verdict != "ok":
        raise click.ClickException(f"the integrity check of {target} failed: {verdict}")


def check_sqlite(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        verdict = str(error)
    if verdict != "ok":
        raise click.ClickException(f"the backup's database is damaged: {verdict}")


def postgres_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest under /usr/lib/postgresql (Debian)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: [int(x) for x in p.parts[-3].split(".") if x.isdigit()],
    )
    if candidates:
        return str(candidates[-1])
    raise click.ClickException(f"{name} is not installed (it comes with the PostgreSQL client tools).")


def run_postgres_tool(name: str, args: list[str]) -> None:
    """Run pg_dump/pg_restore on the blog's database; the password travels in the environment, not in `ps`."""
    url = database_url()
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ, **({"PGPASSWORD": str(url.password)} if url.password else {})}
    done = subprocess.run(
        [postgres_tool(name), f"--dbname={libpq}", *args], capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        raise click.ClickException(f"{name} failed: {done.stderr.strip()}")


def dump_database(workdir: Path) -> Path:
    source = sqlite_path()
    if source is not None:
        if not source.exists():
            raise click.ClickException(f"there is no database at {source}")
        copy_sqlite(source, workdir / SQLITE_MEMBER, journal_mode="DELETE")
        return workdir / SQLITE_MEMBER
    run_postgres_tool(
        "pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={workdir / PGDUMP_MEMBER}"]
    )
    return workdir / PGDUMP_MEMBER


def load_database(dump: Path) -> None:
    target = sqlite_path()
    if (dump.name == SQLITE_MEMBER) != (target is not None):
        kind = "SQLite" if dump.name == SQLITE_MEMBER else "PostgreSQL"
        raise click.ClickException(
            f"this is a backup of a {kind} blog; restore it into the same kind of database"
        )
    if target is not None:
        check_sqlite(dump)
        copy_sqlite(dump, target, journal_mode="WAL")
    else:
        run_postgres_tool(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(dump),
            ],
        )


def stored_uploads(folder: Path) -> list[Path]:
    return (
        sorted(p for p in folder.iterdir() if p.is_file() and UPLOAD_NAME.fullmatch(p.name))
        if folder.is_dir()
        else []
    )


def unpack(path: Path, workdir: Path) -> tuple[Path, list[Path]]:
    """Extract the database and the images (only names the blog itself generates: nothing else
    in the archive is ever written)."""
    try:
        archive = tarfile.open(path, "r:")
    except tarfile.TarError as error:
        raise click.ClickException(f"{path} is not a backup made by `flask backup` ({error})") from error
    dump, images = None, []
    with archive:
        for member in archive.getmembers():
            name = member.name
            wanted = name in (SQLITE_MEMBER, PGDUMP_MEMBER) or (
                name.startswith("uploads/") and UPLOAD_NAME.fullmatch(name.removeprefix("uploads/"))
            )
            if not wanted or not member.isfile():
                continue
            out = workdir / name
            out.parent.mkdir(exist_ok=True)
            with archive.extractfile(member) as data, open(out, "wb") as f:
                shutil.copyfileobj(data, f)
            if name.startswith("uploads/"):
                images.append(out)
            else:
                dump = out
    if dump is None:
        raise click.ClickException(f"{path} holds no database: it is not a backup made by `flask backup`")
    return dump, images


def replace_uploads(images: list[Path]) -> None:
    """Make the upload folder hold exactly the backup's images (files the blog did not generate stay)."""
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    keep = {image.name for image in images}
    for stale in stored_uploads(folder):
        if stale.name not in keep:
            stale.unlink()
    for image in images:
        shutil.copy2(image, folder / image.name)


@contextmanager
def private_files() -> Iterator[None]:
    """Files created meanwhile (the database copy, its journal, pg_dump's output, the tar) get mode
    0600 at creation, so no moment exists when another account could open them."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent backup of the blog (database and uploaded images) to PATH, a tar file."""
    if path.exists():
        raise click.ClickException(f"{path} exists; choose a new file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    images = stored_uploads(upload_folder())
    with private_files(), tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        dump = dump_database(Path(tmp))
        partial = Path(tmp) / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=dump.name)
            for image in images:
                archive.add(image, arcname=f"uploads/{image.name}")
        partial.replace(path)  # only a complete backup ever carries the name
    click.echo(f"Backed up the database and {len(images)} uploaded image(s) to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the blog's database and uploaded images with the backup in PATH (stop the app first)."""
    if not yes and not click.confirm(
        "This replaces everything in the blog's database. Continue?", default=False
    ):
        sys.exit(1)
    db.session.remove()
    db.engine.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        dump, images = unpack(path, Path(tmp))
        load_database(dump)
        replace_uploads(images)
    db.engine.dispose()
    click.echo(f"Restored the database and {len(images)} uploaded image(s) from {path}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
