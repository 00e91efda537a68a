"""Delivery on the job queue: publishing sends Create once per server (its shared inbox), editing
Update, unpublishing Delete, all signed; 410 Gone removes followers, a failing server is retried
and paused; and a real worker killed mid-delivery loses nothing and sends nothing twice."""

import threading

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.fediverse.delivery import deliver_due
from blog.fediverse.outbox import federate_posts
from blog.models import DeliveryState, FediverseFollower, InboxDelivery, RemoteActor, RemoteServer, utcnow
from tests.fediverse.conftest import BASE, follow, follower_uris
from tests.support.accounts import sign_in
from tests.support.admin import edit_url, post_fields, post_id_from
from tests.support.fediverse import FakeServer
from tests.support.live import free_port, wait_until
from tests.support.queue import Worker, queue_app_config
from tests.support.queue import queue_redis as queue_redis  # a fixture
from tests.support.web import csrf_from


@pytest.fixture
def second_server():
    server = FakeServer().start()
    yield server
    server.stop()


def creates(fake, kind="Create"):
    return [r for r in fake.received if r["activity"]["type"] == kind]


def test_publish_update_and_unpublish_reach_each_server_once(
    client, app, admin, fake_server, second_server, blog_key
):
    second_server.blog_key_pem = blog_key
    for name in ("alice", "bob"):
        fake_server.add_actor(name)
        follow(client, fake_server, name)
    second_server.add_actor("carol")
    follow(client, second_server, "carol")
    assert len(follower_uris(app)) == 3

    sign_in(client, "admin@example.test")
    token = csrf_from(client.get("/admin/posts/new").text)
    post_id = post_id_from(
        client.post(
            "/admin/posts/new", data=post_fields(token, "publish", title="Out now", body="Hello *all*.")
        )
    )
    for server in (fake_server, second_server):
        (create,) = creates(server)
        assert create["path"] == "/inbox", "one request per server, to its shared inbox"
        assert create["verified"]
        article = create["activity"]["object"]
        assert article["type"] == "Article" and article["name"] == "Out now"
        assert create["activity"]["cc"] == [BASE + "/fediverse/followers"]
        # The same id the permalink answers with.
        path = article["id"].removeprefix(BASE)
        fetched = client.get(path, headers={"Accept": "application/activity+json"}).json
        assert fetched["id"] == article["id"]

    client.post(edit_url(post_id), data=post_fields(token, "update", title="Out now (fixed)", slug=""))
    client.post(edit_url(post_id), data=post_fields(token, "update", title="Out now (fixed)", slug=""))
    for server in (fake_server, second_server):
        (update,) = creates(server, "Update")  # the second save changed nothing: no second Update
        assert update["activity"]["object"]["name"] == "Out now (fixed)" and update["verified"]

    client.post(edit_url(post_id), data=post_fields(token, "unpublish", title="Out now (fixed)"))
    for server in (fake_server, second_server):
        (gone,) = creates(server, "Delete")
        assert gone["activity"]["object"]["type"] == "Tombstone"
        assert gone["activity"]["object"]["id"] == article["id"]
    with app.app_context():
        federate_posts()  # a sweep after all that sends nothing more
    assert len(fake_server.received) == 2 + 3  # two Accepts, then Create, Update, Delete


def test_410_gone_removes_the_followers_there(client, app, fake_server, blog_key, make_post):
    fake_server.add_actor("alice")
    follow(client, fake_server, "alice")
    fake_server.answer = 410
    make_post("To nobody now")
    with app.app_context():
        federate_posts()
    assert follower_uris(app) == []


def test_a_failing_server_is_retried_then_paused(client, app, fake_server, blog_key, make_post):
    app.config.update(FEDIVERSE_PAUSE_AFTER=2, QUEUE_RETRY_DELAY=0)
    fake_server.add_actor("alice")
    follow(client, fake_server, "alice")
    fake_server.answer = 503
    make_post("Try again")
    with app.app_context():
        federate_posts()  # attempt 1 fails
        deliver_due()  # attempt 2 fails: the server is paused now
        row = db.session.scalar(select(InboxDelivery).order_by(InboxDelivery.id.desc()))
        assert row.status == DeliveryState.PENDING and row.attempts == 2
        server = db.session.get(RemoteServer, fake_server.netloc)
        assert server.failures == 2 and server.paused_until > utcnow()
        fake_server.answer = 202
        deliver_due()  # paused: not tried
        assert creates(fake_server) == []
        server.paused_until = utcnow()
        db.session.commit()
        deliver_due()
    assert len(creates(fake_server)) == 1


# --- exactly once, with a real worker killed mid-delivery -------------------------------------

SERVERS = 6


