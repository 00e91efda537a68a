"""What the admin screens show of following: followers counted by state, and each mailed post's
deliveries counted by outcome (one query each, whatever the number of posts)."""

from sqlalchemy import case, func, select

from blog.extensions import db
from blog.models import Delivery, DeliveryStatus, Follower, FollowerStatus, Post, PostMailing


def follower_counts() -> dict[str, int]:
    """{state: number} for every state, zeros included."""
    counts = dict(db.session.execute(select(Follower.status, func.count()).group_by(Follower.status)).all())
    return {str(state): counts.get(str(state), 0) for state in FollowerStatus}


def _counting(*statuses: str):
    return func.count(case((Delivery.status.in_(statuses), 1)))


def recent_mailings(limit: int = 5) -> list:
    """The latest posts whose mailing began, each with .id, .title, .sent, .pending (waiting or being
    sent) and .failed: one query, not one per post."""
    query = (
        select(
            Post.id,
            Post.title,
            PostMailing.created_at.label("began_at"),
            _counting(DeliveryStatus.SENT).label("sent"),
            _counting(DeliveryStatus.PENDING, DeliveryStatus.SENDING).label("pending"),
            _counting(DeliveryStatus.FAILED).label("failed"),
        )
        .join(PostMailing, PostMailing.post_id == Post.id)
        .outerjoin(Delivery, Delivery.post_id == Post.id)
        .group_by(Post.id, Post.title, PostMailing.created_at)
        .order_by(PostMailing.created_at.desc(), Post.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(query).all())
