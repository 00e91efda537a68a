"""Configuration: defaults here, overridden by FLASK_* environment variables and DATABASE_URL."""

import os
import secrets
import tempfile
from pathlib import Path


class Config:
    """Every setting the blog reads, with its default. Each can be set as a FLASK_* environment
    variable (FLASK_PROXY_FIX=1), and the README's "Configuration" table lists the ones meant to be
    changed (tests/test_config_documented.py keeps the two in step). None means "see the comment":
    a default that depends on another setting or on the instance folder, filled in where it is used."""

    # --- Database ---
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in by configure(): DATABASE_URL or instance/blog.db
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}  # a dropped connection is replaced, not failed on
    SQLITE_SYNCHRONOUS = "FULL"  # an acknowledged comment survives a power loss
    SQLITE_BUSY_TIMEOUT_MS = 20000  # writers queue; below gunicorn's 30 s timeout

    # --- Secret key, sessions and cookies ---
    SECRET_KEY: str | None = None  # signs sessions and CSRF tokens; None: generated into instance/secret_key
    SESSION_COOKIE_HTTPONLY = True  # no script reads the session cookie
    SESSION_COOKIE_SAMESITE = "Lax"  # another site's form posts without it
    SESSION_COOKIE_SECURE = False  # True: Secure even on plain HTTP (HTTPS adds it anyway: web/security.py)
    REMEMBER_COOKIE_NAME = "remember_token"  # "remember me" (Flask-Login); the page cache skips it too
    REMEMBER_COOKIE_HTTPONLY = True  # as for the session cookie
    REMEMBER_COOKIE_SAMESITE = "Lax"  # as for the session cookie
    REMEMBER_COOKIE_SECURE: bool | None = None  # None: the same as SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600  # seconds "remember me" lasts; matches SESSION_LIFETIME_DAYS
    SESSION_LIFETIME_DAYS = 30  # a signed-in session ends this long after sign-in (blog/accounts/sessions.py)
    SESSION_IDLE_DAYS = 14  # a session not used for this long ends, even before its 30 days are up
    WTF_CSRF_TIME_LIMIT = None  # valid for the whole session: a post page left open still accepts a comment
    PASSWORD_HASH_METHOD = "scrypt"  # Werkzeug's scrypt; a stored hash names its own method and cost

    # --- Public address and proxies ---
    BASE_URL: str | None = None  # the public address (https://blog.example.org), see web/hosts.py
    TRUSTED_HOSTS: list[str] | None = None  # without BASE_URL: hosts answered and linked to in mail
    PREFERRED_URL_SCHEME = "http"  # the scheme of links built outside a request (BASE_URL sets it)
    PROXY_FIX = 0  # number of trusted reverse proxies in front of the app
    BEHIND_PROXY: bool | None = None  # for `flask check`; None: guessed from GUNICORN_BIND (loopback only)
    TRUSTED_ORIGINS: tuple[str, ...] = ()  # other origins whose pages may post here (the Origin check)
    HSTS_SECONDS = 365 * 24 * 3600  # Strict-Transport-Security max-age over HTTPS; 0 sends none

    # --- Request size limits ---
    # Everyone's limit: a comment or a sign-in is a few kB. Signed-in staff get larger ones in the
    # admin area (blog/admin/limits.py): uploads, imports, long posts.
    MAX_CONTENT_LENGTH = 512 * 1024
    STAFF_MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # staff, admin area: a 200,000-character post, encoded
    IMAGE_MAX_BYTES = 10 * 1024 * 1024  # the largest image upload
    IMAGE_MAX_PIXELS = 40_000_000  # width x height, summed over an animation's frames
    TRANSFER_MAX_UPLOAD_MB = 100  # the largest export file an import accepts

    # --- Files ---
    UPLOAD_FOLDER: str | None = None  # uploaded images; None: instance/uploads
    TRANSFER_FOLDER: str | None = None  # imports waiting or running; None: instance/imports

    # --- Rate limits (Flask-Limiter) ---
    RATELIMIT_ENABLED = True  # False switches every limit off, the comment flood limit included
    RATELIMIT_STORAGE_URI = "memory://"  # where counts live; REDIS_URL sets it unless given (use_redis())
    RATELIMIT_HEADERS_ENABLED = True  # answers say the limit and when it resets (RateLimit-*, Retry-After)
    # If the shared store (Redis) is unreachable, count in process memory until it is back
    # rather than answer 500 to every sign-in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    REDIS_URL: str | None = None  # from the REDIS_URL environment variable, see use_redis()
    # Bounds in Flask-Limiter's notation ("5 per minute;30 per hour"); blog/accounts/throttle.py says why.
    SIGNIN_LIMIT_PER_IP = "5 per minute;30 per hour"  # failed sign-ins (and wrong codes) per address
    SIGNIN_LIMIT_PER_ACCOUNT = "20 per hour"  # failed sign-ins per email address typed
    RESET_LIMIT_PER_IP = "5 per hour"  # password-reset requests per address
    RESET_LIMIT_PER_EMAIL = "3 per hour"  # password-reset requests per email address (each sends a mail)
    SIGNUP_LIMIT_PER_IP = "10 per hour"  # sign-ups per address
    API_RATE_LIMIT = "300 per minute;5000 per hour"  # content API requests per client address (blog/api/)

    # --- Page cache (Flask-Caching) and static files ---
    PAGE_CACHE_ENABLED = True  # keep the pages that are the same for every reader (blog/web/page_cache.py)
    CACHE_DEFAULT_TIMEOUT = 3600  # seconds an entry lives; entries of an older content version are never read
    PAGE_CACHE_MEMORY_BYTES = 32 * 1024 * 1024  # the in-process store's size, per process
    CACHE_REDIS_URL: str | None = None  # a Redis of its own (evicting in REDIS_URL's could drop limits)
    CACHE_TYPE: str | None = None  # None: RedisCache with CACHE_REDIS_URL, else the in-process store
    CACHE_KEY_PREFIX = "blog-page:"  # keeps page entries apart from anything else in that Redis
    COMPRESSION_ENABLED = (
        True  # brotli/gzip by Accept-Encoding; cached pages kept compressed (compression.py)
    )
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600  # static URLs carry a content hash, see assets.py

    # --- Job queue (blog/jobs/) and followers (blog/followers/) ---
    QUEUE_FILE: str | None = (
        None  # the queue's SQLite file; None: beside the SQLite database or instance/queue.db
    )
    QUEUE_IMMEDIATE = False  # run jobs in-process after the response, no worker (the test suite)
    QUEUE_RETRY_DELAY = 30  # seconds before a failed job's first retry; then doubling
    FOLLOWER_MAIL_WINDOW_HOURS = 48  # posts published longer ago than this are not news: never mailed
    FOLLOWER_MAIL_FULL_TEXT = False  # mail followers the whole post, not the excerpt
    FOLLOWER_SENDERS = 2  # sending jobs started per post, one for each worker that may help
    FOLLOWER_BATCH = 100  # deliveries one sending job claims at a time
    FOLLOWER_LEASE_SECONDS = 300  # a claimed delivery whose worker died is sent again after this
    FOLLOWER_MAX_FAILURES = 5  # failures in a row before an address is marked failing and skipped

    # --- Stats without trackers (blog/stats/) ---
    STATS_ENABLED = True  # count views and visitors on the server (no cookie, nothing stored per reader)
    # Seconds between handing each process's counts to the worker: Stats lag by at most this (plus
    # the worker's few seconds), and a crashed process loses at most this much counting. 0: only
    # when asked (the test suite flushes by hand).
    STATS_FLUSH_SECONDS = 60
    # --- The fediverse (blog/fediverse/): followed as @username@host once BASE_URL is set ---
    FEDIVERSE_ALLOW_PRIVATE = (
        False  # tests only: reach loopback/private addresses and plain http (check refuses)
    )
    FEDIVERSE_TIMEOUT = 10  # seconds an outgoing request may take in all
    FEDIVERSE_MAX_BYTES = 1024 * 1024  # the most read of an answer from another server
    FEDIVERSE_INBOX_MAX_BYTES = 256 * 1024  # the largest activity the inbox accepts
    FEDIVERSE_INBOX_LIMIT = "300 per 5 minutes"  # inbox POSTs per sending server
    FEDIVERSE_WINDOW_HOURS = 48  # posts published longer ago than this are not sent to followers
    FEDIVERSE_SENDERS = 2  # sending jobs started after something is queued, one per worker that may help
    FEDIVERSE_BATCH = 50  # deliveries one sending job claims at a time
    FEDIVERSE_LEASE_SECONDS = 300  # a claimed delivery whose worker died is sent again after this
    FEDIVERSE_MAX_ATTEMPTS = (
        10  # attempts at one delivery before giving up (delays doubling from QUEUE_RETRY_DELAY)
    )
    FEDIVERSE_PAUSE_AFTER = 5  # failures in a row before a server is paused
    FEDIVERSE_PAUSE_SECONDS = 6 * 3600  # how long a failing server is paused before it is tried again

    # --- Mail (blog/mail.py) ---
    MAIL_BACKEND = "console"  # console (the log), file, smtp, or memory (tests)
    MAIL_FROM = "blog@localhost"  # the From address
    MAIL_FILE_PATH: str | None = None  # the file backend's file; None: instance/mail.log
    MAIL_SERVER = "localhost"  # the SMTP server
    MAIL_PORT = 25  # its port (587 with MAIL_USE_TLS, 465 with MAIL_USE_SSL, usually)
    MAIL_USE_TLS = False  # STARTTLS after connecting
    MAIL_USE_SSL = False  # TLS from the start (SMTPS)
    MAIL_USERNAME = ""  # empty: no login
    MAIL_PASSWORD = ""  # with MAIL_USERNAME
    MAIL_TIMEOUT = 10  # seconds to wait for the SMTP server
    MAIL_LEASE_SECONDS = 300  # an account mail claimed by a worker that died is sent again after this


