"""The outbox: one row per account mail (reset, confirmation, invitation, notices) until it is sent.

A queued job only names "there is mail"; the row is the mail. So a worker killed mid-send loses
nothing: its claimed rows come back once their lease runs out (blog/mail_outbox.py). The statuses
are the ones post deliveries use, with the same meaning."""

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db
from blog.models.follower import DeliveryStatus
from blog.models.timeutil import utcnow


class OutgoingMail(db.Model):
    __tablename__ = "outgoing_mail"
    __table_args__ = (Index("ix_outgoing_mail_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    # The whole message (headers and both bodies); emptied once sent, as it may hold a reset link.
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]  # a "sending" row is a worker's until claimed_at + the lease
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
