"""What every reader page shows around its content: archive counts, static pages, labels."""

from dataclasses import dataclass, field
from functools import partial, wraps

from flask import Flask, current_app, render_template, request
from markupsafe import Markup
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


def menu_pages() -> list:
    """(title, slug) of the published static pages, in menu order."""
    query = select(Page.title, Page.slug).where(Page.published).order_by(Page.position, Page.title)
    return list(db.session.execute(query))


def per_content_version(fn):
    """fn() read once per content version in each process: the sidebar is the same on every page,
    and a signed-in member's page (never cached whole) paid 40% of its time re-counting it."""

    @wraps(fn)
    def once():
        if not current_app.config["PAGE_CACHE_ENABLED"]:
            return fn()
        version = current_app.extensions["content_versions"].current()
        kept = current_app.extensions.setdefault("sidebar", {})
        found = kept.get(fn.__name__)
        if found is None or found[0] != version:
            found = kept[fn.__name__] = (version, fn())
        return found[1]

    return once


def sidebar_once(year=None, post=None) -> Markup:
    """The sidebar, rendered once per content version and variant (the year it opens, whether the
    follow box shows; the layout, theme and "Who can read" are content, so they move the version): the same on every page, and 40% of a signed-in member's page when rendered
    each time (120 month names)."""
    render = partial(render_template, "_sidebar.html", year=year, post=post)
    if not current_app.config["PAGE_CACHE_ENABLED"]:
        return Markup(render())
    opened = year if isinstance(year, int) else getattr(post, "year", None)
    version = current_app.extensions["content_versions"].current()
    kept = current_app.extensions.setdefault("sidebar_html", {})
    if kept.get("version") != version:
        kept.clear()
        kept["version"] = version
    # What the sidebar's template reads besides the content: the follow box is left out on the
    # account and follow pages.
    key = (opened, request.blueprint if request.blueprint in ("accounts", "followers") else None)
    if key not in kept:
        kept[key] = Markup(render())
    return kept[key]


def init_app(app: Flask) -> None:
    shared = {"archive_tree": archive_tree, "label_counts": label_counts, "menu_pages": menu_pages}
    shared = {name: per_content_version(fn) for name, fn in shared.items()}
    shared["sidebar_once"] = sidebar_once

    @app.context_processor
    def around_content():
        # Lazy: only full pages call them, so a fragment or a feed costs no query for them.
        return shared
