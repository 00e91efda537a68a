"""The job queue with its real parts: a worker process (`flask --app app worker`), an SMTP server
(aiosmtpd) and, in the PostgreSQL run, Redis as the queue. Requests only enqueue; the worker sends."""

import time

import pytest
from sqlalchemy import func, select

from blog.accounts.invitations import create_invitation
from blog.extensions import db
from blog.jobs.queue import queue_for
from blog.mail import send_mail
from blog.models import DeliveryStatus, OutgoingMail
from tests.support.accounts import member_client, sign_in
from tests.support.comments import post_comment
from tests.support.content import set_settings
from tests.support.live import free_port, wait_until
from tests.support.queue import KillAt, SmtpSink, Worker, queue_app_config
from tests.support.queue import queue_redis as queue_redis  # a fixture
from tests.support.web import csrf_from

SMTP_PORT = free_port()


@pytest.fixture
def app_config(tmp_path, queue_redis):
    return queue_app_config(tmp_path, queue_redis, SMTP_PORT)


@pytest.fixture
def worker(app, tmp_path):
    process = Worker(app, tmp_path)
    yield process
    process.stop()


def test_the_queue_lives_in_redis_on_postgresql_and_in_a_file_beside_sqlite(app, queue_redis):
    huey = queue_for(app).huey
    assert type(huey).__name__ == ("RedisHuey" if queue_redis is not None else "SqliteHuey")


def test_a_queued_mail_is_multipart_from_the_blog_with_its_headers(app, worker):
    sink = SmtpSink(SMTP_PORT).start()
    try:
        set_settings(app, title="Field Notes")
        with app.app_context():
            assert send_mail("reader@example.test", "Hello", "Read https://blog.test/x now.")
        [message] = sink.wait_for(1, timeout=30)
    finally:
        sink.stop()
    assert message["From"] == "Field Notes <blog@example.test>"
    assert message["Auto-Submitted"] == "auto-generated" and message["Message-ID"].endswith("@example.test>")
    assert message.get_content_type() == "multipart/alternative"
    assert "Read https://blog.test/x now." in message.get_body(("plain",)).get_content()
    assert '<a href="https://blog.test/x">' in message.get_body(("html",)).get_content()


def test_every_account_email_goes_through_the_queue_while_the_mail_server_is_down(
    app, client, worker, admin, member, make_post
):
    """Reset, sign-up confirmation, invitation, owner notification and reply notification: each
    request answers as usual with the SMTP server down, and each mail arrives once it is back."""
    post = make_post("Queued post")
    set_settings(app, comment_policy="signed_in", comment_interval_seconds=0)
    with app.app_context():
        _, invitation = create_invitation(None)
        db.session.commit()

    def answer(call, expected):
        # Each answer is the normal one with nothing listening on the SMTP port: a request that
        # tried to send would meet a refused connection. (That the answer never waits for a slow
        # server is tests/accounts/test_enumeration.py's test_the_answer_is_sent_before_the_mail.)
        response = call()
        assert response.status_code == expected, response.text[:500]

    # Password reset and open sign-up, signed out.
    page = client.get("/password/forgot").text
    answer(
        lambda: client.post("/password/forgot", data={"email": member.email, "csrf_token": csrf_from(page)}),
        200,
    )
    page = client.get("/signup").text
    fields = {"email": "new@example.test", "name": "New", "password": "a long enough passphrase"}
    answer(lambda: client.post("/signup", data={**fields, "csrf_token": csrf_from(page)}), 200)
    # An invitation followed by someone new.
    other = app.test_client()
    page = other.get(f"/join/{invitation}").text
    fields = {"email": "invited@example.test", "name": "Invited", "password": "a long enough passphrase"}
    answer(lambda: other.post(f"/join/{invitation}", data={**fields, "csrf_token": csrf_from(page)}), 200)
    # A member's comment (the owner hears of it), then a reply to it (the member hears of that).
    sign_in(client)
    answer(lambda: post_comment(client, post, "Tell me of replies", notify="y"), 303)
    with app.app_context():
        from blog.models import Comment

        first = db.session.scalar(db.select(Comment.id))
    _, replier = member_client(app, "replier@example.test", "Replier")
    answer(lambda: post_comment(replier, post, "A reply", url=f"/comments/{first}/reply"), 303)

    # The worker tries, and fails, meanwhile (and nothing of that reaches the requests above).
    wait_until(lambda: "Connection refused" in worker.output(), 60, "the worker meeting the closed port")
    sink = SmtpSink(SMTP_PORT).start()
    try:
        expected = {member.email: 2, "new@example.test": 1, "invited@example.test": 1, admin.email: 2}
        sink.wait_for(sum(expected.values()), timeout=60)
        time.sleep(1.5)  # nothing more comes
        received = sink.per_recipient()
    finally:
        sink.stop()
    assert dict(received) == expected
    subjects = sorted(m["Subject"] for m in sink.messages)
    assert subjects == sorted(
        [
            "Set a new password",
            "Confirm your email address",
            "Confirm your email address",
            "New comment on “Queued post”",
            "New comment on “Queued post”",
            "New reply on “Queued post”",
        ]
    )


MAILS = 60


def test_no_account_mail_is_lost_or_doubled_when_the_worker_is_killed_mid_send(app, tmp_path):
    """Account mail lives in the outbox table, not only in the queue: a worker killed with SIGKILL
    while the server is taking the 20th message leaves its claimed rows, and the next worker sends
    each of them once their lease is up, and nothing twice."""
    app.config["MAIL_LEASE_SECONDS"] = 3
    workers: list[Worker] = []
    killer = KillAt(workers, 20)
    sink = SmtpSink(SMTP_PORT, on_message=killer).start()
    try:
        workers.append(Worker(app, tmp_path))
        with app.app_context():
            for i in range(MAILS):
                assert send_mail(f"m{i:02d}@example.test", f"Mail {i}", "Your link: https://blog.test/x")
        wait_until(killer.killed.is_set, 60, "the 20th message")
        assert workers[0].process.returncode == -9
        with app.app_context():
            assert unsent(app) > 0  # the killed worker left mail behind
        workers.append(Worker(app, tmp_path))
        sink.wait_for(MAILS, timeout=60)
        wait_until(lambda: unsent(app) == 0, 30, "every mail marked sent")
        time.sleep(1)  # nothing more comes
    finally:
        for worker in workers:
            worker.stop()
        sink.stop()
    counts = sink.per_recipient()
    assert len(counts) == MAILS and set(counts.values()) == {1}, [a for a, n in counts.items() if n != 1]
    with app.app_context():  # a sent mail keeps no text: a reset link must not linger
        assert db.session.scalars(select(OutgoingMail.message).distinct()).all() == [""]


def unsent(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(OutgoingMail).where(OutgoingMail.status != DeliveryStatus.SENT)
        )
