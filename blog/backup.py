"""`flask backup PATH` and `flask restore PATH`: consistent copies of a live blog.

SQLite uses its online backup API (never a file copy, which can catch a half-written WAL), then
checks the copy with PRAGMA integrity_check. PostgreSQL uses pg_dump/pg_restore in custom format."""
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy.engine import make_url

from .extensions import db


def sqlite_path() -> Path | None:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def libpq_url() -> str:
    """The database URL in the form pg_dump understands (no +driver)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the online backup API, then verify the target."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.execute("PRAGMA busy_timeout=10000")
        src.backup(dst)
        verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
    src.close()
    dst.close()
    if verdict != "ok":
        raise click.ClickException(f"integrity check of {target} failed: {verdict}")


def run_tool(args: list[str]) -> None:
    if shutil.which(args[0]) is None:
        raise click.ClickException(f"{args[0]} is not installed (it comes with the PostgreSQL client tools).")
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise click.ClickException(f"{args[0]} failed: {done.stderr.strip()}")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent backup of the blog's database to PATH."""
    if path.exists():
        raise click.ClickException(f"{path} exists; choose a new file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite_path()
    if source is not None:
        copy_sqlite(source, path)
    else:
        run_tool(["pg_dump", "--format=custom", "--no-owner", f"--file={path}", f"--dbname={libpq_url()}"])
    click.echo(f"Backed up to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the blog's database with the backup in PATH (stop the app first)."""
    if not yes and not click.confirm("This replaces everything in the blog's database. Continue?", default=False):
        sys.exit(1)
    db.session.remove()
    db.engine.dispose()
    target = sqlite_path()
    if target is not None:
        copy_sqlite(path, target)
    else:
        run_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                  f"--dbname={libpq_url()}", str(path)])
    click.echo(f"Restored from {path}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
