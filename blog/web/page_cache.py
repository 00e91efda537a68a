"""A shared cache of the pages that are the same for every reader.

A page is stored under its URL, the htmx headers it varies on, and the blog's content version:
a counter in the database that every write to what readers see moves (an ORM flush or bulk
statement touching a public table bumps it in the same transaction), plus the number of
scheduled posts already due, so a scheduled post shows up when its time comes with no write at
all. A changed blog therefore never serves an old page, on any process or host; an unchanged one
costs one small query per page. Only anonymous requests without a session cookie are served from
it or stored in it, and only while the blog is public: the same query reads "Who can read", so
on a private blog nothing is served from the cache or stored in it, and switching either way takes
effect on the next request (the switch moves the content version too).

The decision "may this request use the cache" is made here and only here, in pieces a layer in
front of Flask can call without a Flask request: may_use_cache() (method, route, cookies, Accept: no
database), read_state() (one query: version, scheduled posts due, private) and key_for() (None when
the blog is private). cacheable_request() and page_key() are those pieces applied to Flask's request.

Bounded: a page is stored under its canonical URL only (canonical.py redirects any other query
away), every entry lives at most CACHE_DEFAULT_TIMEOUT seconds, and the store has a size: in
process memory PAGE_CACHE_MEMORY_BYTES per process (page_store.py); in Redis, only when
CACHE_REDIS_URL names one of its own, whose maxmemory and allkeys-lru policy bound it. REDIS_URL
alone does not move the cache there: the rate-limit counters live in that Redis, and an eviction
policy that bounds the cache could also evict them (their keys expire too, so volatile-lru would not
spare them; see the README).
"""

import hashlib
from collections.abc import Callable, Mapping
from typing import NamedTuple

from flask import Flask, Response, current_app, g, request
from flask_caching import Cache
from sqlalchemy import Delete, Insert, Update, bindparam, event, func, insert, select, update
from sqlalchemy.orm import Session

from blog.extensions import db
from blog.models import BlogSettings, ContentVersion, Post, PostStatus, ReadAccess, utcnow
from blog.models.content_version import seen_by_readers
from blog.site_settings import get_settings
from blog.web.canonical import canonical_args, redirect_to_canonical
from blog.web.negotiation import wants_activity

cache = Cache()

CACHED_BLUEPRINTS = {"reading", "feeds", "search"}
CACHED_ENDPOINTS = {"comments.section"}
VARY_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")
# The validators and Cache-Control http_cache.py gave the page are kept with it, so a hit needs neither.
STORED_HEADERS = ("Content-Type", "Vary", "Link", "ETag", "Cache-Control")


versions = ContentVersion.__table__
posts = Post.__table__
settings_table = BlogSettings.__table__
VERSION_QUERY = select(
    versions.c.number,
    select(func.count())
    .select_from(posts)
    .where(posts.c.status == PostStatus.SCHEDULED.value, posts.c.published_at <= bindparam("now"))
    .scalar_subquery(),
    select(settings_table.c.who_can_read).where(settings_table.c.id == 1).scalar_subquery(),
).where(versions.c.id == 1)


class ContentState(NamedTuple):
    """What every cached answer depends on, read in one query."""

    version: int
    scheduled_due: int
    private: bool  # "Who can read" is "Members of this blog"


