"""Loading a post's comment thread: top-level comments in order, each with its replies."""
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from .extensions import db
from .models import Comment, CommentStatus, Post


@dataclass
class ThreadItem:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


@dataclass
class Thread:
    items: list[ThreadItem]
    count: int  # published comments, replies included


def load_thread(post: Post, viewer) -> Thread:
    """The post's visible comments in one query, however many there are.

    A removed comment stays in the thread as a placeholder when it has replies."""
    visible = [CommentStatus.PUBLISHED, CommentStatus.REMOVED]
    condition = Comment.status.in_(visible)
    if getattr(viewer, "is_authenticated", False):
        # A member sees their own held comments, marked as awaiting moderation.
        condition = or_(condition, (Comment.author_id == viewer.id) & (Comment.status == CommentStatus.PENDING))
    comments = db.session.scalars(
        select(Comment).where(Comment.post_id == post.id, condition).order_by(Comment.created_at, Comment.id)
    ).all()
    items: dict[int, ThreadItem] = {}
    for comment in comments:
        if comment.parent_id is None:
            items[comment.id] = ThreadItem(comment)
        elif comment.parent_id in items:
            items[comment.parent_id].replies.append(comment)
    shown = [
        item for item in items.values()
        if item.comment.status != CommentStatus.REMOVED or item.replies
    ]
    count = sum(1 for c in comments if c.status == CommentStatus.PUBLISHED)
    return Thread(shown, count)
