"""What the fediverse is told about each post, once: Create when it comes out, Update when its
title, body or labels change, Delete when it is unpublished or deleted.

federate_posts (a job run after every save in the editor, and every minute on the workers, so a
scheduled post goes out when it comes due) compares each post with its federated_posts row. The
row is the claim: inserting it (primary key: one insert wins) or moving it from the state and
hash it was read with (a conditional UPDATE: one worker wins) happens in the same transaction
as storing the activity and its delivery rows (delivery.queue_activity), so each change is sent
once however many workers run the job. Posts that came out more than FEDIVERSE_WINDOW_HOURS ago
are not news (an import of old posts sends nothing).
"""

import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from blog.db import insert_missing
from blog.extensions import db
from blog.fediverse import delivery, documents, urls
from blog.jobs import job
from blog.models import BlogSettings, FederatedPost, FederatedState, Post, utcnow
from blog.models.post import visible_posts


def content_hash(post: Post) -> str:
    labels = ",".join(sorted(label.name for label in post.labels))
    return hashlib.sha256(f"{post.title}\0{post.body_html}\0{labels}".encode()).hexdigest()


def activity(kind: str, post_uri: str, obj, stamp: str) -> dict:
    return {
        "@context": documents.CONTEXT,
        "id": f"{post_uri}#{kind.lower()}-{stamp}",
        "type": kind,
        "actor": urls.actor_uri(),
        "published": documents.iso(utcnow()),
        "to": [documents.PUBLIC],
        "cc": [urls.followers_uri()],
        "object": obj,
    }


@job(every_minutes=1)
def federate_posts() -> None:
    settings = db.session.get(BlogSettings, 1)
    if urls.base() is None or (settings is not None and settings.is_private):
        return  # a private blog tells no other server anything
    now = utcnow()
    window = now - timedelta(hours=current_app.config["FEDIVERSE_WINDOW_HOURS"])
    new = db.session.scalars(
        visible_posts(now)
        .with_only_columns(Post.id)
        .where(Post.published_at >= window, Post.id.not_in(select(FederatedPost.post_id)))
    ).all()
    changed = db.session.execute(
        select(FederatedPost.post_id, FederatedPost.state, FederatedPost.content_hash)
        .outerjoin(Post, Post.id == FederatedPost.post_id)
        .where(
            or_(
                # Still out there but deleted, unpublished or moved into the future: Delete.
                and_(
                    FederatedPost.state == FederatedState.CREATED,
                    or_(Post.id.is_(None), Post.published_at > now),
                ),
                Post.updated_at > FederatedPost.updated_at,  # saved since: Update, Delete or Create again
            )
        )
    ).all()
    db.session.rollback()
    for post_id in new:
        begin(post_id)
    for post_id, state, old_hash in changed:
        follow_up(post_id, state, old_hash)


def begin(post_id: int) -> None:
    """Claim the post's first Create and queue it, in one transaction."""
    post = db.session.get(Post, post_id)
    uri, digest = urls.post_uri(post), content_hash(post)
    claimed = db.session.scalar(
        insert_missing(
            FederatedPost.__table__,
            post_id=post_id,
            object_uri=uri,
            state=FederatedState.CREATED,
            content_hash=digest,
            updated_at=utcnow(),
        ).returning(FederatedPost.post_id)
    )
    if claimed is None:  # another worker began it
        db.session.rollback()
        return
    send(post, "Create", documents.article(post))


def follow_up(post_id: int, state: str, old_hash: str) -> None:
    """Update, Delete or a new Create, claimed by moving the row from what was read."""
    post = db.session.get(Post, post_id)
    row = db.session.get(FederatedPost, post_id)
    visible = post is not None and post.is_visible()
    if state == FederatedState.CREATED and not visible:
        kind, new_state, digest = "Delete", FederatedState.DELETED, old_hash
    elif visible and state == FederatedState.DELETED:
        kind, new_state, digest = "Create", FederatedState.CREATED, content_hash(post)
    elif visible and content_hash(post) != old_hash:
        kind, new_state, digest = "Update", FederatedState.CREATED, content_hash(post)
    else:
        kind, new_state, digest = None, state, old_hash
    moved = db.session.execute(
        update(FederatedPost)
        .where(
            FederatedPost.post_id == post_id,
            FederatedPost.state == state,
            FederatedPost.content_hash == old_hash,
        )
        .values(state=new_state, content_hash=digest, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1 or kind is None:  # another worker moved it first, or nothing to tell
        db.session.commit()
        return
    if kind == "Delete":
        tombstone = {"id": row.object_uri, "type": "Tombstone"}
        send_object(row.object_uri, "Delete", tombstone)
    else:
        send(post, kind, documents.article(post))


def send(post: Post, kind: str, article: dict) -> None:
    send_object(urls.post_uri(post), kind, article)


def send_object(uri: str, kind: str, obj: dict) -> None:
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    delivery.queue_activity(kind, activity(kind, uri, obj, stamp), delivery.follower_inboxes())
    db.session.commit()
    delivery.start_sending()
