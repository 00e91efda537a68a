"""Old paths of an imported blog (e.g. WordPress's /2019/05/12/my-post/) that answer 301 with the new URL."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db
from blog.models.content_version import SEEN_BY_READERS
from blog.models.timeutil import utcnow


class PathRedirect(db.Model):
    """One old path, pointing at a post or a page; looked up only when a request would otherwise be a 404."""

    __tablename__ = "path_redirects"
    __table_args__ = {"info": SEEN_BY_READERS}

    id: Mapped[int] = mapped_column(primary_key=True)
    # Decoded, without a trailing slash; "/?p=123" for WordPress's plain links.
    path: Mapped[str] = mapped_column(String(500), unique=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
