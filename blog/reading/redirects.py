"""Old permalinks: a post whose slug changed after publishing still answers at its earlier URL (301)."""

from flask import redirect, url_for
from sqlalchemy import delete

from blog.extensions import db
from blog.models import Post, PostRedirect
from blog.models.post import visible_posts


def remember_old_permalink(post: Post, old_slug: str) -> None:
    """Call after giving a published post a new slug: its old URL now redirects to it, and the new
    URL, if it was someone's old one, stops being a redirect (the post itself answers there)."""
    here = (PostRedirect.year == post.year) & (PostRedirect.month == post.month)
    db.session.execute(delete(PostRedirect).where(here, PostRedirect.slug.in_([post.slug, old_slug])))
    db.session.add(PostRedirect(year=post.year, month=post.month, slug=old_slug, post_id=post.id))


def redirect_to_current(year: int, month: int, slug: str):
    """A 301 to where a renamed post lives now, or None when no visible post used this URL."""
    post = db.session.scalar(
        visible_posts()
        .join(PostRedirect, PostRedirect.post_id == Post.id)
        .where(PostRedirect.year == year, PostRedirect.month == month, PostRedirect.slug == slug)
    )
    if post is None:
        return None
    return redirect(url_for("reading.post", year=post.year, month=post.month, slug=post.slug), 301)
