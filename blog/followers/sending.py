"""Sending posts to followers, once each.

How a post goes out:
1. mail_due_posts (a job run after each publish and every minute by the workers) finds visible
   posts that came out in the last FOLLOWER_MAIL_WINDOW_HOURS (so an import of old posts mails
   nobody) with no post_mailings row, claims each by inserting that row (primary key: one claim
   wins), and adds one deliveries row per confirmed follower (unique per post and follower).
2. send_deliveries jobs (any number, on any workers) claim batches of due rows with one UPDATE
   ... WHERE status is pending (or a sending row whose lease ran out), so no two workers hold a
   row, send each over one SMTP connection, and mark each row sent right after the server said yes.

The guarantee, and its limit:
- Nothing is lost: a row is marked sent only after the SMTP server accepted the message. A worker
  killed mid-batch leaves its rows "sending"; once their lease (FOLLOWER_LEASE_SECONDS) runs out,
  the next sweep (at a worker's start, then every minute) puts them back in play.
- Nothing is sent twice, except in one window SMTP itself cannot close: a worker killed after the
  server accepted a message and before the "sent" mark is committed (a few milliseconds per
  message). That message goes again; it carries the same Message-ID
  (<post-P.follower-F@host>), so receiving systems that drop repeated Message-IDs drop it. The
  marks commit without a flush to disk (blog.db.bookkeeping_connection): a killed worker's marks
  are kept; a power cut may lose the last ones, which again can only repeat a mail.
- The claims are the leases of blog/jobs/leases.py, which the outbox of account mail shares.
- Failures: a refused message goes back to pending with a doubling delay; after
  FOLLOWER_MAX_FAILURES failures in a row the follower is marked failing and skipped from then on.
"""

import smtplib
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, insert, select, update

from blog.db import bookkeeping_connection, insert_missing
from blog.extensions import db
from blog.followers.post_mail import PostMail
from blog.jobs import enqueue, job, leases
from blog.mail_transport import mail_session
from blog.models import (
    BlogSettings,
    Delivery,
    DeliveryStatus,
    Follower,
    FollowerStatus,
    Post,
    PostMailing,
    User,
    utcnow,
)
from blog.models.post import visible_posts
from blog.models.user import MEMBER_ROLES

CONNECTION_ERRORS = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, smtplib.SMTPHeloError)
# This address, or this message, will not go: counted against the follower. ValueError: an address
# no header may carry (PostMail.message refuses it).
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused, ValueError)


def mail_root() -> str | None:
    """Links in post mails start at BASE_URL (there is no request in a worker)."""
    base = current_app.config["BASE_URL"]
    if not base:
        current_app.logger.error("posts are not mailed to followers until FLASK_BASE_URL is set")
    return base.rstrip("/") if base else None


@job(every_minutes=1)
def mail_due_posts() -> None:
    """Begin the mailing of every post that came out, then hand the due rows to send_deliveries."""
    if mail_root() is None:
        return
    now = utcnow()
    window = timedelta(hours=current_app.config["FOLLOWER_MAIL_WINDOW_HOURS"])
    due = db.session.scalars(
        visible_posts(now)
        .with_only_columns(Post.id)
        .where(Post.published_at >= now - window, Post.id.not_in(select(PostMailing.post_id)))
    ).all()
    db.session.rollback()
    for post_id in due:
        begin_mailing(post_id)
    for post_id in posts_with_work():
        for _ in range(current_app.config["FOLLOWER_SENDERS"]):  # one per worker that may help
            enqueue(send_deliveries, post_id)
    wait = leases.seconds_to_lease_end(Delivery, lease())
    if wait is not None:  # a killed worker's rows: look again when their lease is up
        enqueue(mail_due_posts, delay=wait + 0.5)


def may_receive():
    """Which confirmed followers a post may go to: all of them, or on a private blog only those
    who are members themselves (read when sending too: the blog may turn private in between)."""
    settings = db.session.get(BlogSettings, 1)
    confirmed = Follower.status == FollowerStatus.CONFIRMED
    if settings is None or not settings.is_private:
        return confirmed
    members = select(User.id).where(User.role.in_(MEMBER_ROLES), User.active)
    return and_(confirmed, Follower.user_id.in_(members))