def init_app(app: Flask) -> None:
    config = app.config
    if not config["CACHE_TYPE"]:
        # Redis only when the cache has one of its own (see the module's docstring).
        config["CACHE_TYPE"] = (
            "RedisCache" if config["CACHE_REDIS_URL"] else "blog.web.page_store.MemoryPageStore"
        )
    cache.init_app(app)
    # Session events are global to SQLAlchemy, so they are listened to once however many apps exist.
    for name, listener in (
        ("after_flush", bump_after_public_flush),
        ("do_orm_execute", bump_after_bulk_statement),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
    app.before_request(canonical_url)
    app.before_request(serve_cached)
    app.after_request(store)


def on_hit(app: Flask, hook: Callable[[dict, int], object]) -> None:
    """Call hook(environ, status) for every page answered from the cache (stats count them: the
    request never reaches a view). A layer answering hits before Flask takes the same hooks."""
    app.extensions.setdefault("page_cache_hit_hooks", []).append(hook)


def cached_route(blueprint: str | None = None, endpoint: str | None = None) -> bool:
    if blueprint is None and endpoint is None:
        blueprint, endpoint = request.blueprint, request.endpoint
    return blueprint in CACHED_BLUEPRINTS or endpoint in CACHED_ENDPOINTS


def canonical_url():
    """Pages that may be cached answer at one URL each (for everyone, so links stay the same)."""
    return redirect_to_canonical() if cached_route() else None


def may_use_cache(
    config: Mapping,
    method: str,
    route_cached: bool,
    cookies: Mapping,
    args: Mapping,
    accept: str | None = None,
) -> bool:
    """Whether a request may be answered from the cache or stored in it, before the database is
    asked (read_state() and key_for() decide the rest): GET of a cached route, with no session
    cookie (someone signed in, or part-way through a form, may see a personal page) and no personal
    token (a member's feed address on a private blog)."""
    if not config["PAGE_CACHE_ENABLED"] or method != "GET" or not route_cached:
        return False
    if config["SESSION_COOKIE_NAME"] in cookies or config["REMEMBER_COOKIE_NAME"] in cookies:
        return False
    # A permalink's ActivityPub JSON (blog/fediverse) is never cached: pages only, one key per URL.
    if wants_activity(accept):
        return False
    return "token" not in args


def read_state(connection) -> ContentState:
    """The content version, the scheduled posts due and whether the blog is private: one query."""
    row = connection.execute(VERSION_QUERY, {"now": utcnow()}).first()
    if row is None:  # no version row yet (bump() makes it on the first write): read the setting alone
        who = connection.execute(
            select(settings_table.c.who_can_read).where(settings_table.c.id == 1)
        ).scalar()
        return ContentState(-1, 0, who == ReadAccess.MEMBERS.value)
    number, scheduled_due, who = row
    return ContentState(number, scheduled_due, who == ReadAccess.MEMBERS.value)


def key_for(state: ContentState, url: str, query: list, variant: str) -> str | None:
    """The cache key of a page, or None: a private blog's pages are never cached (nor any page
    while the version row is missing: nothing would tell a changed page from the stored one)."""
    if state.private or state.version < 0:
        return None
    raw = f"{state.version}:{state.scheduled_due}:{url}:{query}:{variant}"
    return hashlib.sha256(raw.encode()).hexdigest()


def content_state() -> ContentState:
    """read_state() once per request (the private-blog gate reads it too)."""
    if "content_state" not in g:
        # Core execution on the session's connection: this runs on every cached hit, and the ORM
        # layer would cost more than the query itself.
        g.content_state = read_state(db.session.connection())
    return g.content_state


def blog_is_private() -> bool:
    """Whether "Who can read" is "Members of this blog", read with the content version when the
    page cache reads it anyway, else from the settings row most views read anyway."""
    if "content_state" in g or current_app.config["PAGE_CACHE_ENABLED"]:
        return content_state().private
    return get_settings().is_private


def cacheable_request() -> bool:
    headers = request.headers
    return may_use_cache(
        current_app.config,
        request.method,
        cached_route(),
        request.cookies,
        request.args,
        headers.get("Accept"),
    )


def page_key() -> str | None:
    variant = "|".join(request.headers.get(h, "") for h in VARY_HEADERS)
    return key_for(content_state(), request.base_url, sorted(canonical_args().items()), variant)


def serve_cached() -> Response | None:
    if not cacheable_request():
        return None
    try:
        g.page_cache_key = page_key()
        hit = cache.get(g.page_cache_key) if g.page_cache_key else None
    except Exception:  # a cache that is down must not take the blog with it
        current_app.logger.exception("page cache unavailable")
        g.pop("page_cache_key", None)
        return None
    if hit is None:
        return None
    g.page_cache_hit = True
    body, headers = hit
    response = Response(body, status=200, headers=headers).make_conditional(request)
    for hook in current_app.extensions.get("page_cache_hit_hooks", ()):
        hook(request.environ, response.status_code)
    return response


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
