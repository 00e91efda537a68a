"""Static pages, published at /p/<slug>.html and listed in every page's menu."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import db
from blog.models.body_format import BodyFormat
from blog.models.content_version import SEEN_BY_READERS
from blog.models.enum_column import enum_column
from blog.models.timeutil import utcnow

if TYPE_CHECKING:  # relationship targets, resolved by name at runtime
    from blog.models.user import User


class Page(db.Model):
    __tablename__ = "pages"
    __table_args__ = {"info": SEEN_BY_READERS}

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=False, index=True)
    position: Mapped[int] = mapped_column(default=0)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Markdown, or HTML for an imported body kept as sanitized HTML (see publishing.set_body).
    body_format: Mapped[BodyFormat] = mapped_column(
        enum_column(BodyFormat), default=BodyFormat.MARKDOWN, server_default=BodyFormat.MARKDOWN.value
    )
    # Where an imported page came from (see blog/transfer).
    origin_id: Mapped[str | None] = mapped_column(String(255), unique=True, index=True)

    author: Mapped["User | None"] = relationship()
