"""The blog's settings: one row, created with defaults on first use."""

from enum import StrEnum

from sqlalchemy import String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db
from blog.models.content_version import SEEN_BY_READERS
from blog.models.enum_column import enum_column


class CommentPolicy(StrEnum):
    MEMBERS = "members"
    SIGNED_IN = "signed_in"
    ANYONE = "anyone"
    NOBODY = "nobody"


class ReadAccess(StrEnum):
    """Who can read: "Who can read" in Settings."""

    ANYONE = "anyone"
    MEMBERS = "members"  # members, authors and admins; everyone else gets the sign-in page


class Moderation(StrEnum):
    NEVER = "never"
    ALWAYS = "always"
    OLDER_THAN = "older_than"


class BlogSettings(db.Model):
    __tablename__ = "blog_settings"
    __table_args__ = {"info": SEEN_BY_READERS}

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="My Blog")
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    posts_per_page: Mapped[int] = mapped_column(default=10)
    comments_per_page: Mapped[int] = mapped_column(default=200)
    comment_policy: Mapped[CommentPolicy] = mapped_column(
        enum_column(CommentPolicy), default=CommentPolicy.MEMBERS
    )
    moderation: Mapped[Moderation] = mapped_column(enum_column(Moderation), default=Moderation.NEVER)
    moderation_days: Mapped[int] = mapped_column(default=14)
    hold_links_over: Mapped[int] = mapped_column(default=2)
    edit_window_minutes: Mapped[int] = mapped_column(default=15)
    comment_interval_seconds: Mapped[int] = mapped_column(default=10)
    comment_form_message: Mapped[str] = mapped_column(Text, default="")
    notify_email: Mapped[str] = mapped_column(String(254), default="")
    # Staff (authors and admins) must turn on two-step verification before using the admin area.
    require_two_step_for_staff: Mapped[bool] = mapped_column(default=False, server_default=false())
    who_can_read: Mapped[ReadAccess] = mapped_column(
        enum_column(ReadAccess), default=ReadAccess.ANYONE, server_default=ReadAccess.ANYONE.value
    )

    @property
    def is_private(self) -> bool:
        return self.who_can_read == ReadAccess.MEMBERS

    # The fediverse: the blog is followed as @fediverse_username@host; blocked_servers, one host a line.
    fediverse_username: Mapped[str] = mapped_column(String(64), default="blog", server_default="blog")
    blocked_servers: Mapped[str | None] = mapped_column(Text, default="")  # None on rows older than it

    @property
    def signup_open(self) -> bool:
        """Anyone may make an account while the comment policy is "any signed-in user"."""
        return self.comment_policy == CommentPolicy.SIGNED_IN
