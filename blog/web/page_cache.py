"""A shared cache of the pages that are the same for every reader.

A page is stored under its URL, the htmx headers it varies on, and the blog's content version:
a counter in the database that every write to what readers see moves (an ORM flush or bulk
statement touching a public table bumps it in the same transaction), plus the number of
scheduled posts already due, so a scheduled post shows up when its time comes with no write at
all. A changed blog therefore never serves an old page, on any process or host; an unchanged one
costs one small query per page. Only anonymous requests without a session cookie are served from
it or stored in it.

Bounded: a page is stored under its canonical URL only (canonical.py redirects any other query
away), every entry lives at most CACHE_DEFAULT_TIMEOUT seconds, and the store has a size: in
process memory PAGE_CACHE_MEMORY_BYTES per process (page_store.py); in Redis, only when
CACHE_REDIS_URL names one of its own, whose maxmemory and allkeys-lru policy bound it. REDIS_URL
alone does not move the cache there: the rate-limit counters live in that Redis, and an eviction
policy that bounds the cache could also evict them (their keys expire too, so volatile-lru would not
spare them; see the README).
"""

import hashlib

from flask import Flask, Response, current_app, g, request
from flask_caching import Cache
from sqlalchemy import Delete, Insert, Update, bindparam, event, func, insert, select, update
from sqlalchemy.orm import Session

from blog.extensions import db
from blog.models import BlogSettings, Comment, ContentVersion, Label, Page, Post, PostStatus, User, utcnow
from blog.models.post import post_labels
from blog.web.canonical import canonical_args, redirect_to_canonical
from blog.web.negotiation import wants_activity

cache = Cache()

PUBLIC_MODELS = (Post, Page, Comment, Label, BlogSettings, User)
PUBLIC_TABLES = {model.__table__.name for model in PUBLIC_MODELS} | {
    post_labels.name,
    "post_redirects",
    "path_redirects",
}
CACHED_BLUEPRINTS = {"reading", "feeds", "search"}
CACHED_ENDPOINTS = {"comments.section"}
VARY_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")
# The validators and Cache-Control http_cache.py gave the page are kept with it, so a hit needs neither.
STORED_HEADERS = ("Content-Type", "Vary", "Link", "ETag", "Cache-Control")


versions = ContentVersion.__table__
posts = Post.__table__
VERSION_QUERY = select(
    versions.c.number,
    select(func.count())
    .select_from(posts)
    .where(posts.c.status == PostStatus.SCHEDULED.value, posts.c.published_at <= bindparam("now"))
    .scalar_subquery(),
).where(versions.c.id == 1)


def init_app(app: Flask) -> None:
    config = app.config
    if not config["CACHE_TYPE"]:
        # Redis only when the cache has one of its own (see the module's docstring).
        config["CACHE_TYPE"] = (
            "RedisCache" if config["CACHE_REDIS_URL"] else "blog.web.page_store.MemoryPageStore"
        )
    cache.init_app(app)
    app.before_request(canonical_url)
    app.before_request(serve_cached)
    app.after_request(store)


def cached_route() -> bool:
    return request.blueprint in CACHED_BLUEPRINTS or request.endpoint in CACHED_ENDPOINTS


def canonical_url():
    """Pages that may be cached answer at one URL each (for everyone, so links stay the same)."""
    return redirect_to_canonical() if cached_route() else None


def cacheable_request() -> bool:
    if not current_app.config["PAGE_CACHE_ENABLED"] or request.method != "GET" or not cached_route():
        return False
    # A permalink's ActivityPub JSON (blog/fediverse) is never cached: pages only, one key per URL.
    if wants_activity(request.headers.get("Accept")):
        return False
    # Someone with a session (signed in, or part-way through a form) may see a personal page.
    cookies, config = request.cookies, current_app.config
    return config["SESSION_COOKIE_NAME"] not in cookies and config["REMEMBER_COOKIE_NAME"] not in cookies


def page_key() -> str:
    # Core execution on the session's connection: this runs on every cached hit, and the ORM layer
    # would cost more than the query itself.
    number, scheduled_due = db.session.connection().execute(VERSION_QUERY, {"now": utcnow()}).one()
    variant = "|".join(request.headers.get(h, "") for h in VARY_HEADERS)
    query = sorted(canonical_args().items())
    raw = f"{number}:{scheduled_due}:{request.base_url}:{query}:{variant}"
    return hashlib.sha256(raw.encode()).hexdigest()


def serve_cached() -> Response | None:
    if not cacheable_request():
        return None
    try:
        g.page_cache_key = page_key()
        hit = cache.get(g.page_cache_key)
    except Exception:  # a cache that is down must not take the blog with it
        current_app.logger.exception("page cache unavailable")
        g.pop("page_cache_key", None)
        return None
    if hit is None:
        return None
    g.page_cache_hit = True
    body, headers = hit
    return Response(body, status=200, headers=headers).make_conditional(request)


def store(response: Response) -> Response:
    key = g.get("page_cache_key")
    if not key or g.get("page_cache_hit") or response.status_code != 200 or response.is_streamed:
        return response
    if "Set-Cookie" in response.headers:
        return response
    headers = [(name, value) for name, value in response.headers.items() if name in STORED_HEADERS]
    try:
        cache.set(key, (response.get_data(), headers))
    except Exception:
        current_app.logger.exception("page cache unavailable")
    return response


def bump(session: Session) -> None:
    """Move the content version in the session's transaction (created on first use)."""
    moved = session.execute(
        update(ContentVersion).where(ContentVersion.id == 1).values(number=ContentVersion.number + 1)
    )
    if moved.rowcount == 0:
        session.execute(insert(ContentVersion).values(id=1, number=1))


@event.listens_for(Session, "after_flush")
def bump_after_public_flush(session: Session, _context) -> None:
    changed = session.new | session.dirty | session.deleted
    if any(isinstance(obj, PUBLIC_MODELS) for obj in changed) and not session.info.get("bumping"):
        session.info["bumping"] = True
        try:
            bump(session)
        finally:
            session.info["bumping"] = False


@event.listens_for(Session, "do_orm_execute")
def bump_after_bulk_statement(state) -> None:
    statement = state.statement
    if isinstance(statement, Insert | Update | Delete) and statement.table.name in PUBLIC_TABLES:
        if not state.session.info.get("bumping"):
            state.session.info["bumping"] = True
            try:
                bump(state.session)
            finally:
                state.session.info["bumping"] = False
