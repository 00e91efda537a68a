"""Loading a post's comment thread, a page at a time: top-level comments in order, each with its replies.

A page costs two queries however many comments it shows: one for the counts, one for the
page's top-level comments together with their replies (authors joined in).
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from blog.extensions import db
from blog.models import Comment, CommentStatus, Post

SHOWN_PARENT = (CommentStatus.PUBLISHED, CommentStatus.REMOVED)
# Made once: a new alias per query made SQLAlchemy adapt every column again (most of the cost of
# building these statements, and of posting a comment, showed up there in the profile).
TOP = aliased(Comment, name="top")
REPLY = aliased(Comment, name="reply")
PARENT = aliased(Comment, name="parent")


@dataclass
class ThreadItem:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


@dataclass
class Thread:
    items: list[ThreadItem]
    count: int  # published comments, replies included
    page: int = 1
    pages: int = 1
    per_page: int = 200

    @property
    def offset(self) -> int:
        """How many top-level comments come before this page (for numbering)."""
        return (self.page - 1) * self.per_page

    @property
    def has_more(self) -> bool:
        return self.page < self.pages


def shown(c, viewer):
    """SQL condition: comment (alias) c is visible to the viewer in its own right."""
    if getattr(viewer, "is_authenticated", False):
        if viewer.is_admin:
            return c.status.in_([CommentStatus.PUBLISHED, CommentStatus.PENDING])
        # A member sees their own held comments, marked as awaiting moderation.
        return or_(
            c.status == CommentStatus.PUBLISHED,
            and_(c.author_id == viewer.id, c.status == CommentStatus.PENDING),
        )
    return c.status == CommentStatus.PUBLISHED


def shown_top(t, viewer):
    """SQL condition: t is a top-level comment in the thread; a removed one stays while it has replies."""
    reply = REPLY
    has_replies = select(reply.id).where(reply.parent_id == t.id, shown(reply, viewer)).exists()
    return and_(
        t.parent_id.is_(None), or_(shown(t, viewer), and_(t.status == CommentStatus.REMOVED, has_replies))
    )


def _published(post: Post):
    """SQL: the post's published comments, replies included (a reply counts while its parent shows)."""
    parent = PARENT
    return (
        select(func.count(Comment.id))
        .outerjoin(parent, Comment.parent_id == parent.id)
        .where(
            Comment.post_id == post.id,
            Comment.status == CommentStatus.PUBLISHED,
            or_(Comment.parent_id.is_(None), parent.status.in_(SHOWN_PARENT)),
        )
    )


def _counts(post: Post, viewer) -> tuple[int, int]:
    """(published comments, top-level comments shown to the viewer), in one query."""
    top = TOP
    tops = select(func.count(top.id)).where(top.post_id == post.id, shown_top(top, viewer)).scalar_subquery()
    count, top_count = db.session.execute(select(_published(post).scalar_subquery(), tops)).one()
    return count, top_count


def published_count(post: Post) -> int:
    """The count the heading shows: published comments, replies included."""
    return db.session.scalar(_published(post))


def has_shown_replies(top_id: int, viewer, but: int) -> bool:
    """Whether the viewer already sees replies in this thread, other than comment `but`."""
    query = select(Comment.id).where(Comment.parent_id == top_id, Comment.id != but, shown(Comment, viewer))
    return db.session.scalar(query.limit(1)) is not None


def load_thread(post: Post, viewer, page: int = 1, per_page: int = 200) -> Thread:
    """One page of the post's thread (pages past the end show the last one)."""
    per_page = max(1, per_page)
    count, top_count = _counts(post, viewer)
    pages = max(1, -(-top_count // per_page))
    page = min(max(1, page), pages)
    top = TOP
    page_ids = (
        select(top.id)
        .where(top.post_id == post.id, shown_top(top, viewer))
        .order_by(top.created_at, top.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    comments = db.session.scalars(
        select(Comment)
        .where(
            Comment.post_id == post.id,
            or_(Comment.id.in_(page_ids), and_(Comment.parent_id.in_(page_ids), shown(Comment, viewer))),
        )
        .order_by(Comment.created_at, Comment.id)
    ).all()
    items: dict[int, ThreadItem] = {}
    for comment in comments:
        if comment.parent_id is None:
            items[comment.id] = ThreadItem(comment)
        elif comment.parent_id in items:
            items[comment.parent_id].replies.append(comment)
    return Thread(list(items.values()), count, page, pages, per_page)


def position_of(comment: Comment, viewer) -> int:
    """How many top-level comments the viewer sees before this comment's thread."""
    anchor = comment if comment.parent_id is None else db.session.get(Comment, comment.parent_id)
    if anchor is None:
        return 0
    top = TOP
    return db.session.scalar(
        select(func.count(top.id)).where(
            top.post_id == anchor.post_id,
            shown_top(top, viewer),
            or_(
                top.created_at < anchor.created_at,
                and_(top.created_at == anchor.created_at, top.id < anchor.id),
            ),
        )
    )


def page_of(comment: Comment, viewer, per_page: int) -> int:
    """The thread page that shows this comment (a reply is shown with its top-level comment)."""
    return position_of(comment, viewer) // max(1, per_page) + 1
