"""Images uploaded from the editor: the file lives in instance/uploads under `name`, this row describes it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db
from blog.models.timeutil import utcnow


class Image(db.Model):
    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)  # generated: random hex + extension
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    size: Mapped[int] = mapped_column()  # bytes of the stored (re-encoded) file
    alt: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def of(cls, stored, alt: str, uploaded_by: int | None) -> "Image":
        """The row for a file blog/uploads.py stored (a StoredImage), with its alt text."""
        return cls(
            name=stored.name,
            content_type=stored.content_type,
            width=stored.width,
            height=stored.height,
            size=stored.size,
            alt=alt[:200],
            uploaded_by=uploaded_by,
        )
