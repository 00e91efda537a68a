"""Single-use, short-lived tokens sent by email or printed by the CLI: password reset,
email confirmation and first-run setup. Only a hash of each token is stored."""

import hashlib
import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db
from blog.models.enum_column import enum_column
from blog.models.timeutil import utcnow


class TokenPurpose(StrEnum):
    RESET_PASSWORD = "reset_password"
    CONFIRM_EMAIL = "confirm_email"
    SETUP = "setup"  # creates the first admin; belongs to nobody


def new_token() -> str:
    """A random, URL-safe token with 256 bits of entropy."""
    return secrets.token_urlsafe(32)


def hash_token(raw: str) -> str:
    """Tokens are random, so a plain SHA-256 is enough (no salt or stretching needed)."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class AccountToken(db.Model):
    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose, length=24))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
