"""Page-cache hits answered before Flask: a small WSGI layer in front of the app.

An anonymous GET (or HEAD) that the page cache can answer costs a cookie check, the content version
(versions.py: usually no query at all), one cache lookup and, for a conditional GET, an ETag
comparison: no request context, no hooks, no ORM. Anything else goes on to Flask, whose hooks
(page_cache.py) render the page and store it under the same key, in every encoding
(compression.py). Entries are stored only for canonical URLs (canonical.py redirects the others),
so the raw path and query name a page exactly.

Two extension points, for other parts of the blog:
- may_use_cache(environ, config) decides who may get a shared page at all: anyone without a
  session or remember cookie or a personal token, asking for a page (not ActivityPub JSON). Extend
  it there, in one place: the Flask side stores only what this layer looked for. key_for() gives no
  key while the blog is private.
- hit hooks: on_hit(app, hook) registers hook(environ, status) to be called for every answered hit
  (200 or 304, HEAD included), e.g. to count views; a failing hook is logged, never fatal.
"""

import hashlib
from collections.abc import Callable
from urllib.parse import parse_qsl

from flask import Flask
from werkzeug.http import parse_cookie

from blog.web.compression import Encoded, chosen, variant_etag
from blog.web.negotiation import wants_activity
from blog.web.versions import ContentState, ContentVersions

VARY_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_BOOSTED", "HTTP_HX_HISTORY_RESTORE_REQUEST")
READ_METHODS = ("GET", "HEAD")
# Kept for a 304: what RFC 9110 says a 304 carries (and our policy headers, harmless).
NOT_MODIFIED_HEADERS = {"cache-control", "etag", "vary", "content-location", "expires", "date"}
HitHook = Callable[[dict, int], None]


def may_use_cache(environ: dict, config) -> bool:
    """May this request get (or make) a page shared by every reader? Someone with a session (signed
    in, or part-way through a form) may see a personal page."""
    if not config["PAGE_CACHE_ENABLED"] or environ.get("REQUEST_METHOD") not in READ_METHODS:
        return False
    # A permalink's ActivityPub JSON (blog/fediverse) is never cached: pages only, one key per URL.
    if wants_activity(environ.get("HTTP_ACCEPT")):
        return False
    # A member's personal feed address (a private blog's token) is read for that member alone.
    query = environ.get("QUERY_STRING", "")
    if "token" in query and any(name == "token" for name, _ in parse_qsl(query, keep_blank_values=True)):
        return False
    raw = environ.get("HTTP_COOKIE")
    if not raw:
        return True
    cookies = parse_cookie(raw)
    return config["SESSION_COOKIE_NAME"] not in cookies and config["REMEMBER_COOKIE_NAME"] not in cookies


def key_for(environ: dict, version: ContentState) -> str | None:
    """The page's cache key: the content version, the URL as requested, the htmx headers it varies
    on. None (nothing cached) while the blog is private or has no version row yet."""
    if version.private or version.version < 0:
        return None
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    query = environ.get("QUERY_STRING", "")
    # A stored page's query is canonical (canonical.py), in either order: `?q=a&page=2` is `?page=2&q=a`.
    arguments = sorted(parse_qsl(query, keep_blank_values=True)) if query else []
    url = f"{environ.get('wsgi.url_scheme')}://{host}{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"
    variant = "|".join(environ.get(h, "") for h in VARY_HEADERS)
    raw = f"{version[0]}:{version[1]}:{url}:{arguments}:{variant}"
    return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


class CacheFront:
    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.hit_hooks: list[HitHook] = app.extensions.setdefault("page_cache_hit_hooks", [])
        self.versions: ContentVersions | None = None

    def store(self):
        return self.app.extensions["cache"][self.app.extensions["page_cache"]]

    def version(self) -> ContentState:
        if self.versions is None:
            self.versions = self.app.extensions["content_versions"]
        return self.versions.current()

    def __call__(self, environ, start_response):
        if not may_use_cache(environ, self.app.config):
            return self.wsgi_app(environ, start_response)
        try:
            version = self.version()
            key = key_for(environ, version)
            hit = self.store().get(key) if key else None
        except Exception:  # a cache or database that is down must not take the blog with it
            self.app.logger.exception("page cache unavailable")
            return self.wsgi_app(environ, start_response)
        if key is None:
            return self.wsgi_app(environ, start_response)
        if hit is None:
            environ["blog.page_cache"] = (version, key)  # page_cache.py stores under this key
            return self.wsgi_app(environ, start_response)
        return self.answer(environ, start_response, *hit)

    def answer(self, environ, start_response, headers: list, encoded: Encoded):
        encoding = chosen(environ.get("HTTP_ACCEPT_ENCODING", ""), encoded)
        body = encoded.body(encoding)
        out = [(name, value) for name, value in headers if name != "ETag"]
        etag = variant_etag(dict(headers).get("ETag"), encoding)
        if etag:
            out.append(("ETag", etag))
        if encoding != "identity":
            out.append(("Content-Encoding", encoding))
        status = 304 if etag and matches(environ.get("HTTP_IF_NONE_MATCH"), etag) else 200
        if status == 304:
            out = [(name, value) for name, value in out if name.lower() in NOT_MODIFIED_HEADERS]
            body = b""
        else:
            out.append(("Content-Length", str(len(body))))
        for hook in self.hit_hooks:
            try:
                hook(environ, status)
            except Exception:
                self.app.logger.exception("page cache hit hook failed")
        start_response("304 NOT MODIFIED" if status == 304 else "200 OK", out)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison, as a GET's If-None-Match uses (RFC 9110 13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    ours = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == ours for tag in if_none_match.split(","))


def install(app: Flask) -> CacheFront:
    front = CacheFront(app, app.wsgi_app)
    app.wsgi_app = front
    app.extensions["cache_front"] = front
    return front


def on_hit(app: Flask, hook: HitHook) -> None:
    """Call hook(environ, status) for every page the cache front answers (from any init_app,
    before or after the front is installed)."""
    app.extensions.setdefault("page_cache_hit_hooks", []).append(hook)
