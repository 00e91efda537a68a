"""Comments: posting through the real form, storing them directly, reading the database."""

import uuid

from markupsafe import escape
from sqlalchemy import select

from blog.extensions import db
from blog.models import Comment
from tests.support.content import permalink
from tests.support.web import HTMX, csrf_from


def token(client, post) -> str:
    return csrf_from(client.get(permalink(post)).text)


def post_comment(client, post, body="Hello there", key=None, htmx=False, csrf=True, url=None, **fields):
    """Post through the comment form (or `url`, e.g. a reply), with a fresh idempotency key by default."""
    data = {"body": body, "key": key or uuid.uuid4().hex, **fields}
    if csrf:
        data["csrf_token"] = token(client, post)
    return client.post(url or f"/posts/{post.id}/comments", data=data, headers=HTMX if htmx else {})


def add_comment(
    app, post, author=None, body="A comment", status="published", parent_id=None, **columns
) -> int:
    """Store a comment directly (no request): for threads of any length and moderation queues."""
    with app.app_context():
        comment = Comment(
            post_id=post.id,
            author_id=author.id if author else None,
            body_source=body,
            body_html=f"<p>{escape(body)}</p>",
            parent_id=parent_id,
            status=status,
            **columns,
        )
        db.session.add(comment)
        db.session.commit()
        return comment.id


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


def status_of(app, comment_id: int) -> str | None:
    comment = get_comment(app, comment_id)
    return comment.status if comment else None
