"""Old URLs of an imported blog that now redirect (301): stored by the importer, answered on a 404.

The lookup runs only for requests that would otherwise be a 404 (and for WordPress's plain
"/?p=123" links on the home page): one indexed query, nothing on the normal path.
"""

from urllib.parse import parse_qsl, unquote, urlsplit

from flask import Flask, redirect, request, url_for
from sqlalchemy import select

from blog.extensions import db
from blog.models import Page, PathRedirect, Post
from blog.web import errors

# WordPress's plain links: /?p=123 for posts, /?page_id=7 for pages.
PLAIN_LINK_KEYS = ("p", "page_id")


def normalize(url_or_path: str) -> str | None:
    """The key an old URL is stored and looked up under: its decoded path without a trailing slash,
    plus ?p=N / ?page_id=N for WordPress's plain links. None when there is nothing to redirect."""
    parts = urlsplit(url_or_path.strip())
    return key_for(unquote(parts.path or "/"), dict(parse_qsl(parts.query)))


def key_for(path: str, query) -> str | None:
    """The lookup key of an already decoded path and its query arguments."""
    if not path.startswith("/"):
        path = "/" + path
    path = path.rstrip("/")
    for key in PLAIN_LINK_KEYS:
        value = query.get(key, "")
        if value.isdigit():
            return f"{path}/?{key}={value}"[:500]
    return path[:500] or None


def target_url(found: PathRedirect) -> str | None:
    """Where an old path leads now: its post (once visible) or its page (once published)."""
    if found.post_id is not None:
        post = db.session.get(Post, found.post_id)
        if post is not None and post.has_permalink and post.is_visible():
            return url_for("reading.post", year=post.year, month=post.month, slug=post.slug)
    elif found.page_id is not None:
        page = db.session.get(Page, found.page_id)
        if page is not None and page.published:
            return url_for("reading.page", slug=page.slug)
    return None


def redirect_old_path(key: str | None):
    """A 301 to the new URL of an imported post or page that lived at this path, or None."""
    if key is None or request.method not in ("GET", "HEAD"):
        return None
    found = db.session.scalar(select(PathRedirect).where(PathRedirect.path == key))
    target = target_url(found) if found is not None else None
    return redirect(target, 301) if target else None


def old_path_redirect():
    """For the 404 handler: the request's path, looked up among the old paths."""
    return redirect_old_path(key_for(request.path, request.args))


def init_app(app: Flask) -> None:
    # An imported blog's old URL (e.g. WordPress's /2019/05/12/my-post/) answers 301 with the new one.
    errors.rescue_not_found(app, old_path_redirect)

    @app.before_request
    def wordpress_plain_links():
        """/?p=123 is the home page to the URL map; an imported blog's plain links still reach their post."""
        if request.path == "/" and any(key in request.args for key in PLAIN_LINK_KEYS):
            return redirect_old_path(key_for(request.path, request.args))
        return None
