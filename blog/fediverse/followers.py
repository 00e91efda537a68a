"""The fediverse followers, for the admin's Followers screen: who, how many, and removing one."""

from sqlalchemy import delete, select

from blog.extensions import db
from blog.fediverse import blocklist
from blog.models import FediverseFollower, RemoteActor

SHOWN = 200  # the newest shown on the screen; the count covers them all


def fediverse_followers() -> dict:
    rows = db.session.scalars(
        select(FediverseFollower).order_by(FediverseFollower.created_at.desc(), FediverseFollower.id.desc())
    ).all()
    return {"count": len(rows), "followers": rows[:SHOWN]}


def remove_fediverse_follower(follower: FediverseFollower) -> None:
    db.session.delete(follower)
    db.session.commit()


def drop_blocked_followers() -> int:
    """After Blocked servers changed: followers on a blocked server are dropped at once."""
    entries = blocklist.parse_current()
    if not entries:
        return 0
    rows = db.session.execute(
        select(FediverseFollower.id, RemoteActor.host).join(FediverseFollower.actor)
    ).all()
    blocked = [follower_id for follower_id, host in rows if blocklist.is_blocked(host, entries)]
    if blocked:
        db.session.execute(delete(FediverseFollower).where(FediverseFollower.id.in_(blocked)))
        db.session.commit()
    return len(blocked)
