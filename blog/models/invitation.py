"""Invitation links (/join/<token>): how a person becomes a member, the Blogger way."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db
from blog.models.timeutil import utcnow


class Invitation(db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    note: Mapped[str] = mapped_column(String(200), default="")  # whom it was for, shown to admins
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    max_uses: Mapped[int] = mapped_column(default=1)
    uses: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None] = mapped_column()

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now and self.uses < self.max_uses
