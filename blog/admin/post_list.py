"""The query behind the admin's list of posts: by status and by words in the title."""

from sqlalchemy import Select, select

from blog.models import Post, PostStatus, utcnow

PER_PAGE = 20
STATUS_FILTERS = ("all", "draft", "scheduled", "published")


def filtered_posts(status: str, q: str) -> Select:
    """Posts with the status (a scheduled post whose time has come counts as published), newest work first."""
    now = utcnow()
    query = select(Post)
    if status == "draft":
        query = query.where(Post.status == PostStatus.DRAFT)
    elif status == "scheduled":
        query = query.where(Post.status != PostStatus.DRAFT, Post.published_at > now)
    elif status == "published":
        query = query.where(Post.status != PostStatus.DRAFT, Post.published_at <= now)
    if q:
        query = query.where(Post.title.icontains(q, autoescape=True))
    return query.order_by(Post.updated_at.desc(), Post.id.desc())
