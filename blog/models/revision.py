"""What the editor keeps besides the post itself: earlier versions, and old permalinks that still redirect."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import db
from blog.models.content_version import SEEN_BY_READERS
from blog.models.timeutil import utcnow

if TYPE_CHECKING:  # relationship targets, resolved by name at runtime
    from blog.models.user import User


class PostRevision(db.Model):
    """A post's title, body and labels as they were saved once; restoring one copies them back."""

    __tablename__ = "post_revisions"
    __table_args__ = (Index("ix_post_revisions_post_saved", "post_id", "saved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    body_source: Mapped[str] = mapped_column(Text, default="")
    labels: Mapped[str] = mapped_column(Text, default="")  # comma-separated, as typed in the editor
    saved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Saved in the background while typing; a run of these by one person is kept as one revision.
    autosave: Mapped[bool] = mapped_column(default=False)

    saver: Mapped["User | None"] = relationship(lazy="joined")

    def same_content(self, title: str, body_source: str, labels: str) -> bool:
        return (self.title, self.body_source, self.labels) == (title, body_source, labels)


class PostRedirect(db.Model):
    """An earlier /YYYY/MM/slug.html of a post whose slug was changed after publishing (answered with 301)."""

    __tablename__ = "post_redirects"
    __table_args__ = (
        UniqueConstraint("year", "month", "slug", name="uq_post_redirects_permalink"),
        {"info": SEEN_BY_READERS},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    month: Mapped[int] = mapped_column()
    slug: Mapped[str] = mapped_column(String(200))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
