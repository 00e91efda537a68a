"""Posts and their labels, and the select() builders the reading pages share."""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import db
from blog.models.body_format import BodyFormat
from blog.models.content_version import SEEN_BY_READERS
from blog.models.enum_column import enum_column
from blog.models.timeutil import utcnow

if TYPE_CHECKING:  # relationship targets, resolved by name at runtime
    from blog.models.user import User


class PostStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # published, with a publish time that may still lie ahead
    PUBLISHED = "published"


post_labels = Table(
    "post_labels",
    db.metadata,
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("label_id", Integer, ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True, index=True),
    info=SEEN_BY_READERS,
)


class Label(db.Model):
    __tablename__ = "labels"
    __table_args__ = {"info": SEEN_BY_READERS}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("year", "month", "slug", name="uq_posts_permalink"),
        Index("ix_posts_status_published_at", "status", "published_at"),
        Index("ix_posts_year_month", "year", "month"),
        Index("ix_posts_published_at_id", "published_at", "id"),
        {"info": SEEN_BY_READERS},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(200))
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    # The part above the jump break, or None when the post has none.
    excerpt_html: Mapped[str | None] = mapped_column(Text)
    # Plain text of the body, for search and meta descriptions.
    body_text: Mapped[str] = mapped_column(Text, default="")
    search_description: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[PostStatus] = mapped_column(enum_column(PostStatus), default=PostStatus.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column()
    # The permalink's /YYYY/MM/, in the blog's timezone, fixed when the post is first published.
    year: Mapped[int | None] = mapped_column()
    month: Mapped[int | None] = mapped_column()
    comments_allowed: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Markdown, or HTML for an imported body kept as sanitized HTML (see publishing.set_body).
    body_format: Mapped[BodyFormat] = mapped_column(
        enum_column(BodyFormat), default=BodyFormat.MARKDOWN, server_default=BodyFormat.MARKDOWN.value
    )
    # Where an imported post came from (see blog/transfer): re-importing finds it instead of copying it.
    origin_id: Mapped[str | None] = mapped_column(String(255), unique=True, index=True)
    # Likes and boosts from the fediverse, counted here so the post page needs no query for them.
    like_count: Mapped[int] = mapped_column(default=0, server_default="0")
    boost_count: Mapped[int] = mapped_column(default=0, server_default="0")

    author: Mapped["User | None"] = relationship(lazy="joined")
    labels: Mapped[list[Label]] = relationship(secondary=post_labels, order_by=Label.name, lazy="selectin")

    @property
    def is_draft(self) -> bool:
        return self.status == PostStatus.DRAFT

    @property
    def has_permalink(self) -> bool:
        return self.year is not None

    def is_visible(self, now: datetime | None = None) -> bool:
        return not self.is_draft and self.published_at is not None and self.published_at <= (now or utcnow())


def visible_posts(now: datetime | None = None) -> Select:
    """Posts a reader may see: not drafts, and due. Scheduled posts turn visible when their time comes."""
    return select(Post).where(Post.status != PostStatus.DRAFT, Post.published_at <= (now or utcnow()))


def newest_first(query: Select) -> Select:
    return query.order_by(Post.published_at.desc(), Post.id.desc())
