"""Sending activities to inboxes on the job queue, each once: the bookkeeping of email's sending.py.

1. queue_activity() stores the activity (its JSON, the same bytes on every attempt) and one
   fediverse_deliveries row per inbox (unique per activity and inbox; a shared inbox once per
   server), in the transaction that decided to send it, so the decision and the work commit together.
2. deliver_due jobs (after each commit that queued something, and every minute on the workers)
   claim batches of due rows with one UPDATE ... WHERE the row is pending (or a "sending" row whose
   lease ran out), so no two workers hold a row, sign and POST each, and mark it sent at once.

Nothing is lost: a row is marked sent only after the inbox answered 2xx; a worker killed mid-batch
leaves rows "sending" that the next sweep takes back once FEDIVERSE_LEASE_SECONDS have passed.
Nothing is sent twice, except in the window no HTTP request can close (killed after the server
answered, before the mark was committed); the activity then goes again with the same id, which
ActivityPub servers recognise. Failures: 410 Gone removes the followers at that inbox; another 4xx
gives up; 5xx, 429 and network errors retry with a doubling delay, and a server failing
FEDIVERSE_PAUSE_AFTER times in a row is paused for FEDIVERSE_PAUSE_SECONDS, then tried again.
"""

import json
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import and_, delete, func, insert, or_, select, update

from blog.db import insert_missing
from blog.extensions import db
from blog.fediverse import blocklist, keys, urls
from blog.fediverse.fetch import FetchError, request
from blog.fediverse.signatures import signed_headers
from blog.jobs import enqueue, job
from blog.models import (
    DeliveryState,
    FediverseFollower,
    InboxDelivery,
    OutgoingActivity,
    RemoteActor,
    RemoteServer,
    utcnow,
)

QUEUED = "fediverse_queued"  # session.info flag: this transaction queued deliveries


def queue_activity(kind: str, payload: dict, inboxes: list[str], blocked_ok: bool = False) -> int | None:
    """Store the activity and a row per inbox in the session's transaction; call start_sending()
    after the commit. Blocked servers are left out (blocked_ok: a Reject may still go to them)."""
    entries = blocklist.parse_current()
    targets = sorted({i for i in inboxes if i and (blocked_ok or not blocklist.is_blocked(i, entries))})
    if not targets:
        return None
    activity = OutgoingActivity(kind=kind, payload=json.dumps(payload, ensure_ascii=False))
    db.session.add(activity)
    db.session.flush()
    now = utcnow()
    db.session.execute(
        insert(InboxDelivery),
        [
            {
                "activity_id": activity.id,
                "inbox": inbox,
                "host": urlsplit(inbox).netloc.lower(),
                "status": DeliveryState.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
            }
            for inbox in targets
        ],
    )
    db.session.info[QUEUED] = True
    return activity.id


def follower_inboxes() -> list[str]:
    """Every follower's inbox, a server's shared inbox once."""
    rows = db.session.execute(
        select(RemoteActor.shared_inbox, RemoteActor.inbox).join(
            FediverseFollower, FediverseFollower.actor_id == RemoteActor.id
        )
    ).all()
    return sorted({shared or own for shared, own in rows})


def start_sending() -> None:
    """After a commit: one sending job per worker that may help (the periodic sweep is the backstop)."""
    if db.session.info.pop(QUEUED, False):
        for _ in range(current_app.config["FEDIVERSE_SENDERS"]):
            enqueue(deliver_due)


def claimable(now):
    lease = timedelta(seconds=current_app.config["FEDIVERSE_LEASE_SECONDS"])
    paused = select(RemoteServer.host).where(RemoteServer.paused_until > now)
    return and_(
        or_(
            and_(InboxDelivery.status == DeliveryState.PENDING, InboxDelivery.next_attempt_at <= now),
            and_(InboxDelivery.status == DeliveryState.SENDING, InboxDelivery.claimed_at < now - lease),
        ),
        InboxDelivery.host.not_in(paused),
    )