def begin_mailing(post_id: int) -> None:
    """Claim the post's mailing and add a row per confirmed follower, in one transaction."""
    claimed = db.session.scalar(
        insert_missing(PostMailing.__table__, post_id=post_id, created_at=utcnow()).returning(
            PostMailing.post_id
        )
    )
    if claimed is None:  # another worker began it
        db.session.rollback()
        return
    now = utcnow()
    db.session.execute(
        insert(Delivery).from_select(
            ["post_id", "follower_id", "status", "attempts", "next_attempt_at"],
            select(
                db.literal(post_id),
                Follower.id,
                db.literal(DeliveryStatus.PENDING.value),
                db.literal(0),
                db.literal(now),
            ).where(may_receive()),
        )
    )
    db.session.commit()


def lease() -> float:
    return current_app.config["FOLLOWER_LEASE_SECONDS"]


def posts_with_work() -> list[int]:
    ids = db.session.scalars(
        select(Delivery.post_id).where(leases.claimable(Delivery, lease(), utcnow())).distinct()
    ).all()
    db.session.rollback()
    return list(ids)


def claim_batch(post_id: int) -> list[int]:
    """Claim up to FOLLOWER_BATCH due rows of the post in one statement; their follower ids."""
    batch = current_app.config["FOLLOWER_BATCH"]
    rows = leases.claim(Delivery, lease(), batch, Delivery.follower_id, where=[Delivery.post_id == post_id])
    return [follower_id for (follower_id,) in rows]


@job
def send_deliveries(post_id: int) -> None:
    """Send the post's due rows, batch after batch, until none is left to claim."""
    post = db.session.get(Post, post_id)
    root = mail_root()
    if post is None or root is None:
        return
    mail = PostMail(post, root)
    db.session.rollback()
    while claimed := claim_batch(post_id):
        followers = {
            follower_id: (email, failures)
            for follower_id, email, failures in db.session.execute(
                select(Follower.id, Follower.email, Follower.failures).where(
                    Follower.id.in_(claimed), may_receive()
                )
            )
        }
        db.session.rollback()
        gone = [f for f in claimed if f not in followers]
        give_up(post_id, gone, "not a confirmed follower any more")
        if not send_batch(mail, post_id, followers):
            return


def send_batch(mail: PostMail, post_id: int, followers: dict[int, tuple[str, int]]) -> bool:
    """Send to each claimed follower; False (rows released, a retry queued) if the server is away."""
    pending = list(followers)
    try:
        with mail_session() as send, bookkeeping_connection() as marks:
            while pending:
                follower_id = pending[0]
                email, failures = followers[follower_id]
                try:
                    send(email, mail.message(follower_id, email))
                except REFUSED as e:
                    pending.pop(0)
                    failed(post_id, follower_id, str(e))
                    continue
                pending.pop(0)
                mark_sent(marks, post_id, follower_id, failures)
    except CONNECTION_ERRORS as error:
        current_app.logger.warning("mail server away while mailing post %s: %s", post_id, error)
        for follower_id in pending:
            failed(post_id, follower_id, str(error), count_against_follower=False)
        enqueue(send_deliveries, post_id, delay=current_app.config["QUEUE_RETRY_DELAY"])
        return False
    return True


def mark_sent(marks, post_id: int, follower_id: int, failures: int) -> None:
    """The server took it: record that at once (two small statements, one commit per message)."""
    deliveries, people = Delivery.__table__, Follower.__table__
    marks.execute(
        update(deliveries)
        .where(deliveries.c.post_id == post_id, deliveries.c.follower_id == follower_id)
        .values(status=DeliveryStatus.SENT, sent_at=utcnow(), error=None)
    )
    if failures:
        marks.execute(update(people).where(people.c.id == follower_id).values(failures=0))
    marks.commit()


def give_up(post_id: int, follower_ids: list[int], error: str) -> None:
    if not follower_ids:
        return
    db.session.execute(
        update(Delivery)
        .where(Delivery.post_id == post_id, Delivery.follower_id.in_(follower_ids))
        .values(status=DeliveryStatus.FAILED, error=error)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def failed(post_id: int, follower_id: int, error: str, count_against_follower: bool = True) -> None:
    """Back to pending with a doubling delay, or given up once the follower has failed too often."""
    delivery = db.session.scalar(
        select(Delivery).where(Delivery.post_id == post_id, Delivery.follower_id == follower_id)
    )
    follower = db.session.get(Follower, follower_id)
    if count_against_follower:
        follower.failures += 1
    if follower.failures >= current_app.config["FOLLOWER_MAX_FAILURES"]:
        follower.status = FollowerStatus.FAILING
        delivery.status = DeliveryStatus.FAILED
    else:
        delay = current_app.config["QUEUE_RETRY_DELAY"] * 2 ** max(delivery.attempts - 1, 0)
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = utcnow() + timedelta(seconds=delay)
    delivery.error = error[:1000]
    db.session.commit()
