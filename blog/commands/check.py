"""`flask --app app check`: refuse an insecure production configuration, naming each problem.

In the spirit of Django's `check --deploy`. Each check returns a message, or None when fine."""

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from blog.config import TestConfig
from blog.web.hosts import parse_base_url

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
# Where deploy/gunicorn.conf.py listens unless GUNICORN_BIND says otherwise (written out twice, as
# for default_workers(): the gunicorn config must not import the blog, nor the blog run it).
DEFAULT_GUNICORN_BIND = "127.0.0.1:8000"
LOOPBACK_PREFIXES = ("127.", "localhost", "[::1]", "::1", "unix:")


def check_debug(config, workers: int) -> str | None:
    if config["DEBUG"]:
        return "DEBUG is on: the debugger lets anyone who reaches an error page run code. Unset FLASK_DEBUG."
    return None


def check_secret_key(config, workers: int) -> str | None:
    key = config["SECRET_KEY"] or ""
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
    if (config["BASE_URL"] or "").startswith("https://"):
        return None  # every request is seen as one for the https public address (hosts.py)
    behind_https = config["PREFERRED_URL_SCHEME"] == "https"
    if behind_https and not config["PROXY_FIX"] and not config["SESSION_COOKIE_SECURE"]:
        return (
            "The blog is served over HTTPS (PREFERRED_URL_SCHEME=https) but cannot tell: set FLASK_PROXY_FIX "
            "to the number of proxies in front of it, or FLASK_SESSION_COOKIE_SECURE=true, so cookies are "
            "sent over HTTPS only."
        )
    return None


def check_base_url(config, workers: int) -> str | None:
    base = config["BASE_URL"]
    if not base:
        return (
            "No FLASK_BASE_URL: links in emails and feeds would be built from whatever Host a client sends, "
            "and any host name would be answered. Set it to the blog's public address, e.g. "
            "FLASK_BASE_URL=https://blog.example.org."
        )
    try:
        parse_base_url(base)
    except ValueError as error:
        return f"FLASK_BASE_URL is not a public address: {error}."
    return None


def check_mail_backend(config, workers: int) -> str | None:
    backend = config["MAIL_BACKEND"]
    if backend in ("console", "memory"):
        return (
            f"Mail is not sent (FLASK_MAIL_BACKEND={backend}): password resets and confirmations only reach "
            "the log. Set FLASK_MAIL_BACKEND=smtp with FLASK_MAIL_SERVER and FLASK_MAIL_FROM."
        )
    return None


def check_fediverse_private(config, workers: int) -> str | None:
    if config["FEDIVERSE_ALLOW_PRIVATE"]:
        return (
            "FLASK_FEDIVERSE_ALLOW_PRIVATE is on: any sender could make the blog fetch addresses on its "
            "own network (SSRF). It is for tests only; remove it."
        )
    return None


def behind_proxy(config) -> bool:
    """Whether readers reach the app through a reverse proxy: FLASK_BEHIND_PROXY=true/false says so;
    otherwise yes when gunicorn listens on a loopback address or a Unix socket only ($GUNICORN_BIND,
    default 127.0.0.1:8000 as in deploy/gunicorn.conf.py), since nobody else can reach it there."""
    if config["BEHIND_PROXY"] is not None:
        return bool(config["BEHIND_PROXY"])
    bind = os.environ.get("GUNICORN_BIND", "").strip() or DEFAULT_GUNICORN_BIND
    return all(address.strip().startswith(LOOPBACK_PREFIXES) for address in bind.split(","))


def check_proxy_fix(config, workers: int) -> str | None:
    if not config["PROXY_FIX"] and behind_proxy(config):
        return (
            "FLASK_PROXY_FIX=0 while the app sits behind a proxy (gunicorn listens on "
            f"{os.environ.get('GUNICORN_BIND') or DEFAULT_GUNICORN_BIND} only): every reader would seem to come "
            "from the proxy's address and share one rate limit. Set FLASK_PROXY_FIX=1 (one proxy, e.g. nginx), "
            "or FLASK_BEHIND_PROXY=false if nothing stands in front of the app."
        )
    return None


def check_request_size(config, workers: int) -> str | None:
    if not config["MAX_CONTENT_LENGTH"]:
        return "No request size limit: set FLASK_MAX_CONTENT_LENGTH (bytes), e.g. 2097152."
    return None


def check_rate_limit_storage(config, workers: int) -> str | None:
    storage = config["RATELIMIT_STORAGE_URI"]
    if config["RATELIMIT_ENABLED"] and storage.startswith("memory://") and workers > 1:
        return (
            f"Rate limits are kept in each process's memory, so with {workers} workers they are only "
            "approximate (each worker counts alone). Set REDIS_URL (or FLASK_RATELIMIT_STORAGE_URI) to share them."
        )
    return None


def check_sqlite_location(config, workers: int) -> str | None:
    url = make_url(config["SQLALCHEMY_DATABASE_URI"] or "sqlite://")
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
    check_base_url,
    check_mail_backend,
    check_proxy_fix,
    check_request_size,
    check_rate_limit_storage,
    check_sqlite_location,
    check_fediverse_private,
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
