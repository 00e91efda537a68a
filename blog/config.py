"""Configuration: defaults here, overridden by FLASK_* environment variables and DATABASE_URL."""

import os
import secrets
from pathlib import Path


class Config:
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in by configure(): DATABASE_URL or instance/blog.db
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLITE_SYNCHRONOUS = "FULL"  # an acknowledged comment survives a power loss
    SQLITE_BUSY_TIMEOUT_MS = 20000  # writers queue; below gunicorn's 30 s timeout
    # Everyone's limit: a comment or a sign-in is a few kB. Signed-in staff get larger ones in the
    # admin area (blog/admin/limits.py): uploads, imports, long posts.
    MAX_CONTENT_LENGTH = 512 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600
    SESSION_IDLE_DAYS = 14  # a session not used for this long ends, even before its 30 days are up
    WTF_CSRF_TIME_LIMIT = None  # valid for the whole session: a post page left open still accepts a comment
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600  # static URLs carry a content hash, see assets.py
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # If the shared store (Redis) is unreachable, count in process memory until it is back
    # rather than answer 500 to every sign-in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    REDIS_URL: str | None = None  # from the REDIS_URL environment variable, see use_redis()
    PROXY_FIX = 0  # number of trusted reverse proxies in front of the app
    MAIL_BACKEND = "console"


class TestConfig(Config):
    TESTING = True
    SQLITE_SYNCHRONOUS = "NORMAL"
    SECRET_KEY = "test-secret-key-only-for-the-test-suite-0123456789"
    QUEUE_IMMEDIATE = True  # jobs run in-process (after the response); tests that need a worker start one


def configure(app) -> None:
    """Apply environment overrides, then fill in the database URL and secret key."""
    app.config.from_prefixed_env()
    url = os.environ.get("DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = "sqlite:///" + str(Path(app.instance_path) / "blog.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    use_redis(app)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def use_redis(app) -> None:
    """With REDIS_URL, rate limits are shared by every process and host (an explicit
    FLASK_RATELIMIT_STORAGE_URI still wins). Without it they live in each process's memory:
    exact for one process, approximate across several (`flask check` says so)."""
    redis_url = os.environ.get("REDIS_URL") or app.config.get("REDIS_URL")
    if not redis_url:
        return
    app.config["REDIS_URL"] = redis_url
    if "FLASK_RATELIMIT_STORAGE_URI" not in os.environ:
        app.config["RATELIMIT_STORAGE_URI"] = redis_url


def normalise_database_url(url: str) -> str:
    """Let people write postgres:// or postgresql:// and still get the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret_key(instance: Path) -> str:
    """Read the generated secret key, creating it (mode 0600) on first run."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        key = secrets.token_hex(32)
        f.write(key)
    return key
