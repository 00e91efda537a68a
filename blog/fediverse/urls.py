"""The blog's fediverse addresses, all built from BASE_URL (without it the fediverse is off: 404)."""

from urllib.parse import urlsplit

from flask import abort, current_app

from blog.site_settings import get_settings
from blog.web.hosts import url_for_path


def base() -> str | None:
    value = current_app.config["BASE_URL"]
    return value.rstrip("/") if value else None


def require_base() -> str:
    root = base()
    if root is None:
        abort(404)
    return root


def absolute(endpoint: str, **values) -> str:
    return require_base() + url_for_path(endpoint, **values)


def actor_uri() -> str:
    return absolute("fediverse.actor")


def key_id() -> str:
    return actor_uri() + "#main-key"


def inbox_uri() -> str:
    return absolute("fediverse.inbox")


def followers_uri() -> str:
    return absolute("fediverse.followers")


def post_uri(post) -> str:
    """A post's ActivityPub id: its permalink, which answers with the Article when asked for one."""
    return absolute("reading.post", year=post.year, month=post.month, slug=post.slug)


def host() -> str:
    """host[:port] of BASE_URL: the part after the second @ of the handle."""
    return urlsplit(require_base()).netloc


def username() -> str:
    return get_settings().fediverse_username or "blog"


def handle() -> str:
    return f"@{username()}@{host()}"
