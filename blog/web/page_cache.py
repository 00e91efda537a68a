"""A shared cache of the pages that are the same for every reader.

A page is stored under its URL, the htmx headers it varies on, and the blog's content version:
a counter in the database that every write to what readers see moves (an ORM flush or bulk
statement touching a public table bumps it in the same transaction), plus the number of
scheduled posts already due, so a scheduled post shows up when its time comes with no write at
all. A changed blog therefore never serves an old page, on any process or host. Hits are answered
before Flask by cache_front.py (which reads the version cheaply, see versions.py); the hooks here
render and store what it missed. Only requests cache_front.may_use_cache() accepts (anonymous, no
session cookie, no personal token, a page and not ActivityPub JSON) are served from it or stored in
it, and only while the blog is public: the version read also reads "Who can read", so on a private
blog nothing is served from the cache or stored in it, and switching either way takes effect on the
next request (the switch moves the content version too).

Bounded: a page is stored under its canonical URL only (canonical.py redirects any other query
away), every entry lives at most CACHE_DEFAULT_TIMEOUT seconds, and the store has a size: in
process memory PAGE_CACHE_MEMORY_BYTES per process (page_store.py); in Redis, only when
CACHE_REDIS_URL names one of its own, whose maxmemory and allkeys-lru policy bound it. REDIS_URL
alone does not move the cache there: the rate-limit counters live in that Redis, and an eviction
policy that bounds the cache could also evict them (their keys expire too, so volatile-lru would not
spare them; see the README).
"""

from flask import Flask, Response, current_app, g, request
from flask_caching import Cache
from sqlalchemy import Delete, Insert, Update, event, insert, update
from sqlalchemy.orm import Session

from blog.extensions import db
from blog.models import ContentVersion
from blog.models.content_version import seen_by_readers
from blog.web import cache_front, compression
from blog.web.canonical import redirect_to_canonical
from blog.web.versions import ContentVersions

cache = Cache()

CACHED_BLUEPRINTS = {"reading", "feeds", "search"}
CACHED_ENDPOINTS = {"comments.section"}
# What a hit sends as it was: everything but what the server or the encoding decides per answer.
UNSTORED_HEADERS = {"set-cookie", "content-length", "content-encoding", "date", "server"}


def init_app(app: Flask) -> None:
    config = app.config
    if not config["CACHE_TYPE"]:
        # Redis only when the cache has one of its own (see the module's docstring).
        config["CACHE_TYPE"] = (
            "RedisCache" if config["CACHE_REDIS_URL"] else "blog.web.page_store.MemoryPageStore"
        )
    cache.init_app(app)
    app.extensions["page_cache"] = cache
    with app.app_context():
        url = db.engine.url
    sqlite = url.get_backend_name() == "sqlite"
    app.extensions["content_versions"] = ContentVersions(url, {"check_same_thread": False} if sqlite else {})
    # Session events are global to SQLAlchemy, so they are listened to once however many apps exist.
    for name, listener in (
        ("after_flush", bump_after_public_flush),
        ("do_orm_execute", bump_after_bulk_statement),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
    app.before_request(canonical_url)
    app.before_request(remember_key)
    compression.init_app(app)  # runs after store (after_request hooks run in reverse)
    app.after_request(store)
    # Hits never reach the hooks above: the cache front answers them (cache_front.py).
    cache_front.install(app)


def cached_route() -> bool:
    return request.blueprint in CACHED_BLUEPRINTS or request.endpoint in CACHED_ENDPOINTS


def blog_is_private() -> bool:
    """Whether "Who can read" is "Members of this blog": read with the content version (once per
    request, on the version's own connection), so the private-blog gate costs no query of its own."""
    return current_app.extensions["content_versions"].current().private


def canonical_url():
    """Pages that may be cached answer at one URL each (for everyone, so links stay the same)."""
    return redirect_to_canonical() if cached_route() else None


def remember_key() -> None:
    """A page the cache front looked for and missed is stored under its key, once rendered. The
    version in that key was read before rendering began (see versions.py)."""
    found = request.environ.get("blog.page_cache")
    if found and request.method == "GET" and cached_route():
        g.page_cache_key = found[1]


def store(response: Response) -> Response:
    key = g.pop("page_cache_key", None)
    if not key or response.status_code != 200 or response.is_streamed or response.direct_passthrough:
        return response
    if "Set-Cookie" in response.headers:
        return response
    encoded = compression.encode(response.get_data())
    # Before the headers are kept (a hit sends them as they are): a shared page is only for those
    # without a session cookie, and comes in several encodings.
    response.vary.add("Cookie")
    if encoded.br is not None:
        response.vary.add("Accept-Encoding")
    headers = [
        (name, value) for name, value in response.headers.items() if name.lower() not in UNSTORED_HEADERS
    ]
    try:
        cache.set(key, (headers, encoded))
    except Exception:
        current_app.logger.exception("page cache unavailable")
    g.page_encoded = encoded  # compression.compress sends it without compressing again
    return response


def bump(session: Session) -> None:
    """Move the content version in the session's transaction (created on first use)."""
    moved = session.execute(
        update(ContentVersion).where(ContentVersion.id == 1).values(number=ContentVersion.number + 1)
    )
    if moved.rowcount == 0:
        session.execute(insert(ContentVersion).values(id=1, number=1))


def bump_after_public_flush(session: Session, _context) -> None:
    changed = session.new | session.dirty | session.deleted
    if any(seen_by_readers(obj.__table__) for obj in changed) and not session.info.get("bumping"):
        session.info["bumping"] = True
        try:
            bump(session)
        finally:
            session.info["bumping"] = False


def bump_after_bulk_statement(state) -> None:
    statement = state.statement
    if isinstance(statement, Insert | Update | Delete) and seen_by_readers(statement.table):
        if not state.session.info.get("bumping"):
            state.session.info["bumping"] = True
            try:
                bump(state.session)
            finally:
                state.session.info["bumping"] = False