class TestConfig(Config):
    TESTING = True
    SQLITE_SYNCHRONOUS = "NORMAL"
    SECRET_KEY = "test-secret-key-only-for-the-test-suite-0123456789"
    # A third of the suite's time went on hashing test passwords at full cost.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    QUEUE_IMMEDIATE = True  # jobs run in-process (after the response); tests that need a worker start one
    STATS_FLUSH_SECONDS = 0  # no timer thread per test app: tests hand the counts over themselves


def configure(app) -> None:
    """Apply environment overrides, then fill in the database URL and secret key."""
    app.config.from_prefixed_env()
    url = os.environ.get("DATABASE_URL") or app.config["SQLALCHEMY_DATABASE_URI"]
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = "sqlite:///" + str(Path(app.instance_path) / "blog.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    use_redis(app)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def use_redis(app) -> None:
    """With REDIS_URL, rate limits are shared by every process and host (an explicit
    FLASK_RATELIMIT_STORAGE_URI still wins). Without it they live in each process's memory:
    exact for one process, approximate across several (`flask check` says so)."""
    redis_url = os.environ.get("REDIS_URL") or app.config["REDIS_URL"]
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
    """Read the generated secret key, creating it (mode 0600) on first run.

    The key is written to a private temporary file and linked into place whole, so a second process
    starting at the same moment (gunicorn's workers on a fresh blog) reads the winner's key and never
    an empty, half-written file."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=instance, prefix=".secret_key.")  # mode 0600
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)  # fails if another process linked its key first: theirs wins
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text().strip()
