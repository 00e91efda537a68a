"""Follow by email: double opt-in, one-click unsubscribe, scheduled posts mailed when due, and each
post sent exactly once to 300 followers by a real worker killed mid-send (aiosmtpd receives)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from blog.extensions import db
from blog.followers.sending import mail_due_posts
from blog.models import Delivery, DeliveryStatus, Follower, Post, utcnow
from tests.support.live import free_port, wait_until
from tests.support.queue import KillAt, SmtpSink, Worker, queue_app_config
from tests.support.queue import queue_redis as queue_redis  # a fixture

BASE = "http://localhost"


@pytest.fixture
def app_config(request, tmp_path):
    return {"MAIL_BACKEND": "memory", "BASE_URL": BASE, "RATELIMIT_ENABLED": False}


def outbox(app) -> list:
    return app.extensions.setdefault("mail_outbox", [])


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def status_of(app, email: str) -> str | None:
    with app.app_context():
        return db.session.scalar(select(Follower.status).where(Follower.email == email))


def follow(client, email: str, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/follow", data={"email": email}, headers=headers)


def test_the_box_is_on_every_page_the_same_for_everyone(client, make_post):
    make_post("Hello")
    page = client.get("/").text
    assert "Follow by email" in page and 'for="follow-email">Your email address<' in page
    assert (
        ">Follow</button>" in page
        and "csrf_token" not in page.split('id="follow-box"')[1].split("</section>")[0]
    )
    assert "Set-Cookie" not in client.get("/").headers


def test_double_opt_in(app, client):
    response = follow(client, "Reader@Example.test", htmx=True)
    assert response.status_code == 200 and "Check your email" in response.text
    assert response.text.lstrip().startswith('<section class="widget follow-box"')  # the partial alone
    assert status_of(app, "reader@example.test") == "pending"
    [mail] = outbox(app)
    link = re.search(r"http://localhost(/follow/confirm/\S+)", text_of(mail)).group(1)
    page = client.get(link)  # what a link scanner does: nothing is confirmed
    assert page.status_code == 200 and ">Confirm</button>" in page.text
    assert status_of(app, "reader@example.test") == "pending"
    fresh = client.application.test_client()  # no session, no token: the signed link is enough
    done = fresh.post(link)
    assert done.status_code == 200 and "You are following this blog" in done.text
    assert status_of(app, "reader@example.test") == "confirmed"
    assert client.post(link[:-3] + "xyz").status_code == 404


def test_without_javascript_a_page_answers_and_bad_input_is_kept(client):
    response = follow(client, "not an address")
    assert response.status_code == 422 and "Enter an email address, like name@example.com." in response.text
    assert 'value="not an address"' in response.text and "<html" in response.text
    assert response.text.count('id="follow-box"') == 1  # the page's own box, none in the sidebar
    done = follow(client, "reader@example.test")
    assert done.status_code == 200 and done.text.count("Check your email") == 1


def test_one_confirmation_mail_an_hour_for_a_pending_address(app, client):
    assert follow(client, "a@example.test").status_code == 200
    assert follow(client, "a@example.test").status_code == 200
    assert len(outbox(app)) == 1
    with app.app_context():
        db.session.execute(update(Follower).values(confirm_sent_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
    follow(client, "a@example.test")
    assert len(outbox(app)) == 2


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "memory", "BASE_URL": BASE}])
def test_the_box_is_rate_limited_per_address(app, client):
    codes = [follow(client, "same@example.test").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]


def confirmed_follower(app, client, email: str) -> None:
    follow(client, email)
    link = re.search(r"http://localhost(/follow/confirm/\S+)", text_of(outbox(app)[-1])).group(1)
    assert client.post(link).status_code == 200


def test_a_post_mail_and_one_click_unsubscribe(app, client, make_post):
    confirmed_follower(app, client, "f@example.test")
    outbox(app).clear()
    post = make_post("Big news", body="The whole story.")
    with app.app_context():
        mail_due_posts()
    [mail] = outbox(app)
    assert mail["Subject"] == "Big news" and mail["To"] == "f@example.test"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stop = re.fullmatch(r"<http://localhost(/follow/unsubscribe/\S+)>", mail["List-Unsubscribe"]).group(1)
    assert f"/{post.year:04d}/{post.month:02d}/{post.slug}.html" in text_of(mail)
    with app.app_context():  # a second run sends nothing more
        mail_due_posts()
    assert len(outbox(app)) == 1
    # RFC 8058: a POST from the mail program, no session or token.
    fresh = app.test_client()
    answer = fresh.post(stop, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and "You are unsubscribed" in answer.text
    assert status_of(app, "f@example.test") == "unsubscribed"
    make_post("More news")
    with app.app_context():
        mail_due_posts()
    assert len(outbox(app)) == 1
    page = fresh.get(stop)  # the plain link in the mail: a page whose button does the same
    assert page.status_code == 200 and ">Unsubscribe</button>" in page.text


def test_a_scheduled_post_is_mailed_when_it_comes_due(app, client, make_post):
    confirmed_follower(app, client, "f@example.test")
    outbox(app).clear()
    post = make_post("Later", when=utcnow() + timedelta(hours=1))
    with app.app_context():
        mail_due_posts()
    assert outbox(app) == []
    with app.app_context():
        db.session.execute(
            update(Post).where(Post.id == post.id).values(published_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
        mail_due_posts()
    assert [m["Subject"] for m in outbox(app)] == ["Later"]


def test_old_posts_are_not_news(app, client, make_post):
    """An import of old posts mails nobody."""
    confirmed_follower(app, client, "f@example.test")
    outbox(app).clear()
    make_post("From 2010", when=utcnow() - timedelta(days=5000))
    with app.app_context():
        mail_due_posts()
    assert outbox(app) == []


# --- exactly once, with a real worker killed mid-send -----------------------------------------

FOLLOWERS = 300
SMTP_PORT = free_port()


@pytest.mark.parametrize("app_config", [{}])
def test_each_follower_gets_each_post_exactly_once_even_when_the_worker_is_killed(
    app,
    app_config,
    tmp_path,
    queue_redis,
    make_post,
):
    app.config.update(
        queue_app_config(tmp_path, queue_redis, SMTP_PORT, BASE_URL=BASE, FOLLOWER_LEASE_SECONDS=3)
    )
    with app.app_context():
        db.session.add_all(
            Follower(email=f"f{i:03d}@example.test", status="confirmed", confirmed_at=utcnow())
            for i in range(FOLLOWERS)
        )
        db.session.commit()
    workers: list[Worker] = []
    killer = KillAt(workers, 100)  # the 100th message: the worker dies waiting for the answer
    sink = SmtpSink(SMTP_PORT, on_message=killer).start()
    try:
        workers.append(Worker(app, tmp_path))
        make_post("For everyone")
        with app.app_context():
            from blog.jobs import enqueue

            enqueue(mail_due_posts)
        wait_until(killer.killed.is_set, 60, "the 100th message")
        assert workers[0].process.returncode == -9
        workers.append(Worker(app, tmp_path))  # a new worker finds the killed one's rows
        sink.wait_for(FOLLOWERS, timeout=90)
        with app.app_context():
            wait_until(
                lambda: (
                    db.session.scalar(
                        select(func.count())
                        .select_from(Delivery)
                        .where(Delivery.status == DeliveryStatus.SENT)
                    )
                    == FOLLOWERS
                    or db.session.rollback()
                ),
                30,
                "every row marked sent",
            )
    finally:
        for worker in workers:
            worker.stop()
        sink.stop()
    counts = sink.per_recipient()
    assert len(counts) == FOLLOWERS and set(counts.values()) == {1}, [a for a, n in counts.items() if n != 1]


def test_the_box_stays_off_the_account_forms(client):
    """Sign-in and sign-up have their own "Email" field; a second one would make the label ambiguous."""
    assert 'id="follow-email"' in client.get("/").text
    for path in ("/signin", "/password/forgot"):
        page = client.get(path)
        assert page.status_code == 200 and 'id="follow-email"' not in page.text, path
