"""Paged lists of posts, with their comment counts, for every list page."""

from dataclasses import dataclass
from itertools import groupby

from flask import abort, request
from sqlalchemy import Select, func, select

from blog.extensions import db
from blog.models import Comment, CommentStatus, Post
from blog.models.post import newest_first
from blog.web import dates


@dataclass
class PostPage:
    posts: list[Post]
    number: int
    has_newer: bool
    has_older: bool
    comment_counts: dict[int, int]

    def by_day(self):
        """The posts grouped under their local publish date, as (date, posts) pairs."""
        for day, posts in groupby(self.posts, key=lambda p: dates.local_date(p.published_at)):
            yield day, list(posts)


def page_number() -> int:
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 100_000:  # "²".isdigit() too
        abort(404)
    return int(raw)


def paged_posts(query: Select, per_page: int) -> PostPage:
    """One page of the query's posts, newest first; fetching one extra row tells if older ones exist."""
    number = page_number()
    rows = list(db.session.scalars(newest_first(query).limit(per_page + 1).offset((number - 1) * per_page)))
    if number > 1 and not rows:
        abort(404)
    posts = rows[:per_page]
    return PostPage(posts, number, number > 1, len(rows) > per_page, comment_counts([p.id for p in posts]))


def comment_counts(post_ids: list[int]) -> dict[int, int]:
    if not post_ids:
        return {}
    rows = db.session.execute(
        select(Comment.post_id, func.count())
        .where(Comment.post_id.in_(post_ids), Comment.status == CommentStatus.PUBLISHED)
        .group_by(Comment.post_id)
    )
    return dict(rows.all())
