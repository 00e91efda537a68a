"""What happens to addresses that do not work, and to addresses never confirmed: a follower whose
mail the (real, aiosmtpd) server keeps refusing is retried, then marked failing and skipped; an
address left pending is forgotten after 7 days, and no other."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from blog.extensions import db
from blog.followers.sending import mail_due_posts, send_deliveries
from blog.followers.service import forget_unconfirmed
from blog.models import Delivery, Follower, utcnow
from tests.support.live import free_port
from tests.support.queue import SmtpSink

SMTP_PORT = free_port()
GOOD, BAD = "good@example.test", "gone@example.test"


@pytest.fixture
def app_config():
    return {
        "BASE_URL": "http://localhost",
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": SMTP_PORT,
        "FOLLOWER_MAX_FAILURES": 2,
        "QUEUE_RETRY_DELAY": 60,  # a refused delivery waits a minute (the test moves time on)
    }


@pytest.fixture
def sink():
    def refuse_bad(_sink, envelope):
        return "550 5.1.1 no such mailbox" if BAD in envelope.rcpt_tos else None

    server = SmtpSink(SMTP_PORT, on_message=refuse_bad).start()
    yield server
    server.stop()


def add_followers(app, **emails_and_states) -> None:
    with app.app_context():
        for email, (status, age) in emails_and_states.items():
            created = utcnow() - age
            db.session.add(Follower(email=email, status=status, created_at=created, confirmed_at=created))
        db.session.commit()


def state(app, email: str) -> tuple:
    with app.app_context():
        row = db.session.execute(
            select(Follower.status, Follower.failures, Delivery.status)
            .outerjoin(Delivery, Delivery.follower_id == Follower.id)
            .where(Follower.email == email)
            .order_by(Delivery.id.desc())
        ).first()
        return tuple(row) if row else None


def test_a_refused_address_is_retried_then_marked_failing_and_skipped(app, sink, make_post):
    fresh = timedelta(0)
    add_followers(app, **{GOOD: ("confirmed", fresh), BAD: ("confirmed", fresh)})
    post = make_post("First")
    with app.app_context():
        mail_due_posts()
    assert [m["To"] for m in sink.messages] == [GOOD]
    assert state(app, BAD) == ("confirmed", 1, "pending")  # refused once: it will be tried again
    with app.app_context():
        send_deliveries(post.id)  # not due yet: nothing happens
        assert state(app, BAD) == ("confirmed", 1, "pending") and len(sink.messages) == 1
        db.session.execute(update(Delivery).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        send_deliveries(post.id)
    assert state(app, BAD) == ("failing", 2, "failed")  # the second refusal in a row: given up
    assert state(app, GOOD) == ("confirmed", 0, "sent")

    make_post("Second")
    with app.app_context():
        mail_due_posts()
    assert [m["To"] for m in sink.messages] == [GOOD, GOOD]  # a failing address is skipped
    assert [m["Subject"] for m in sink.messages] == ["First", "Second"]


def test_unconfirmed_addresses_are_forgotten_after_seven_days(app):
    add_followers(
        app,
        **{
            "old-pending@example.test": ("pending", timedelta(days=7, minutes=1)),
            "new-pending@example.test": ("pending", timedelta(days=6)),
            "old-confirmed@example.test": ("confirmed", timedelta(days=300)),
        },
    )
    with app.app_context():
        forget_unconfirmed()
        left = set(db.session.scalars(select(Follower.email)))
    assert left == {"new-pending@example.test", "old-confirmed@example.test"}
