"""One counter that moves whenever anything a reader sees changes (see blog/web/page_cache.py)."""

from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db

# Table info of every table whose rows readers see: a write to one moves the content version.
SEEN_BY_READERS = {"seen_by_readers": True}


def seen_by_readers(table) -> bool:
    return table.info.get("seen_by_readers", False)


class ContentVersion(db.Model):
    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(default=0)
