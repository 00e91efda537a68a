"""Two-step verification: a person's authenticator-app secret and their single-use recovery codes."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db
from blog.models.timeutil import utcnow


class TwoStep(db.Model):
    """One row per person who started setting up two-step verification; it is on once confirmed."""

    __tablename__ = "two_step"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # Base32 TOTP secret. It must be readable to check codes, so it is stored as is (unlike recovery codes).
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the person proved their app works by typing a code; until then sign-in does not ask.
    confirmed_at: Mapped[datetime | None] = mapped_column()
    # The TOTP time step of the last code accepted: a code from that step or before is refused,
    # so a code seen over someone's shoulder cannot be used again within its 30-second window.
    last_used_step: Mapped[int | None] = mapped_column()


class RecoveryCode(db.Model):
    """A single-use code for signing in without the app; only its SHA-256 is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column()
