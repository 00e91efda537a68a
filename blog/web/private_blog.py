"""A private blog: with "Who can read" set to "Members of this blog", only members, authors and
admins read it. Everyone else asking for any page, feed, search, sitemap, API URL, comment
partial or uploaded image gets the sign-in page (htmx: HX-Redirect to it), 401 (feeds and the
API) or 404 (images), never content.

One gate, before every other hook (the old-link redirects, the canonical URL and the page cache
come after it), so no route can forget it: only the sign-in and account pages, static files,
robots.txt and the unsubscribe links are open to everyone. The setting is read with the page
cache's content version (versions.py, once per request), and the page cache never serves or
stores a page of a private blog.

Caches outside the app: every answer of a private blog is `Cache-Control: private` (browsers
only, revalidated) or `no-store`, with `X-Robots-Tag: noindex`. nginx's micro-cache cannot ask the
database, so the app keeps a marker file in the upload folder while the blog is private (written
before the setting is committed); the shipped deploy/nginx.conf neither serves from its cache nor
stores while the file exists, and sends /media/ to the app, which checks who is asking.
"""

from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, has_request_context, jsonify, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from blog.models import BlogSettings, ReadAccess
from blog.uploads import upload_folder
from blog.web import reader_tokens
from blog.web.htmx import hx_redirect, is_htmx
from blog.web.page_cache import blog_is_private
from blog.web.security import safe_next

MARKER = ".blog-is-private"  # in the upload folder; deploy/nginx.conf tests for it
OPEN_ENDPOINTS = {
    "static",
    "theme.stylesheet",
    "feeds.robots",
    "followers.unsubscribe",
    "comments.unsubscribe",
}
OPEN_BLUEPRINTS = {"accounts"}  # sign in, join by invitation, reset a password, the account page
TOKEN_BLUEPRINTS = {"feeds", "api"}  # what a personal token may read
MACHINE_BLUEPRINTS = {"feeds", "api", "fediverse"}  # feed readers, scripts, servers: 401, not sign-in


def init_app(app: Flask) -> None:
    app.before_request(gate)
    app.after_request(mark_private_answers)
    app.context_processor(template_values)


def template_values() -> dict:
    """For base.html: a private blog shows a signed-out person no menu, sidebar or feed links.
    (Mail rendered by the worker has no request, and no reader to ask about.)"""
    if not has_request_context():
        return {}
    return {"can_read": can_read(), "blog_private": blog_is_private()}


def is_reader(user) -> bool:
    """A member, author or admin: someone who may read a private blog."""
    return bool(user.is_authenticated and user.is_member)


def can_read() -> bool:
    """May the person asking read this blog's content (its pages, labels, feeds)?"""
    return not blog_is_private() or is_reader(current_user) or g.get("token_reader") is not None


def gate() -> Response | None:
    if request.endpoint in OPEN_ENDPOINTS or request.blueprint in OPEN_BLUEPRINTS:
        return None
    if request.blueprint == "api" and request.method == "OPTIONS":
        return None  # a CORS preflight carries no credentials and reveals nothing
    g.private_checked = True
    if not blog_is_private():
        return None
    ensure_marker()
    if is_reader(current_user):
        return None
    if request.blueprint in TOKEN_BLUEPRINTS:
        reader = reader_tokens.reader_for(reader_tokens.presented_token())
        if reader is not None:
            g.token_reader = reader
            return None
    return refusal()


def refusal() -> Response:
    if request.blueprint in MACHINE_BLUEPRINTS:
        message = gettext("This blog is private: sign in, or use your personal token.")
        if request.blueprint == "api":
            response = jsonify(error="unauthorized", message=message, status=401)
        else:
            response = Response(message + "\n", mimetype="text/plain")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = gettext('Bearer realm="blog"')
    elif request.endpoint == "media.image":
        response = Response("Not found\n", status=404, mimetype="text/plain")
    else:
        # The sign-in page, then back (htmx: 401 with HX-Redirect, never a page inside a fragment).
        # No flashed message: it would give a signed-out reader a session cookie; the sign-in page
        # says the blog is private itself.
        back = safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None
        if is_htmx():
            current = safe_next(own_path(request.headers.get("HX-Current-URL")))
            response = hx_redirect(url_for("accounts.login", next=current or back), 401)
            response.vary.add("HX-Request")
        else:
            response = redirect(url_for("accounts.login", next=back))
    response.headers["Cache-Control"] = "no-store"
    return response


def own_path(url: str | None) -> str | None:
    """The path and query of a URL on this site (HX-Current-URL), else None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def mark_private_answers(response: Response) -> Response:
    """Nothing a private blog answers may be kept by a shared cache or indexed."""
    if g.get("private_checked") and blog_is_private():
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        cache_control = response.headers.get("Cache-Control", "")
        if "no-store" not in cache_control and "private" not in cache_control:
            response.headers["Cache-Control"] = "private, no-cache"
        response.vary.add("Cookie")
    return response


# The marker file nginx reads ------------------------------------------------------------------


def marker_path() -> Path:
    return upload_folder() / MARKER


def ensure_marker() -> None:
    """Put the marker back if it is missing (a restored backup, a new upload folder)."""
    path = marker_path()
    if not path.exists():
        write_marker(path)


def write_marker(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("This blog is private: deploy/nginx.conf caches nothing while this file exists.\n")
    except OSError:
        current_app.logger.exception("could not write %s: nginx may serve cached public pages", path)


@event.listens_for(BlogSettings.who_can_read, "set", active_history=True)
def who_can_read_changed(target: BlogSettings, value, old, _initiator) -> None:
    """Going private: the marker is written now, before the commit, so nginx stops caching before
    the first private answer. Going public: it is removed once the change is committed."""
    if old == value or not isinstance(old, str):  # a new settings object: nothing changes
        return
    if value == ReadAccess.MEMBERS:
        write_marker(marker_path())
        return
    session = Session.object_session(target)
    if session is not None:
        session.info["remove_private_marker"] = True


@event.listens_for(Session, "after_commit")
def remove_marker_after_commit(session: Session) -> None:
    if session.info.pop("remove_private_marker", False):
        marker_path().unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def keep_marker_after_rollback(session: Session) -> None:
    session.info.pop("remove_private_marker", None)
