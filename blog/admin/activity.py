"""The dashboard's numbers: post counts by status, comments awaiting moderation, the latest comments,
and posts and comments per week (for a small SVG bar chart drawn by the template, no chart library)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from babel.dates import format_date
from flask_babel import gettext, ngettext
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload

from blog.admin.ownership import own_posts
from blog.extensions import db
from blog.models import Comment, CommentStatus, Post, PostStatus
from blog.web import dates

WEEKS = 26
CHART_WIDTH, CHART_HEIGHT, BAR_AREA = 520, 130, 100  # SVG user units; bars grow up from y=BAR_AREA+4


@dataclass
class PostCounts:
    published: int
    drafts: int
    scheduled: int


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    week: datetime  # local start of the week


@dataclass
class Series:
    name: str  # "posts" or "comments" (the dashboard), "views" or "visitors" (Stats)
    counts: list[int]
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # (x, label) under some bars

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def label(self) -> str:
        """The series' name for a caption: 'Posts', 'Comments'."""
        return {
            "posts": gettext("Posts"),
            "comments": gettext("Comments"),
            "views": gettext("Views"),
            "visitors": gettext("Visitors"),
        }[self.name]

    @property
    def total_text(self) -> str:
        """'1 comment', '3 posts'."""
        if self.name == "posts":
            return ngettext("%(num)d post", "%(num)d posts", self.total)
        if self.name == "comments":
            return ngettext("%(num)d comment", "%(num)d comments", self.total)
        if self.name == "views":
            return ngettext("%(num)d view", "%(num)d views", self.total)
        return ngettext("%(num)d visitor", "%(num)d visitors", self.total)

    @property
    def busiest(self) -> Bar | None:
        best = max(self.bars, key=lambda bar: bar.count, default=None)
        return best if best is not None and best.count else None


def post_counts(now: datetime) -> PostCounts:
    """Counts of the posts the current person may edit (all of them for admins)."""
    live = Post.status != PostStatus.DRAFT
    row = db.session.execute(
        own_posts(
            select(
                func.sum(case((and_(live, Post.published_at <= now), 1), else_=0)),
                func.sum(case((Post.status == PostStatus.DRAFT, 1), else_=0)),
                func.sum(case((and_(live, Post.published_at > now), 1), else_=0)),
            ).select_from(Post)
        )
    ).one()
    return PostCounts(*(int(value or 0) for value in row))


def pending_comments() -> int:
    query = select(func.count()).select_from(Comment).where(Comment.status == CommentStatus.PENDING)
    return db.session.scalar(query)


def latest_comments(limit: int = 8) -> list[Comment]:
    """The newest comments (published or waiting), on the posts the current person may edit."""
    query = (
        select(Comment)
        .join(Post, Post.id == Comment.post_id)
        .where(Comment.status.in_([CommentStatus.PUBLISHED, CommentStatus.PENDING]))
        .options(joinedload(Comment.post))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(own_posts(query)))


def week_starts(now: datetime) -> list[datetime]:
    """The local Monday 00:00 of each of the last WEEKS weeks, oldest first, as aware local times."""
    local = dates.to_local(now)
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    # Wall-clock arithmetic on an aware time: each Monday keeps 00:00 across daylight saving changes.
    return [monday - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]


def weekly_counts(column, condition, starts: list[datetime], end: datetime) -> list[int]:
    """How many rows fall in each week, in one query of one SUM(CASE) per week (portable SQL)."""
    bounds = [start.astimezone(UTC).replace(tzinfo=None) for start in starts] + [end]
    sums = [
        func.sum(case((and_(column >= low, column < high), 1), else_=0)) for low, high in pairwise(bounds)
    ]
    row = db.session.execute(select(*sums).where(condition, column >= bounds[0], column < end)).one()
    return [int(value or 0) for value in row]


def activity(now: datetime) -> list[Series]:
    """Posts published and comments made per week over the last WEEKS weeks, ready to draw."""
    starts = week_starts(now)
    posts = weekly_counts(Post.published_at, Post.status != PostStatus.DRAFT, starts, now)
    comments = weekly_counts(Comment.created_at, Comment.status == CommentStatus.PUBLISHED, starts, now)
    return [series("posts", posts, starts), series("comments", comments, starts)]


def series(name: str, counts: list[int], starts: list[datetime]) -> Series:
    step = CHART_WIDTH / len(counts)
    top = max(counts, default=0) or 1
    bars = []
    for i, (count, start) in enumerate(zip(counts, starts, strict=True)):
        height = round(BAR_AREA * count / top, 1)
        bars.append(
            Bar(
                x=round(i * step + 2, 1),
                y=round(BAR_AREA + 4 - height, 1),
                width=round(step - 4, 1),
                height=height,
                count=count,
                week=start,
            )
        )
    # A date under every fourth bar, away from the edges so that no label is cut off.
    ticks = [
        (round(i * step + step / 2, 1), short_date(start)) for i, start in enumerate(starts) if i % 4 == 2
    ]
    return Series(name, counts, bars, ticks)


def short_date(moment: datetime) -> str:
    """'Oct 2' (in the blog's language)."""
    return format_date(moment.date(), "MMM d", locale=dates.locale())
