"""Likes and boosts (Announce) of a post: one row per actor and kind, counted on the post (whose
change moves the page cache's content version, so the counts show at once)."""

from sqlalchemy import delete, func, select, update

from blog.db import insert_missing
from blog.extensions import db
from blog.fediverse.replies import post_for
from blog.models import Post, Reaction, RemoteActor, utcnow

COUNTS = {"Like": Post.like_count, "Announce": Post.boost_count}


def object_id(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def record_reaction(activity: dict, sender: RemoteActor, kind: str) -> None:
    post = post_for(object_id(activity.get("object")))
    activity_uri = object_id(activity)
    if post is None or not activity_uri:
        return
    db.session.execute(
        insert_missing(
            Reaction.__table__,
            post_id=post.id,
            kind=kind,
            actor_uri=sender.uri,
            activity_uri=activity_uri[:500],
            created_at=utcnow(),
        )
    )
    recount(post.id, kind)


def forget_reaction(activity_uri: str | None, actor_uri: str) -> None:
    if not activity_uri:
        return
    found = db.session.execute(
        select(Reaction.post_id, Reaction.kind).where(
            Reaction.activity_uri == activity_uri, Reaction.actor_uri == actor_uri
        )
    ).first()
    if found is None:
        return
    db.session.execute(delete(Reaction).where(Reaction.activity_uri == activity_uri))
    recount(found.post_id, found.kind)


def recount(post_id: int, kind: str) -> None:
    count = select(func.count(Reaction.id)).where(Reaction.post_id == post_id, Reaction.kind == kind)
    column = COUNTS[kind]
    db.session.execute(update(Post).where(Post.id == post_id).values({column: count.scalar_subquery()}))