def claim_batch() -> list[tuple[int, int, str, str]]:
    """Claim up to FEDIVERSE_BATCH due rows in one statement: (id, activity id, inbox, host) each."""
    now = utcnow()
    candidates = (
        select(InboxDelivery.id)
        .where(claimable(now))
        .order_by(InboxDelivery.id)
        .limit(current_app.config["FEDIVERSE_BATCH"])
    )
    if db.engine.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    rows = db.session.execute(
        update(InboxDelivery)
        .where(InboxDelivery.id.in_(candidates.scalar_subquery()), claimable(now))
        .values(status=DeliveryState.SENDING, claimed_at=now, attempts=InboxDelivery.attempts + 1)
        .returning(InboxDelivery.id, InboxDelivery.activity_id, InboxDelivery.inbox, InboxDelivery.host)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return [tuple(row) for row in rows]


@job(every_minutes=1)
def deliver_due() -> None:
    """Send every due row, batch after batch, until none is left to claim."""
    if urls.base() is None:
        return
    payloads: dict[int, tuple[bytes, str]] = {}
    while claimed := claim_batch():
        for delivery_id, activity_id, inbox, host in claimed:
            if activity_id not in payloads:
                activity = db.session.get(OutgoingActivity, activity_id)
                payloads[activity_id] = (activity.payload.encode(), activity.kind)
                db.session.rollback()
            send(delivery_id, inbox, host, *payloads[activity_id])
    wait = seconds_to_next_lease_end()
    if wait is not None:  # a killed worker's rows: look again when their lease is up
        enqueue(deliver_due, delay=wait + 0.5)


def seconds_to_next_lease_end() -> float | None:
    oldest = db.session.scalar(
        select(func.min(InboxDelivery.claimed_at)).where(InboxDelivery.status == DeliveryState.SENDING)
    )
    db.session.rollback()
    if oldest is None:
        return None
    lease = timedelta(seconds=current_app.config["FEDIVERSE_LEASE_SECONDS"])
    return max((oldest + lease - utcnow()).total_seconds(), 0.0)


def post_signed(inbox: str, body: bytes) -> int:
    parts = urlsplit(inbox)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    signed = signed_headers(keys.private_key(), urls.key_id(), "POST", parts.netloc, target, body)
    db.session.rollback()  # the key was read: no transaction held across the request
    headers = {
        "Content-Type": "application/activity+json",
        "Date": signed["date"],
        "Digest": signed["digest"],
        "Signature": signed["signature"],
    }
    return request("POST", inbox, headers, body).status


def send(delivery_id: int, inbox: str, host: str, body: bytes, kind: str) -> None:
    if kind != "Reject" and blocklist.is_blocked(host):  # blocked since it was queued: nothing goes
        failed(delivery_id, host, "the server is blocked", permanent=True, server_fault=False)
        return
    try:
        status = post_signed(inbox, body)
    except FetchError as error:
        permanent = str(error).startswith("refused")  # an address we may never reach: no retry
        failed(delivery_id, host, str(error), permanent)
        return
    if 200 <= status < 300:
        finish(delivery_id, host)
    elif status == 410:
        failed(delivery_id, host, "410 Gone: the followers there are removed", permanent=True)
        remove_followers_at(inbox)
    elif 400 <= status < 500 and status not in (408, 429):
        failed(delivery_id, host, f"refused with {status}", permanent=True, server_fault=False)
    else:
        failed(delivery_id, host, f"answered {status}", permanent=False)


def finish(delivery_id: int, host: str) -> None:
    db.session.execute(
        update(InboxDelivery)
        .where(InboxDelivery.id == delivery_id)
        .values(status=DeliveryState.SENT, sent_at=utcnow(), error=None)
    )
    db.session.execute(
        update(RemoteServer).where(RemoteServer.host == host).values(failures=0, paused_until=None)
    )
    db.session.commit()


def failed(delivery_id: int, host: str, error: str, permanent: bool, server_fault: bool = True) -> None:
    """Give up, or back to pending with a doubling delay; count the failure against the server."""
    config = current_app.config
    row = db.session.get(InboxDelivery, delivery_id)
    if permanent or row.attempts >= config["FEDIVERSE_MAX_ATTEMPTS"]:
        row.status = DeliveryState.FAILED
    else:
        row.status = DeliveryState.PENDING
        delay = config["QUEUE_RETRY_DELAY"] * 2 ** max(row.attempts - 1, 0)
        row.next_attempt_at = utcnow() + timedelta(seconds=delay)
    row.error = error[:1000]
    if server_fault and not permanent:
        db.session.execute(insert_missing(RemoteServer.__table__, host=host, failures=0))
        server = db.session.get(RemoteServer, host)
        server.failures += 1
        server.last_error = error[:1000]
        if server.failures >= config["FEDIVERSE_PAUSE_AFTER"]:
            server.paused_until = utcnow() + timedelta(seconds=config["FEDIVERSE_PAUSE_SECONDS"])
    db.session.commit()


def remove_followers_at(inbox: str) -> None:
    actors = select(RemoteActor.id).where(or_(RemoteActor.inbox == inbox, RemoteActor.shared_inbox == inbox))
    db.session.execute(delete(FediverseFollower).where(FediverseFollower.actor_id.in_(actors)))
    db.session.commit()
