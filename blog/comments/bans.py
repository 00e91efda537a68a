"""Bans from commenting: asking whether one is in force, imposing one and lifting it.

The comment section calls active_ban(user) before showing the form or storing a comment, and shows
ban_message(ban) to the person, so a banned member is told why."""

from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from blog.comments import states
from blog.extensions import db
from blog.models import Ban, BanHiddenComment, Comment, CommentStatus, User, utcnow
from blog.web import dates

# Comments a ban can hide; removed ones are already off the blog.
HIDEABLE = (CommentStatus.PUBLISHED, CommentStatus.PENDING)


def active_ban(user) -> Ban | None:
    """The ban in force on this person now (the newest if several), or None. Anonymous: None."""
    if not getattr(user, "is_authenticated", False):
        return None
    now = utcnow()
    return db.session.scalar(
        select(Ban)
        .where(Ban.user_id == user.id, Ban.lifted_at.is_(None), (Ban.ends_at.is_(None)) | (Ban.ends_at > now))
        .order_by(Ban.created_at.desc(), Ban.id.desc())
        .limit(1)
    )


def ban_message(ban: Ban) -> str:
    """What a banned person reads where the comment form would be."""
    if ban.ends_at:
        return gettext(
            "You can't comment on this blog until %(when)s. Reason: %(reason)s",
            when=dates.day_and_time(ban.ends_at),
            reason=ban.reason,
        )
    return gettext("You can't comment on this blog. Reason: %(reason)s", reason=ban.reason)


def impose_ban(
    user: User, reason: str, ends_at: datetime | None, hide_comments: bool, by: User
) -> tuple[Ban, int]:
    """Ban the person from commenting; with hide_comments, take their comments off the blog.

    Returns the ban and how many comments it hid; the caller commits."""
    ban = Ban(
        user_id=user.id, reason=reason, ends_at=ends_at, hide_comments=hide_comments, created_by_id=by.id
    )
    db.session.add(ban)
    db.session.flush()
    hidden = 0
    if hide_comments:
        comments = db.session.scalars(
            select(Comment).where(Comment.author_id == user.id, Comment.status.in_(HIDEABLE))
        )
        for comment in comments:
            db.session.add(
                BanHiddenComment(ban_id=ban.id, comment_id=comment.id, previous_status=comment.status)
            )
            states.make(comment, CommentStatus.REMOVED, states.HiddenBy.BAN)
            hidden += 1
    return ban, hidden


def lift_ban(ban: Ban) -> int:
    """End the ban now and give back the comments it hid, if nobody changed them since; returns how many."""
    if ban.lifted_at is None:
        ban.lifted_at = utcnow()
    restored = 0
    rows = db.session.execute(
        select(BanHiddenComment, Comment)
        .join(Comment, Comment.id == BanHiddenComment.comment_id)
        .where(BanHiddenComment.ban_id == ban.id)
    ).all()
    for hidden, comment in rows:
        # Only what the ban itself still hides: a comment an admin or its writer removed since stays.
        if comment.status == CommentStatus.REMOVED and comment.hidden_by == states.HiddenBy.BAN:
            states.make(comment, hidden.previous_status, states.HiddenBy.ADMIN)
            restored += 1
        db.session.delete(hidden)
    return restored


def bans_of(user: User) -> list[Ban]:
    """Every ban the person has had, newest first."""
    return list(
        db.session.scalars(
            select(Ban).where(Ban.user_id == user.id).order_by(Ban.created_at.desc(), Ban.id.desc())
        )
    )
