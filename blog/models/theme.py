"""The blog's look: one row (id 1) readers see, and a draft per admin for the Theme screen's preview."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db
from blog.models.content_version import SEEN_BY_READERS
from blog.models.timeutil import utcnow

# The sidebar's sections, in their default order. The layout is kept as these keys, comma separated,
# a hidden one with a leading "-": a short string both databases store alike (blog/theme/sidebar.py).
DEFAULT_SIDEBAR = "archive,labels,-pages,follow,-about,-popular,feeds"


class Theme(db.Model):
    __tablename__ = "theme"
    __table_args__ = {"info": SEEN_BY_READERS}  # saving it shows at once, page cache included

    id: Mapped[int] = mapped_column(primary_key=True)
    accent_color: Mapped[str] = mapped_column(String(7), default="")  # "#rrggbb"; "" = the built-in colors
    font: Mapped[str] = mapped_column(String(20), default="system")  # a key of blog/theme/fonts.py
    page_width: Mapped[str] = mapped_column(String(10), default="normal")  # narrow, normal, wide, full
    sidebar_side: Mapped[str] = mapped_column(String(10), default="right")  # right, left, none
    header_image: Mapped[str] = mapped_column(String(64), default="")  # an uploaded image's name
    header_image_alt: Mapped[str] = mapped_column(String(200), default="")
    favicon: Mapped[str] = mapped_column(String(64), default="")  # an uploaded image's name
    custom_css: Mapped[str] = mapped_column(Text, default="")
    sidebar: Mapped[str] = mapped_column(String(200), default=DEFAULT_SIDEBAR)
    about_text: Mapped[str] = mapped_column(Text, default="")
    about_photo: Mapped[str] = mapped_column(String(64), default="")
    about_photo_alt: Mapped[str] = mapped_column(String(200), default="")


class ThemeDraft(db.Model):
    """What an admin is trying on the Theme screen, not yet saved: its preview reads it, readers never do."""

    __tablename__ = "theme_drafts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    values: Mapped[str] = mapped_column(Text, default="{}")  # the look's fields, as JSON
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
