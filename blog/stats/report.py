"""Reading the stats back for the admin's Stats screen, the dashboard, the posts list and the CSV.

Admins see the whole blog; authors see their own posts only (a Scope of their posts' paths). A
visitor is counted once a day, so over a period a reader who came back on three days counts three
times (the days' visitors added up), for the blog and for each page alike.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, select, tuple_

from blog.extensions import db
from blog.models import Post, PostStatus
from blog.models.stats import StatsDay, StatsPath, StatsReferrer

PERIODS = (7, 30, 365)  # days the Top posts and Referrers tables cover
POST_PATH = re.compile(r"^/(\d{4})/(\d{2})/([^/]+)\.html$")
TOP = 10


def post_path(post: Post) -> str:
    return f"/{post.year:04d}/{post.month:02d}/{post.slug}.html"


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole blog (paths None) or the pages at `paths` (an author's posts)."""

    paths: frozenset[str] | None = None

    @classmethod
    def of_author(cls, author_id: int) -> "Scope":
        rows = db.session.execute(
            select(Post.year, Post.month, Post.slug).where(
                Post.author_id == author_id, Post.status != PostStatus.DRAFT, Post.year.is_not(None)
            )
        )
        return cls(frozenset(f"/{y:04d}/{m:02d}/{slug}.html" for y, m, slug in rows))

    def narrow(self, query: Select, column) -> Select:
        return query if self.paths is None else query.where(column.in_(sorted(self.paths)))


@dataclass
class Day:
    day: date
    views: int
    visitors: int


def daily(scope: Scope, today: date, days: int = 30) -> list[Day]:
    """Views and visitors on each of the last `days` days (today included), oldest first."""
    first = today - timedelta(days=days - 1)
    if scope.paths is None:
        query = select(StatsDay.day, StatsDay.views, StatsDay.visitors).where(StatsDay.day >= first)
    else:
        query = scope.narrow(
            select(StatsPath.day, func.sum(StatsPath.views), func.sum(StatsPath.visitors))
            .where(StatsPath.day >= first)
            .group_by(StatsPath.day),
            StatsPath.path,
        )
    found = {day: (int(views), int(visitors)) for day, views, visitors in db.session.execute(query)}
    return [Day(d, *found.get(d, (0, 0))) for d in (first + timedelta(days=n) for n in range(days))]


@dataclass
class PostFigures:
    post: Post
    views: int
    visitors: int


def top_posts(scope: Scope, since: date, limit: int = TOP) -> list[PostFigures]:
    """The most viewed posts since `since`, most views first."""
    views = func.sum(StatsPath.views)
    query = scope.narrow(
        select(StatsPath.path, views, func.sum(StatsPath.visitors))
        .where(StatsPath.day >= since, StatsPath.path.like("/%/%/%.html"))
        .group_by(StatsPath.path)
        .order_by(views.desc(), StatsPath.path)
        .limit(limit * 5),  # a few may be paths of posts since deleted or unpublished
        StatsPath.path,
    )
    rows = [(POST_PATH.match(path), int(v), int(u)) for path, v, u in db.session.execute(query)]
    keys = [(int(m[1]), int(m[2]), m[3]) for m, _v, _u in rows if m]
    posts = {}
    if keys:
        found = db.session.scalars(
            select(Post).where(
                tuple_(Post.year, Post.month, Post.slug).in_(keys), Post.status != PostStatus.DRAFT
            )
        )
        posts = {(p.year, p.month, p.slug): p for p in found}
    figures = [
        PostFigures(posts[key], v, u)
        for m, v, u in rows
        if m and (key := (int(m[1]), int(m[2]), m[3])) in posts
    ]
    return figures[:limit]


def referrers(scope: Scope, since: date, limit: int = TOP) -> list[tuple[str, int]]:
    """The other sites that sent the most views since `since`: (host, views), most first."""
    views = func.sum(StatsReferrer.views)
    query = scope.narrow(
        select(StatsReferrer.host, views)
        .where(StatsReferrer.day >= since)
        .group_by(StatsReferrer.host)
        .order_by(views.desc(), StatsReferrer.host)
        .limit(limit),
        StatsReferrer.path,
    )
    return [(host, int(n)) for host, n in db.session.execute(query)]


def csv_rows(scope: Scope) -> Iterator[tuple[date, str, int, int]]:
    """Every stored (day, path, views, visitors), by day then path."""
    query = scope.narrow(
        select(StatsPath.day, StatsPath.path, StatsPath.views, StatsPath.visitors).order_by(
            StatsPath.day, StatsPath.path
        ),
        StatsPath.path,
    )
    yield from db.session.execute(query.execution_options(yield_per=1000))


def views_since(scope: Scope, since: date) -> int:
    if scope.paths is None:
        query = select(func.sum(StatsDay.views)).where(StatsDay.day >= since)
    else:
        query = scope.narrow(select(func.sum(StatsPath.views)).where(StatsPath.day >= since), StatsPath.path)
    return int(db.session.scalar(query) or 0)


def views_of_posts(posts: list[Post]) -> dict[int, int]:
    """All the views each post has had, by post id (posts without a permalink have none)."""
    paths = {post_path(p): p.id for p in posts if p.year is not None and not p.is_draft}
    if not paths:
        return {}
    query = (
        select(StatsPath.path, func.sum(StatsPath.views))
        .where(StatsPath.path.in_(sorted(paths)))
        .group_by(StatsPath.path)
    )
    return {paths[path]: int(n) for path, n in db.session.execute(query)}
