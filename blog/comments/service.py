"""Storing, editing and deleting comments: idempotency, the flood limit and the moderation hold."""

from dataclasses import dataclass

from flask import current_app
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from blog.comments import notify, states
from blog.comments.policy import is_signed_in, should_hold
from blog.extensions import db
from blog.markup import render_comment
from blog.models import Comment, CommentStatus, Post, utcnow
from blog.site_settings import get_settings


class Flooded(Exception):
    """The member commented less than comment_interval_seconds ago."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


class KeyReused(Exception):
    """The idempotency key belongs to someone else's comment or another post."""


class TextChanged(Exception):
    """The form was posted before with another text: a retry may not report success and drop the words."""


@dataclass
class Draft:
    body: str
    key: str
    name: str = ""
    notify: bool = False


def seconds_to_wait(user) -> int:
    """The flood limit, read from the database so it holds across worker processes."""
    interval = get_settings().comment_interval_seconds
    if not current_app.config["RATELIMIT_ENABLED"] or interval <= 0 or not is_signed_in(user):
        return 0
    last = db.session.scalar(select(func.max(Comment.created_at)).where(Comment.author_id == user.id))
    if last is None:
        return 0
    left = interval - (utcnow() - last).total_seconds()
    return max(0, int(left + 0.999))


def _stored(key: str, user, post: Post, body: str) -> Comment | None:
    """The comment already stored under this key: a retry or a double click (the same text)."""
    found = db.session.scalar(select(Comment).where(Comment.idempotency_key == key))
    if found is None:
        return None
    author_id = user.id if is_signed_in(user) else None
    if found.author_id != author_id or found.post_id != post.id:
        raise KeyReused
    if found.body_source != body:
        raise TextChanged
    return found


def post_comment(post: Post, user, draft: Draft, parent: Comment | None = None) -> tuple[Comment, bool]:
    """Store a comment (a reply to a reply joins the top-level comment); (comment, newly stored)."""
    existing = _stored(draft.key, user, post, draft.body)
    if existing is not None:
        return existing, False
    wait = seconds_to_wait(user)
    if wait:
        raise Flooded(wait)
    html = render_comment(draft.body)
    signed_in = is_signed_in(user)
    comment = Comment(
        post_id=post.id,
        author_id=user.id if signed_in else None,
        author_name="" if signed_in else draft.name,
        parent_id=None if parent is None else (parent.parent_id or parent.id),
        body_source=draft.body,
        body_html=html,
        status=CommentStatus.PENDING
        if should_hold(user, post, get_settings(), html, utcnow())
        else CommentStatus.PUBLISHED,
        idempotency_key=draft.key,
        notify_replies=bool(draft.notify) and signed_in,
    )
    db.session.add(comment)
    try:
        db.session.commit()
    except IntegrityError:
        # Two copies of one post raced past the lookup (PostgreSQL): the unique key kept one.
        db.session.rollback()
        existing = _stored(draft.key, user, post, draft.body)
        if existing is None:
            raise
        return existing, False
    notify.comment_posted(comment, post)
    return comment, True


def edit_comment(comment: Comment, post: Post, user, body: str) -> None:
    """Replace the text; an edit that trips a moderation rule goes back to the queue."""
    html = render_comment(body)
    comment.body_source = body
    comment.body_html = html
    comment.edited_at = utcnow()
    held = should_hold(user, post, get_settings(), html, utcnow())
    newly_held = held and comment.status == CommentStatus.PUBLISHED
    if newly_held:
        comment.status = CommentStatus.PENDING
    db.session.commit()
    if newly_held:
        notify.comment_posted(comment, post)


def has_replies(comment: Comment) -> bool:
    return db.session.scalar(select(Comment.id).where(Comment.parent_id == comment.id).limit(1)) is not None


def delete_comment(comment: Comment) -> int | None:
    """A comment with replies leaves a placeholder; without replies it goes, and so does a
    placeholder parent left with no replies (its id is returned, else None)."""
    gone_parent = None
    if comment.parent_id is None and has_replies(comment):
        own = comment.author_id == current_user.id
        states.make(
            comment, CommentStatus.REMOVED, states.HiddenBy.COMMENTER if own else states.HiddenBy.ADMIN
        )
        comment.notify_replies = False
        if own:
            # The author takes their words back; an admin's removal keeps them (see removed_by_author).
            comment.body_source = comment.body_html = ""
    else:
        parent = db.session.get(Comment, comment.parent_id) if comment.parent_id else None
        db.session.delete(comment)
        db.session.flush()
        if parent is not None and parent.status == CommentStatus.REMOVED and not has_replies(parent):
            db.session.delete(parent)
            gone_parent = parent.id
    db.session.commit()
    return gone_parent
