"""One counter that moves whenever anything a reader sees changes (see blog/web/page_cache.py)."""

from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db


class ContentVersion(db.Model):
    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(default=0)
