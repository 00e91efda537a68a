"""What every reader page shows around its content: archive counts, static pages, labels."""

from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Label, Page, Post, post_labels
from blog.models.post import visible_posts


@dataclass
class ArchiveYear:
    year: int
    count: int = 0
    months: list[tuple[int, int]] = field(default_factory=list)  # (month, count), newest first


def archive_tree() -> list[ArchiveYear]:
    """Visible post counts per year and month, newest first (Blogger's Blog Archive gadget)."""
    visible = visible_posts().with_only_columns(Post.year, Post.month).subquery()
    rows = db.session.execute(
        select(visible.c.year, visible.c.month, func.count())
        .group_by(visible.c.year, visible.c.month)
        .order_by(visible.c.year.desc(), visible.c.month.desc())
    ).all()
    years: list[ArchiveYear] = []
    for year, month, count in rows:
        if not years or years[-1].year != year:
            years.append(ArchiveYear(year))
        years[-1].count += count
        years[-1].months.append((month, count))
    return years


def label_counts() -> list[tuple[str, int]]:
    visible = visible_posts().with_only_columns(Post.id).subquery()
    return db.session.execute(
        select(Label.name, func.count())
        .join(post_labels, post_labels.c.label_id == Label.id)
        .join(visible, visible.c.id == post_labels.c.post_id)
        .group_by(Label.name)
        .order_by(Label.name)
    ).all()


def menu_pages() -> list[Page]:
    return list(db.session.scalars(select(Page).where(Page.published).order_by(Page.position, Page.title)))


def init_app(app: Flask) -> None:
    @app.context_processor
    def around_content():
        # Lazy: only full pages call them, so a fragment or a feed costs no query for them.
        return {"archive_tree": archive_tree, "label_counts": label_counts, "menu_pages": menu_pages}
