"""Rows a worker holds for a while (a lease): the exactly-once bookkeeping shared by post
deliveries (blog/followers/sending.py) and the outbox of account mail (blog/mail_outbox.py).

Each row is pending (due at next_attempt_at), sending (claimed at claimed_at), sent or failed.
claim() moves due rows to sending in one UPDATE ... WHERE they are still claimable, so no two
workers ever hold the same row (on PostgreSQL the candidates are also locked SKIP LOCKED, so
concurrent claimers take different rows instead of waiting on each other). The caller marks each
row sent the moment the mail server accepted it. A worker killed mid-send leaves its rows
sending; when their lease runs out they are claimable again, so nothing is lost."""

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update

from blog.extensions import db
from blog.models import DeliveryStatus, utcnow


def claimable(model, lease_seconds: float, now: datetime):
    """Due pending rows, and sending rows whose worker has had them longer than the lease."""
    return or_(
        and_(model.status == DeliveryStatus.PENDING, model.next_attempt_at <= now),
        and_(
            model.status == DeliveryStatus.SENDING, model.claimed_at < now - timedelta(seconds=lease_seconds)
        ),
    )


def claim(model, lease_seconds: float, limit: int, *returning, where=()) -> list[tuple]:
    """Claim up to `limit` claimable rows (oldest first) and commit; the `returning` columns of each."""
    now = utcnow()
    candidates = (
        select(model.id).where(*where, claimable(model, lease_seconds, now)).order_by(model.id).limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    rows = db.session.execute(
        update(model)
        .where(model.id.in_(candidates.scalar_subquery()), claimable(model, lease_seconds, now))
        .values(status=DeliveryStatus.SENDING, claimed_at=now, attempts=model.attempts + 1)
        .returning(*returning)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return [tuple(row) for row in rows]


def seconds_to_lease_end(model, lease_seconds: float) -> float | None:
    """Seconds until the oldest claim's lease runs out (0 if it has); None when nothing is claimed."""
    oldest = db.session.scalar(
        select(func.min(model.claimed_at)).where(model.status == DeliveryStatus.SENDING)
    )
    db.session.rollback()
    if oldest is None:
        return None
    return max((oldest + timedelta(seconds=lease_seconds) - utcnow()).total_seconds(), 0.0)
