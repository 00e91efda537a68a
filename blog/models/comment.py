"""Comments on posts: one level of replies, as on Blogger."""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import db
from blog.models.content_version import SEEN_BY_READERS
from blog.models.enum_column import enum_column
from blog.models.timeutil import utcnow

if TYPE_CHECKING:  # relationship targets, resolved by name at runtime
    from blog.models.post import Post
    from blog.models.user import User


class CommentStatus(StrEnum):
    PUBLISHED = "published"
    PENDING = "pending"
    SPAM = "spam"
    REMOVED = "removed"


class HiddenBy(StrEnum):
    """Who took a comment off the blog (see blog/comments/states.py; None on old rows counts as an admin)."""

    COMMENTER = "commenter"  # its writer deleted it (or their account): the text is gone
    MODERATOR = "moderator"  # the post's author, moderating their own post's comments
    ADMIN = "admin"
    BAN = "ban"


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_post_status_created", "post_id", "status", "created_at"),
        # The flood check reads a member's latest comment.
        Index("ix_comments_author_created", "author_id", "created_at"),
        # A thread: top-level comments of a post in order, then their replies.
        Index("ix_comments_post_parent_created", "post_id", "parent_id", "created_at", "id"),
        {"info": SEEN_BY_READERS},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The name shown for a comment without an account (the "anyone" policy, or an imported comment).
    author_name: Mapped[str] = mapped_column(String(80), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus), default=CommentStatus.PUBLISHED, index=True
    )
    # Who took it off the blog (spam or removed): decides who may bring it back (blog/comments/states.py).
    hidden_by: Mapped[HiddenBy | None] = mapped_column(enum_column(HiddenBy))
    # A client-chosen key per comment form: a retried or double-clicked post stores one row.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column()
    # "Email me replies": the author hears of new replies in this comment's thread.
    notify_replies: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Where an imported comment came from (see blog/transfer): re-importing finds it instead of copying it.
    origin_id: Mapped[str | None] = mapped_column(String(255), unique=True, index=True)
    # A reply from the fediverse (origin_id "ap:" + the Note's id): the original, its author's
    # profile and avatar, shown with the comment (blog/fediverse/replies.py).
    remote_url: Mapped[str | None] = mapped_column(String(500))
    remote_profile_url: Mapped[str | None] = mapped_column(String(500))
    remote_avatar_url: Mapped[str | None] = mapped_column(String(500))

    author: Mapped["User | None"] = relationship(lazy="joined")
    post: Mapped["Post"] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.status == CommentStatus.PENDING

    @property
    def is_removed(self) -> bool:
        return self.status == CommentStatus.REMOVED

    @property
    def removed_by_author(self) -> bool:
        """Authors (and deleted accounts) clear the text when they remove a comment; moderators keep it,
        so that their action can be undone."""
        return self.is_removed and not self.body_source

    @property
    def display_name(self) -> str:
        if self.author is not None:
            return self.author.name
        return self.author_name or "Anonymous"
