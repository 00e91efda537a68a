"""Following by email: ask (double opt-in), confirm, unsubscribe, and forget what was never confirmed."""

from datetime import timedelta

from flask import render_template
from flask_babel import gettext
from sqlalchemy import delete, or_, select

from blog.db import insert_missing
from blog.extensions import db
from blog.followers.tokens import CONFIRM_DAYS, confirm_token
from blog.jobs import enqueue, job
from blog.mail import send_mail
from blog.models import Follower, FollowerStatus, utcnow
from blog.web.hosts import url_for_path
from blog.web.i18n import in_blog_language

RESEND_AFTER = timedelta(hours=1)  # a pending address gets at most one confirmation mail an hour


def normalise(email: str) -> str:
    return email.strip().lower()


def find_follower(email: str) -> Follower | None:
    return db.session.scalar(select(Follower).where(Follower.email == normalise(email)))


def ask_to_follow(email: str, root: str) -> None:
    """Make the address pending and queue its confirmation mail (at most one an hour). A confirmed
    address gets nothing: the answer the asker sees is the same either way."""
    email = normalise(email)
    db.session.execute(
        insert_missing(Follower.__table__, email=email, status="pending", created_at=utcnow(), failures=0)
    )
    follower = find_follower(email)
    if follower.status == FollowerStatus.CONFIRMED:
        db.session.rollback()
        return
    now = utcnow()
    if follower.confirm_sent_at is not None and now - follower.confirm_sent_at < RESEND_AFTER:
        db.session.rollback()
        return
    follower.status = FollowerStatus.PENDING
    follower.confirm_sent_at = now
    db.session.commit()
    enqueue(send_confirmation, follower.id, root)


@job
def send_confirmation(follower_id: int, root: str) -> None:
    follower = db.session.get(Follower, follower_id)
    if follower is None or follower.status != FollowerStatus.PENDING:
        return
    link = root + url_for_path("followers.confirm", token=confirm_token(follower.id, follower.email))
    with in_blog_language():
        send_mail(
            follower.email,
            gettext("Confirm that you want to follow this blog"),
            render_template("followers/mail/confirm.txt", link=link, days=CONFIRM_DAYS),
        )


def _addressed(follower_id: int, email: str) -> Follower | None:
    """The follower a signed link names: its id, and the address it was made for."""
    follower = db.session.get(Follower, follower_id)
    return follower if follower is not None and follower.email == email else None


def confirm(follower_id: int, email: str) -> Follower | None:
    follower = _addressed(follower_id, email)
    if follower is None:
        return None
    if follower.status != FollowerStatus.CONFIRMED:
        follower.status = FollowerStatus.CONFIRMED
        follower.confirmed_at = utcnow()
        follower.failures = 0
    db.session.commit()
    return follower


def unsubscribe(follower_id: int, email: str) -> bool:
    follower = _addressed(follower_id, email)
    if follower is None:
        return False
    if follower.status != FollowerStatus.UNSUBSCRIBED:
        follower.status = FollowerStatus.UNSUBSCRIBED
        follower.unsubscribed_at = utcnow()
    db.session.commit()
    return True


def set_member_following(user, on: bool) -> None:
    """A member's "Email me new posts": their address is proved, so no confirmation mail."""
    email = normalise(user.email)
    if not on and find_follower(email) is None:
        return  # nothing to switch off: no row (a pending one would only wait to be forgotten)
    db.session.execute(
        insert_missing(Follower.__table__, email=email, status="pending", created_at=utcnow(), failures=0)
    )
    follower = find_follower(email)
    follower.user_id = user.id
    if on and follower.status != FollowerStatus.CONFIRMED:
        follower.status, follower.confirmed_at, follower.failures = FollowerStatus.CONFIRMED, utcnow(), 0
    elif not on and follower.status == FollowerStatus.CONFIRMED:
        follower.status, follower.unsubscribed_at = FollowerStatus.UNSUBSCRIBED, utcnow()
    db.session.commit()


def forget_member(user) -> None:
    """The account is being deleted: its following ends, and its address is not kept (the row
    tied to the account, and one made from the Follow box with the same address). The caller commits."""
    db.session.execute(
        delete(Follower).where(or_(Follower.user_id == user.id, Follower.email == normalise(user.email)))
    )


def is_following(user) -> bool:
    follower = find_follower(user.email)
    return follower is not None and follower.status == FollowerStatus.CONFIRMED


@job(every_minutes=60)
def forget_unconfirmed() -> None:
    """Addresses that never confirmed are forgotten after CONFIRM_DAYS days."""
    cutoff = utcnow() - timedelta(days=CONFIRM_DAYS)
    db.session.execute(
        delete(Follower).where(Follower.status == FollowerStatus.PENDING, Follower.created_at < cutoff)
    )
    db.session.commit()
