"""Writing posts and pages: rendering their Markdown, labels, and fixing the permalink on publish."""

from collections.abc import Callable
from datetime import datetime

from slugify import slugify
from sqlalchemy import select

from blog.extensions import db
from blog.markup import render_body
from blog.models import Label, Page, Post, PostStatus, utcnow
from blog.web import dates


def set_body(post: Post | Page, source: str) -> None:
    """Render the body in the post's own format (Markdown, or sanitized HTML for imported posts)."""
    rendered = render_body(source, post.body_format)
    post.body_source = source
    post.body_html = rendered.html
    if isinstance(post, Post):
        post.excerpt_html = rendered.excerpt_html
        post.body_text = rendered.text


def set_labels(post: Post, names: list[str]) -> None:
    """Attach labels by name, creating the ones that do not exist yet."""
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    existing = {lab.name: lab for lab in db.session.scalars(select(Label).where(Label.name.in_(wanted)))}
    post.labels = [existing.get(name) or Label(name=name) for name in wanted]


def slug_of(text: str | None, fallback: str = "", max_length: int = 80) -> str:
    """The URL form of a title or of a typed slug (lowercase ASCII words joined by hyphens);
    `fallback` when nothing usable is left."""
    return slugify(text or "", max_length=max_length, word_boundary=True) or fallback


def free_slug(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or the first of base-2, base-3, ... that is not taken."""
    slug, n = base, 1
    while taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def unique_slug(title: str, year: int, month: int, exclude_id: int | None = None) -> str:
    """A free slug for a post's permalink in year/month."""

    def taken(slug: str) -> bool:
        clash = select(Post.id).where(
            Post.year == year, Post.month == month, Post.slug == slug, Post.id != (exclude_id or 0)
        )
        return db.session.scalar(clash) is not None

    return free_slug(slug_of(title, "post"), taken)


def page_slug_taken(slug: str, exclude_id: int | None = None) -> bool:
    """True when another static page has this slug (its address /p/<slug>.html)."""
    return (
        db.session.scalar(select(Page.id).where(Page.slug == slug, Page.id != (exclude_id or 0))) is not None
    )


def publish(post: Post, when: datetime | None = None) -> None:
    """Publish now or at `when` (naive UTC; the future schedules it). The permalink is fixed the first time."""
    when = when or utcnow()
    post.published_at = when
    post.status = PostStatus.SCHEDULED if when > utcnow() else PostStatus.PUBLISHED
    if post.year is None:
        local = dates.to_local(when)
        post.year, post.month = local.year, local.month
        post.slug = unique_slug(post.slug or post.title, post.year, post.month, post.id)
    post.updated_at = utcnow()
