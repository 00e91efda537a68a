"""Bans from commenting: a reason, an optional end, and the comments a ban hid."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import db
from blog.models.comment import CommentStatus
from blog.models.enum_column import enum_column
from blog.models.timeutil import utcnow

if TYPE_CHECKING:  # relationship targets, resolved by name at runtime
    from blog.models.user import User


class Ban(db.Model):
    __tablename__ = "bans"
    __table_args__ = (Index("ix_bans_user_lifted", "user_id", "lifted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    # None: until an admin lifts it. Stored as naive UTC, like every time.
    ends_at: Mapped[datetime | None] = mapped_column()
    hide_comments: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column()

    user: Mapped["User"] = relationship(foreign_keys=[user_id])

    def in_force(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.lifted_at is None and (self.ends_at is None or self.ends_at > now)


class BanHiddenComment(db.Model):
    """A comment a ban took off the blog, with the status to give back when the ban is lifted."""

    __tablename__ = "ban_hidden_comments"
    __table_args__ = (Index("ix_ban_hidden_comments_comment_id", "comment_id"),)

    ban_id: Mapped[int] = mapped_column(ForeignKey("bans.id", ondelete="CASCADE"), primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    previous_status: Mapped[CommentStatus] = mapped_column(enum_column(CommentStatus))