def test_each_server_gets_the_post_once_even_when_the_worker_is_killed(app, tmp_path, queue_redis, make_post):
    app.config.update(
        queue_app_config(
            tmp_path,
            queue_redis,
            free_port(),
            BASE_URL=BASE,
            FEDIVERSE_LEASE_SECONDS=3,
            FEDIVERSE_ALLOW_PRIVATE=True,
        )
    )
    servers = [FakeServer().start() for _ in range(SERVERS)]
    workers: list[Worker] = []
    killed = threading.Event()
    accepted = []

    def kill_mid_delivery(fake, path, activity):
        """At the third Create the worker is killed while it waits for the answer (which never counts)."""
        if activity["type"] != "Create":
            return None
        if len(accepted) == 2 and not killed.is_set():
            workers[0].kill()
            killed.set()
            return 503
        accepted.append(fake.netloc)
        return None

    try:
        with app.app_context():
            for server in servers:
                server.on_post = kill_mid_delivery
                for name in ("ann", "ben"):  # two followers per server: one shared inbox
                    server.add_actor(name)
                    actor = server.actor_document(name)
                    row = RemoteActor(
                        uri=actor["id"],
                        key_id=actor["publicKey"]["id"],
                        public_key_pem=actor["publicKey"]["publicKeyPem"],
                        inbox=actor["inbox"],
                        shared_inbox=actor["endpoints"]["sharedInbox"],
                        host=server.netloc,
                    )
                    db.session.add(row)
                    db.session.flush()
                    db.session.add(FediverseFollower(actor_id=row.id))
            db.session.commit()
        env = {"FLASK_FEDIVERSE_ALLOW_PRIVATE": "true", "FLASK_FEDIVERSE_LEASE_SECONDS": "3"}
        workers.append(Worker(app, tmp_path, **env))
        make_post("For every server")
        with app.app_context():
            from blog.jobs import enqueue

            enqueue(federate_posts)
        wait_until(killed.is_set, 60, "the third delivery")
        assert workers[0].process.returncode == -9
        workers.append(Worker(app, tmp_path, **env))  # a new worker finds the killed one's rows
        with app.app_context():
            wait_until(
                lambda: (
                    db.session.scalar(
                        select(func.count())
                        .select_from(InboxDelivery)
                        .where(InboxDelivery.status == DeliveryState.SENT)
                    )
                    == SERVERS
                    or db.session.rollback()
                ),
                90,
                "every delivery marked sent",
            )
    finally:
        for worker in workers:
            worker.stop()
        for server in servers:
            server.stop()
    assert sorted(accepted) == sorted(server.netloc for server in servers), "each server exactly once"
    for server in servers:
        assert [r["path"] for r in server.received] == ["/inbox"]


def test_a_scheduled_post_goes_out_when_it_comes_due_and_a_deleted_one_is_deleted(
    client, app, admin, fake_server, blog_key, make_post
):
    from datetime import timedelta

    from sqlalchemy import update

    from blog.models import Post

    fake_server.add_actor("alice")
    follow(client, fake_server, "alice")
    post = make_post("Later", when=utcnow() + timedelta(hours=1))
    with app.app_context():
        federate_posts()
    assert creates(fake_server) == []  # not yet
    with app.app_context():
        db.session.execute(
            update(Post).where(Post.id == post.id).values(published_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
        federate_posts()  # the workers' minute sweep
    (create,) = creates(fake_server)
    assert create["activity"]["object"]["name"] == "Later"

    sign_in(client, "admin@example.test")
    page = client.get(f"/admin/posts/{post.id}/delete")
    assert (
        client.post(f"/admin/posts/{post.id}/delete", data={"csrf_token": csrf_from(page.text)}).status_code
        == 302
    )
    (gone,) = creates(fake_server, "Delete")
    assert gone["activity"]["object"] == {"id": create["activity"]["object"]["id"], "type": "Tombstone"}


def test_a_server_blocked_after_queueing_is_sent_nothing(client, app, fake_server, blog_key, make_post):
    from tests.support.content import set_settings

    fake_server.add_actor("alice")
    follow(client, fake_server, "alice")
    fake_server.answer = 503
    make_post("Blocked meanwhile")
    with app.app_context():
        federate_posts()  # queued, the first attempt failed
    set_settings(app, blocked_servers="127.0.0.1")
    fake_server.answer = 202
    with app.app_context():
        db.session.execute(InboxDelivery.__table__.update().values(next_attempt_at=utcnow()))
        db.session.commit()
        deliver_due()
        row = db.session.scalar(select(InboxDelivery).order_by(InboxDelivery.id.desc()))
        assert row.status == DeliveryState.FAILED and row.error == "the server is blocked"
    assert creates(fake_server) == []


def test_a_private_blog_tells_the_fediverse_nothing(client, app, fake_server, blog_key, make_post):
    from blog.models import ReadAccess
    from tests.support.content import set_settings

    fake_server.add_actor("alice")
    follow(client, fake_server, "alice")
    received = len(fake_server.received)
    set_settings(app, who_can_read=ReadAccess.MEMBERS)
    make_post("Family only")
    with app.app_context():
        federate_posts()
    assert len(fake_server.received) == received
    signed_out = app.test_client()
    assert signed_out.get("/.well-known/webfinger?resource=acct:blog@localhost").status_code == 401
    assert signed_out.get("/fediverse/actor").status_code == 401
