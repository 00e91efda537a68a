"""Helpers shared by the comment tests: posting through the real forms, reading the database."""

import re
import uuid

from conftest import Auth, csrf_from, make_user
from sqlalchemy import select

from blog.extensions import db
from blog.models import BlogSettings, Comment
from blog.site_settings import ensure_settings

HTMX = {"HX-Request": "true"}


def permalink(post) -> str:
    return f"/{post.year:04d}/{post.month:02d}/{post.slug}.html"


def set_settings(app, **values) -> None:
    with app.app_context():
        settings = ensure_settings()
        for name, value in values.items():
            setattr(settings, name, value)
        db.session.commit()


def sign_in(client, email: str) -> None:
    response = Auth(client).login(email=email)
    assert response.status_code in (302, 303), response.text


def member_client(app, email: str, name: str, role: str = "member"):
    """A new account and a test client signed in as it."""
    user = make_user(app, email, name, role)
    client = app.test_client()
    sign_in(client, email)
    return user, client


def token(client, post) -> str:
    return csrf_from(client.get(permalink(post)).text)


def post_comment(client, post, body="Hello there", key=None, htmx=False, csrf=True, url=None, **fields):
    """Post through the comment form (or `url`, e.g. a reply), with a fresh idempotency key by default."""
    data = {"body": body, "key": key or uuid.uuid4().hex, **fields}
    if csrf:
        data["csrf_token"] = token(client, post)
    return client.post(url or f"/posts/{post.id}/comments", data=data, headers=HTMX if htmx else {})


def comments(app, post=None) -> list[Comment]:
    with app.app_context():
        query = select(Comment).order_by(Comment.id)
        if post is not None:
            query = query.where(Comment.post_id == post.id)
        found = list(db.session.scalars(query))
        for comment in found:
            db.session.expunge(comment)
        return found


def get_comment(app, comment_id: int) -> Comment | None:
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        if comment is not None:
            db.session.expunge(comment)
        return comment


def add_comment(app, post, author, body="A comment", parent_id=None, status="published", **extra) -> int:
    """Store a comment directly (no request): for threads of any length."""
    with app.app_context():
        comment = Comment(
            post_id=post.id,
            author_id=author.id if author else None,
            body_source=body,
            body_html=f"<p>{body}</p>",
            parent_id=parent_id,
            status=status,
            **extra,
        )
        db.session.add(comment)
        db.session.commit()
        return comment.id


def settings(app) -> BlogSettings:
    with app.app_context():
        found = ensure_settings()
        db.session.expunge(found)
        return found


def field_value(html: str, name: str) -> str | None:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else None


def outbox(app) -> list:
    return app.extensions.setdefault("mail_outbox", [])
