"""The fediverse (ActivityPub): the blog's key pair, the remote actors it knows, its followers there,
what it has sent about each post, the activities it sends with one delivery row per inbox, the
servers it is pausing, and likes and boosts (see blog/fediverse/)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import db
from blog.models.timeutil import utcnow


class FediverseKey(db.Model):
    """The blog's RSA key pair: one row, made on first use, so it travels with backups."""

    __tablename__ = "fediverse_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text)
    public_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RemoteActor(db.Model):
    """An actor of another server, as its document said when last fetched (the key cache)."""

    __tablename__ = "remote_actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    key_id: Mapped[str] = mapped_column(String(500), index=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    inbox: Mapped[str] = mapped_column(String(500))
    shared_inbox: Mapped[str | None] = mapped_column(String(500))
    name: Mapped[str] = mapped_column(String(200), default="")
    handle: Mapped[str] = mapped_column(String(300), default="")  # user@host
    profile_url: Mapped[str] = mapped_column(String(500), default="")
    icon_url: Mapped[str | None] = mapped_column(String(500))
    host: Mapped[str] = mapped_column(String(255), index=True)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def display_name(self) -> str:
        return self.name or self.handle or self.uri

    @property
    def delivery_inbox(self) -> str:
        """The shared inbox when the server has one: one request per server, not per follower."""
        return self.shared_inbox or self.inbox


class FediverseFollower(db.Model):
    __tablename__ = "fediverse_followers"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("remote_actors.id", ondelete="CASCADE"), unique=True)
    follow_uri: Mapped[str] = mapped_column(String(500), default="")  # the Follow activity's id
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[RemoteActor] = relationship(lazy="joined")


class FederatedState(StrEnum):
    CREATED = "created"
    DELETED = "deleted"


class FederatedPost(db.Model):
    """What the fediverse was last told about a post. Changing a row with a conditional UPDATE is the
    claim that makes each Create, Update and Delete happen once (blog/fediverse/outbox.py). No
    foreign key: the row outlives a deleted post, which still needs its Delete."""

    __tablename__ = "federated_posts"

    post_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    object_uri: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(16), default=FederatedState.CREATED)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutgoingActivity(db.Model):
    __tablename__ = "fediverse_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # Create, Update, Delete, Accept, Reject
    payload: Mapped[str] = mapped_column(Text)  # the JSON sent, the same bytes on every attempt
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a worker until claimed_at + the lease
    SENT = "sent"
    FAILED = "failed"  # given up: 4xx, gone, blocked, or too many attempts


class InboxDelivery(db.Model):
    """One activity to one inbox (a shared inbox once per server): claimed by one worker at a time."""

    __tablename__ = "fediverse_deliveries"
    __table_args__ = (
        UniqueConstraint("activity_id", "inbox"),
        Index("ix_fediverse_deliveries_status_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("fediverse_activities.id", ondelete="CASCADE"))
    inbox: Mapped[str] = mapped_column(String(500))
    host: Mapped[str] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class RemoteServer(db.Model):
    """A server whose deliveries keep failing: paused until paused_until, then tried again."""

    __tablename__ = "remote_servers"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)  # failed requests in a row
    paused_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class Reaction(db.Model):
    """A Like or Announce (boost) of a post; the post keeps the counts (Post.like_count, boost_count)."""

    __tablename__ = "fediverse_reactions"
    __table_args__ = (UniqueConstraint("post_id", "kind", "actor_uri"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # Like or Announce
    actor_uri: Mapped[str] = mapped_column(String(500))
    activity_uri: Mapped[str] = mapped_column(String(500), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
