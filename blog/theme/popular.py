"""Popular posts: the posts with the most comments in the last 30 days, in one query (an index on
comments.created_at keeps it to the month's comments). Cached pages carry it; an entry lives an
hour at most, so the list follows the days without any write."""

from datetime import timedelta

from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Comment, CommentStatus, Post, PostStatus, utcnow

DAYS = 30
HOW_MANY = 5


def popular_posts(limit: int = HOW_MANY) -> list:
    """(title, year, month, slug, comments) rows, most commented first, newest first among equals."""
    now = utcnow()
    comments = func.count(Comment.id).label("comments")
    query = (
        select(Post.title, Post.year, Post.month, Post.slug, comments)
        .join(Comment, Comment.post_id == Post.id)
        .where(
            Post.status != PostStatus.DRAFT,
            Post.published_at <= now,
            Comment.status == CommentStatus.PUBLISHED,
            Comment.created_at >= now - timedelta(days=DAYS),
        )
        .group_by(Post.id, Post.title, Post.year, Post.month, Post.slug, Post.published_at)
        .order_by(comments.desc(), Post.published_at.desc(), Post.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(query))
