"""The inbox against a real fake server: a Follow answered by a signed Accept, Undo, and every kind
of refused signature (401, nothing changed), blocked servers (403) and key rotation."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tests.fediverse.conftest import ACTOR, INBOX, follow, follower_uris, post_activity
from tests.support.content import set_settings


def test_a_follow_is_answered_by_a_signed_accept(client, app, fake_server, blog_key):
    alice = fake_server.add_actor("alice")
    sent = follow(client, fake_server, "alice")
    assert follower_uris(app) == [alice]
    accept = fake_server.wait_for(1, "Accept")[0]
    received = fake_server.received[0]
    assert received["path"] == "/users/alice/inbox"
    assert received["verified"], "the fake server could not verify the Accept's signature"
    assert accept["actor"] == ACTOR and accept["object"]["id"] == sent["id"]
    assert client.get("/fediverse/followers").json["totalItems"] == 1


def test_undo_ends_the_follow(client, app, fake_server, blog_key):
    alice = fake_server.add_actor("alice")
    sent = follow(client, fake_server, "alice")
    undo = {"id": alice + "#undo/1", "type": "Undo", "actor": alice, "object": sent}
    assert post_activity(client, fake_server, "alice", undo).status_code == 202
    assert follower_uris(app) == []


def follow_activity(fake, name):
    return {
        "id": f"{fake.actor_uri(name)}#f",
        "type": "Follow",
        "actor": fake.actor_uri(name),
        "object": ACTOR,
    }


def test_unsigned_requests_get_401(client, app, fake_server):
    fake_server.add_actor("alice")
    body, headers = fake_server.sign("alice", INBOX, follow_activity(fake_server, "alice"))
    del headers["Signature"]
    assert client.post("/fediverse/inbox", data=body, headers=headers).status_code == 401
    assert follower_uris(app) == []


def test_a_signature_by_the_wrong_key_gets_401(client, app, fake_server):
    fake_server.add_actor("alice")
    body, headers = fake_server.sign("alice", INBOX, follow_activity(fake_server, "alice"))
    fake_server.keys["alice"] = __import__("tests.support.fediverse", fromlist=["new_key"]).new_key()
    # The server now shows another key for alice: the signature was not made by it.
    assert client.post("/fediverse/inbox", data=body, headers=headers).status_code == 401
    assert follower_uris(app) == []


def test_a_digest_mismatch_gets_401(client, app, fake_server):
    fake_server.add_actor("alice")
    body, headers = fake_server.sign("alice", INBOX, follow_activity(fake_server, "alice"))
    tampered = body.replace(b"Follow", b"Follow ", 1)
    assert client.post("/fediverse/inbox", data=tampered, headers=headers).status_code == 401
    assert follower_uris(app) == []


def test_a_stale_date_gets_401(client, app, fake_server):
    fake_server.add_actor("alice")
    stale = format_datetime(datetime.now(UTC) - timedelta(hours=1, minutes=5), usegmt=True)
    response = post_activity(client, fake_server, "alice", follow_activity(fake_server, "alice"), date=stale)
    assert response.status_code == 401
    assert follower_uris(app) == []


def test_a_good_signature_by_another_actor_gets_401(client, app, fake_server):
    fake_server.add_actor("alice")
    fake_server.add_actor("mallory")
    # Signed by mallory's own key, correctly: but the Follow claims to be alice's.
    response = post_activity(
        client, fake_server, "alice", follow_activity(fake_server, "alice"), key_name="mallory"
    )
    assert response.status_code == 401
    assert follower_uris(app) == []


def test_a_rotated_key_is_fetched_again(client, app, fake_server, blog_key):
    from tests.support.fediverse import new_key

    alice = fake_server.add_actor("alice")
    follow(client, fake_server, "alice")  # alice's key is now cached
    fake_server.keys["alice"] = new_key()  # rotated on her server
    sent = follow_activity(fake_server, "alice")
    undo = {"id": alice + "#undo/2", "type": "Undo", "actor": alice, "object": sent}
    assert post_activity(client, fake_server, "alice", undo).status_code == 202
    assert follower_uris(app) == []


def test_a_blocked_server_gets_403_and_its_follower_is_dropped(client, app, fake_server, blog_key):
    alice = fake_server.add_actor("alice")
    follow(client, fake_server, "alice")
    fake_server.wait_for(1, "Accept")
    set_settings(app, blocked_servers="example.org\n127.0.0.1\n")
    response = post_activity(client, fake_server, "alice", follow_activity(fake_server, "alice"))
    assert response.status_code == 403
    assert follower_uris(app) == []
    # Nothing but a Reject of that Follow goes to it.
    reject = fake_server.wait_for(1, "Reject")[0]
    assert reject["object"]["actor"] == alice
    assert [a["type"] for a in fake_server.activities()] == ["Accept", "Reject"]


def test_too_large_or_not_an_activity(client, fake_server):
    assert (
        client.post(
            "/fediverse/inbox", data=b"not json", headers={"Content-Type": "application/activity+json"}
        ).status_code
        == 400
    )
    big = b'{"type": "Note", "content": "' + b"x" * (300 * 1024) + b'"}'
    assert client.post("/fediverse/inbox", data=big).status_code == 413


def test_a_deleted_account_stops_following(client, app, fake_server, blog_key):
    alice = fake_server.add_actor("alice")
    follow(client, fake_server, "alice")
    gone = {"id": alice + "#delete", "type": "Delete", "actor": alice, "object": alice}
    assert post_activity(client, fake_server, "alice", gone).status_code == 202
    assert follower_uris(app) == []


def test_the_signature_may_come_in_the_authorization_header(client, app, fake_server, blog_key):
    alice = fake_server.add_actor("alice")
    body, headers = fake_server.sign("alice", INBOX, follow_activity(fake_server, "alice"))
    headers["Authorization"] = "Signature " + headers.pop("Signature")
    assert client.post("/fediverse/inbox", data=body, headers=headers).status_code == 202
    assert follower_uris(app) == [alice]


def test_an_unknown_deleted_account_is_acknowledged_without_a_fetch(client, app, fake_server):
    gone = fake_server.actor_uri("ghost")
    body, headers = fake_server.sign_raw(
        {"id": gone + "#delete", "type": "Delete", "actor": gone, "object": gone}
    )
    assert client.post("/fediverse/inbox", data=body, headers=headers).status_code == 202
    assert fake_server.fetches == []


def test_a_profile_update_refreshes_the_follower_shown(client, app, fake_server, blog_key):
    from sqlalchemy import select

    from blog.extensions import db
    from blog.models import RemoteActor

    alice = fake_server.add_actor("alice")
    follow(client, fake_server, "alice")
    profile = fake_server.actor_document("alice") | {"name": "Alice Renamed"}
    update = {"id": alice + "#update", "type": "Update", "actor": alice, "object": profile}
    assert post_activity(client, fake_server, "alice", update).status_code == 202
    with app.app_context():
        assert db.session.scalar(select(RemoteActor.name).where(RemoteActor.uri == alice)) == "Alice Renamed"
