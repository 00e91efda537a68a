"""People: readers need no record; members, authors and admins do."""

from datetime import datetime
from enum import StrEnum

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String, Text, true
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from blog.extensions import db
from blog.models.content_version import SEEN_BY_READERS
from blog.models.enum_column import enum_column
from blog.models.timeutil import utcnow


class Role(StrEnum):
    ADMIN = "admin"
    AUTHOR = "author"
    MEMBER = "member"
    READER = "reader"  # signed up on their own (open sign-up); not a member of the blog


MEMBER_ROLES = (Role.ADMIN, Role.AUTHOR, Role.MEMBER)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = {"info": SEEN_BY_READERS}

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    bio: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.MEMBER)
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    # Bumped whenever every session is revoked (see blog/accounts/sessions.py); the sessions themselves live
    # in user_sessions, so this is a counter for audits rather than part of the cookie.
    session_version: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Only self-registered readers need to confirm; see is_confirmed.
    email_confirmed_at: Mapped[datetime | None] = mapped_column()
    # Reset links issued before this moment no longer work.
    password_changed_at: Mapped[datetime | None] = mapped_column()
    notify_replies: Mapped[bool] = mapped_column(default=True, server_default=true())
    # The language of the admin area and the account page for this person (blog/web/i18n.py);
    # None: the blog's.
    language: Mapped[str | None] = mapped_column(String(16))

    # The raw token of the session this object was loaded for (never stored; see blog/accounts/sessions.py).
    session_token = None

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.ADMIN, Role.AUTHOR)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_member(self) -> bool:
        """A member of the blog (invited, or staff); a self-registered reader is not."""
        return self.role in MEMBER_ROLES

    @property
    def is_confirmed(self) -> bool:
        """Invited and CLI-created accounts count as confirmed; readers confirm by email."""
        return self.role != Role.READER or self.email_confirmed_at is not None

    def get_id(self) -> str:
        """What Flask-Login stores in the cookies: the token of one server-side session."""
        if not self.session_token:
            raise RuntimeError(
                "sign in through blog.accounts.sessions.start_session(), which issues a session token"
            )
        return self.session_token

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)


def password_hash_method() -> str:
    """Werkzeug's scrypt unless PASSWORD_HASH_METHOD says otherwise (the test suite uses a cheap
    one); a stored hash names its own method, so changing it never locks anyone out."""
    return current_app.config["PASSWORD_HASH_METHOD"]
