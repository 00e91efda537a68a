"""`flask --app app check`: refuse an insecure production configuration, naming each problem.

In the spirit of Django's `check --deploy`. Each check returns a message, or None when fine."""

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from .config import TestConfig

NETWORK_FILESYSTEMS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smb2",
    "smbfs",
    "smb3",
    "fuse.sshfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
    "lustre",
    "davfs",
    "fuse.s3fs",
}
MIN_SECRET_LENGTH = 32


def check_debug(config, workers: int) -> str | None:
    if config.get("DEBUG"):
        return "DEBUG is on: the debugger lets anyone who reaches an error page run code. Unset FLASK_DEBUG."
    return None


def check_secret_key(config, workers: int) -> str | None:
    key = config.get("SECRET_KEY") or ""
    if not key:
        return "No SECRET_KEY: sessions cannot be signed."
    if key == TestConfig.SECRET_KEY or key.lower() in {
        "dev",
        "secret",
        "changeme",
        "change-me",
        "development",
    }:
        return (
            "SECRET_KEY is a well-known value: anyone could forge a session. Generate one (python -c "
            "'import secrets; print(secrets.token_hex(32))')."
        )
    if len(key) < MIN_SECRET_LENGTH or len(set(key)) < 10:
        return f"SECRET_KEY is weak: use at least {MIN_SECRET_LENGTH} random characters."
    return None


def check_https_cookies(config, workers: int) -> str | None:
    behind_https = config.get("PREFERRED_URL_SCHEME") == "https"
    if behind_https and not config.get("PROXY_FIX") and not config.get("SESSION_COOKIE_SECURE"):
        return (
            "The blog is served over HTTPS (PREFERRED_URL_SCHEME=https) but cannot tell: set FLASK_PROXY_FIX "
            "to the number of proxies in front of it, or FLASK_SESSION_COOKIE_SECURE=true, so cookies are "
            "sent over HTTPS only."
        )
    return None


def check_request_size(config, workers: int) -> str | None:
    if not config.get("MAX_CONTENT_LENGTH"):
        return "No request size limit: set FLASK_MAX_CONTENT_LENGTH (bytes), e.g. 2097152."
    return None


def check_rate_limit_storage(config, workers: int) -> str | None:
    storage = config.get("RATELIMIT_STORAGE_URI", "memory://")
    if config.get("RATELIMIT_ENABLED", True) and storage.startswith("memory://") and workers > 1:
        return (
            f"Rate limits are kept in each process's memory, so with {workers} workers they are only "
            "approximate (each worker counts alone). Set REDIS_URL (or FLASK_RATELIMIT_STORAGE_URI) to share them."
        )
    return None


def check_sqlite_location(config, workers: int) -> str | None:
    url = make_url(config.get("SQLALCHEMY_DATABASE_URI") or "sqlite://")
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    path = Path(url.database).resolve()
    fstype = filesystem_type(path if path.exists() else path.parent)
    if fstype in NETWORK_FILESYSTEMS:
        return (
            f"The SQLite database {path} is on a network filesystem ({fstype}): its locking is unreliable there "
            "and the database can be corrupted. Keep it on a local disk or use PostgreSQL."
        )
    return None


def filesystem_type(path: Path, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    """The type of the filesystem holding path: the longest mount point that contains it in
    /proc/mounts (Linux); None where there is no such file."""
    try:
        mounts = mounts_file.read_text().splitlines()
    except OSError:
        return None
    best, best_type = "", None
    target = str(path)
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


CHECKS = [
    check_debug,
    check_secret_key,
    check_https_cookies,
    check_request_size,
    check_rate_limit_storage,
    check_sqlite_location,
]


def problems(config, workers: int) -> list[str]:
    return [message for check in CHECKS if (message := check(config, workers))]


def default_workers() -> int:
    """What deploy/gunicorn.conf.py starts: $WEB_CONCURRENCY, else 2 x cores + 1, at most 8.

    (Written out twice on purpose: the gunicorn config must not import the blog, or a graceful
    reload would fork new workers from a master that still holds the old code.)"""
    if os.environ.get("WEB_CONCURRENCY", "").strip().isdigit():
        return max(1, int(os.environ["WEB_CONCURRENCY"]))
    return min(2 * (os.cpu_count() or 1) + 1, 8)


@click.command("check")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=default_workers,
    help="How many app processes will serve the blog "
    "(default: $WEB_CONCURRENCY, else what deploy/gunicorn.conf.py starts).",
)
@with_appcontext
def check_command(workers: int) -> None:
    """Check the configuration for production; exit 1 naming each problem."""
    found = problems(current_app.config, workers)
    for message in found:
        click.echo(f"FAIL  {message}", err=True)
    if found:
        click.echo(f"{len(found)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo("No problems found.")


def init_app(app: Flask) -> None:
    app.cli.add_command(check_command)
