"""A permalink asked for as ActivityPub JSON answers with the post's Article; the page itself says
`Vary: Accept`, so a browser's cache or a proxy keeps the two answers apart. The page cache never
stores or serves the JSON (blog/web/page_cache.py skips requests that want it)."""

from flask import Flask, Response, request

from blog.extensions import db
from blog.fediverse import documents, urls
from blog.fediverse.discovery import json_answer
from blog.models import Post
from blog.models.post import visible_posts
from blog.web.negotiation import wants_activity

NEGOTIATED = {"reading.post"}


def init_app(app: Flask) -> None:
    """Call after the page cache's init_app: these hooks must run after its before_request (which
    lets ActivityPub requests through) and before its after_request (which stores the Vary)."""
    app.before_request(answer_activity)
    app.after_request(vary_on_accept)


def answer_activity() -> Response | None:
    if request.endpoint not in NEGOTIATED or request.method not in ("GET", "HEAD"):
        return None
    if urls.base() is None or not wants_activity(request.headers.get("Accept")):
        return None
    args = request.view_args or {}
    post = db.session.scalar(
        visible_posts().where(
            Post.year == args.get("year"), Post.month == args.get("month"), Post.slug == args.get("slug")
        )
    )
    if post is None:
        return None  # the view answers: 404, or the redirect of a renamed post
    return json_answer(documents.with_context(documents.article(post)))


def vary_on_accept(response: Response) -> Response:
    if request.endpoint in NEGOTIATED and urls.base() is not None:
        response.vary.add("Accept")
    return response
