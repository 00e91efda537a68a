"""The query behind the admin's list of posts: by status and by words in the title."""

from sqlalchemy import Select, select

from blog.models import Post, PostStatus, utcnow

PER_PAGE = 20
# "all", or a status as readers see it: a scheduled post whose time has come counts as published.
STATUS_FILTERS = ("all", *PostStatus)


def filtered_posts(status: str, q: str) -> Select:
    """Posts with the status (a scheduled post whose time has come counts as published), newest work first."""
    now = utcnow()
    query = select(Post)
    if status == PostStatus.DRAFT:
        query = query.where(Post.status == PostStatus.DRAFT)
    elif status == PostStatus.SCHEDULED:
        query = query.where(Post.status != PostStatus.DRAFT, Post.published_at > now)
    elif status == PostStatus.PUBLISHED:
        query = query.where(Post.status != PostStatus.DRAFT, Post.published_at <= now)
    if q:
        query = query.where(Post.title.icontains(q, autoescape=True))
    return query.order_by(Post.updated_at.desc(), Post.id.desc())
