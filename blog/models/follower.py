"""Follow by email: the followers, the posts whose mailing has begun, and one delivery row per
post and follower (the record that makes sending exactly-once, see blog/followers/sending.py)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db
from blog.models.timeutil import utcnow


class FollowerStatus(StrEnum):
    PENDING = "pending"  # asked to follow; the emailed link not confirmed yet
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"
    FAILING = "failing"  # too many failed deliveries in a row: skipped


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a worker until claimed_at + the lease
    SENT = "sent"  # the SMTP server accepted it
    FAILED = "failed"  # given up (the follower is failing or left)


class Follower(db.Model):
    __tablename__ = "followers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    status: Mapped[str] = mapped_column(String(16), default=FollowerStatus.PENDING, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    confirm_sent_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]
    failures: Mapped[int] = mapped_column(default=0)  # failed deliveries in a row


class PostMailing(db.Model):
    """A post whose mailing to followers has begun: the row is the claim, so it begins once."""

    __tablename__ = "post_mailings"

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Delivery(db.Model):
    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("post_id", "follower_id"),
        Index("ix_deliveries_status_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    follower_id: Mapped[int] = mapped_column(ForeignKey("followers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
