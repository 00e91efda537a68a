"""A member's personal feed address on a private blog: feed readers cannot sign in, so the address
carries a token. The row holds a random nonce; the token is the user id and nonce signed with the
secret key (blog/web/reader_tokens.py), so a stolen database alone yields no working address, and
making a new address (a new nonce) or deleting the row revokes the old one at once."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db
from blog.models.timeutil import utcnow


class FeedToken(db.Model):
    __tablename__ = "feed_tokens"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
