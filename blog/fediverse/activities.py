"""What a verified activity does here. The inbox has already checked the signature and that the
sender is the activity's actor; handlers run in the request's writing transaction and commit it."""

import secrets

from sqlalchemy import delete, select

from blog.db import insert_missing, write
from blog.extensions import db
from blog.fediverse import delivery, remote, replies, urls
from blog.fediverse.fetch import FetchError
from blog.fediverse.reactions import forget_reaction, record_reaction
from blog.models import FediverseFollower, RemoteActor, utcnow


def object_id(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def handle(activity: dict, sender: RemoteActor) -> None:
    kind = activity["type"]
    handler = HANDLERS.get(kind)
    if handler is not None:
        handler(activity, sender)
    db.session.commit()
    delivery.start_sending()


def on_follow(activity: dict, sender: RemoteActor) -> None:
    if object_id(activity.get("object")) != urls.actor_uri():
        return
    db.session.execute(
        insert_missing(
            FediverseFollower.__table__,
            actor_id=sender.id,
            follow_uri=(object_id(activity) or "")[:500],
            created_at=utcnow(),
        )
    )
    delivery.queue_activity("Accept", answer("Accept", activity), [sender.inbox])


def answer(kind: str, follow: dict) -> dict:
    follow_id = object_id(follow) or ""
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{urls.actor_uri()}#{kind.lower()}-{secrets.token_hex(8)}",
        "type": kind,
        "actor": urls.actor_uri(),
        "object": {
            "id": follow_id,
            "type": "Follow",
            "actor": object_id(follow.get("actor")),
            "object": urls.actor_uri(),
        },
    }


def on_undo(activity: dict, sender: RemoteActor) -> None:
    undone = activity.get("object")
    kind = undone.get("type") if isinstance(undone, dict) else None
    if kind in ("Like", "Announce"):
        forget_reaction(object_id(undone), sender.uri)
        return
    # An Undo of a Follow, by the follower itself (Mastodon sends the Follow object; some only its id).
    db.session.execute(delete(FediverseFollower).where(FediverseFollower.actor_id == sender.id))


def on_create(activity: dict, sender: RemoteActor) -> None:
    note = activity.get("object")
    if isinstance(note, dict) and note.get("type") == "Note":
        replies.receive_reply(note, sender)


def on_delete(activity: dict, sender: RemoteActor) -> None:
    gone = object_id(activity.get("object"))
    if gone == sender.uri:  # the account itself is gone: so is the follow
        db.session.execute(delete(FediverseFollower).where(FediverseFollower.actor_id == sender.id))
        return
    if gone:
        replies.delete_reply(gone, sender)


def on_like(activity: dict, sender: RemoteActor) -> None:
    record_reaction(activity, sender, "Like")


def on_announce(activity: dict, sender: RemoteActor) -> None:
    record_reaction(activity, sender, "Announce")


def on_update(activity: dict, sender: RemoteActor) -> None:
    """A changed profile (name, avatar, inboxes): refresh the cached actor, the sender's own only."""
    changed = activity.get("object")
    if not isinstance(changed, dict) or changed.get("id") != sender.uri:
        return
    try:
        info = remote.read_actor(changed)
    except FetchError:
        return
    if info.key_id == sender.key_id:  # a new key comes through a fetch of the key, not a claim
        remote.remember(info)


def refuse_blocked(activity: dict, actor: str) -> None:
    """A blocked server gets nothing but, at most, a Reject of a Follow: to an inbox already known
    (fetching from a blocked server is refused too), and its follow ends."""
    known = db.session.scalar(select(RemoteActor).where(RemoteActor.uri == actor))
    if known is None:
        return
    write()
    known = db.session.scalar(select(RemoteActor).where(RemoteActor.uri == actor))
    db.session.execute(delete(FediverseFollower).where(FediverseFollower.actor_id == known.id))
    if activity.get("type") == "Follow":
        delivery.queue_activity("Reject", answer("Reject", activity), [known.inbox], blocked_ok=True)
    db.session.commit()
    delivery.start_sending()


HANDLERS = {
    "Follow": on_follow,
    "Undo": on_undo,
    "Create": on_create,
    "Delete": on_delete,
    "Like": on_like,
    "Announce": on_announce,
    "Update": on_update,
}
