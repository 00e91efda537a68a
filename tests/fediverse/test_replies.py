"""Replies from the fediverse become comments held for moderation (whatever the policy), sanitized,
shown under the remote name with links once approved, removed by a Delete; likes and boosts are
counted and shown under the post."""

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Comment, CommentStatus
from tests.fediverse.conftest import BASE, post_activity
from tests.support.accounts import sign_in
from tests.support.content import permalink, set_settings
from tests.support.web import csrf_from


def reply(fake, name: str, post, number: int = 1, content: str = "<p>Lovely <b>post</b>!</p>") -> dict:
    actor = fake.actor_uri(name)
    note = {
        "id": f"{actor}/statuses/{number}",
        "type": "Note",
        "attributedTo": actor,
        "inReplyTo": BASE + permalink(post),
        "url": f"{fake.root}/@{name}/{number}",
        "content": content,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    }
    return {"id": note["id"] + "/activity", "type": "Create", "actor": actor, "object": note}


def comments(app) -> list[Comment]:
    with app.app_context():
        found = list(db.session.scalars(select(Comment)))
        for c in found:
            db.session.expunge(c)
        return found


def test_a_reply_is_held_then_approved_and_shown(client, app, admin, fake_server, make_post):
    set_settings(app, comment_policy="anyone")  # held all the same: a remote author is not a member
    post = make_post("Talk to me")
    fake_server.add_actor("alice")
    evil = '<p>Hi <a href="javascript:alert(1)" onclick="x()">there</a><script>alert(1)</script></p>'
    assert (
        post_activity(
            client, fake_server, "alice", reply(fake_server, "alice", post, content=evil)
        ).status_code
        == 202
    )
    (comment,) = comments(app)
    assert comment.status == CommentStatus.PENDING
    assert "script" not in comment.body_html and "onclick" not in comment.body_html
    assert "javascript" not in comment.body_html
    assert "Alice" not in client.get(permalink(post)).text  # held: not shown yet

    sign_in(client, "admin@example.test")
    queue = client.get("/admin/comments")
    assert "Alice" in queue.text
    answer = client.post(f"/admin/comments/{comment.id}/approve", data={"csrf_token": csrf_from(queue.text)})
    assert answer.status_code in (200, 302, 303)
    client.post("/signout", data={"csrf_token": csrf_from(client.get("/").text)})
    page = client.get(permalink(post)).text
    assert "Alice" in page
    assert f'href="{fake_server.root}/@alice"' in page  # the author's profile
    assert f'href="{fake_server.root}/@alice/1"' in page  # the original


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "BASE_URL": "http://localhost",
            "FEDIVERSE_ALLOW_PRIVATE": True,
            "MAIL_BACKEND": "memory",
            "RATELIMIT_ENABLED": False,
        }
    ],
)
def test_the_owner_hears_of_a_held_reply_once(client, app, admin, fake_server, make_post):
    post = make_post("Talk to me")
    fake_server.add_actor("alice")
    activity = reply(fake_server, "alice", post)
    post_activity(client, fake_server, "alice", activity)
    post_activity(client, fake_server, "alice", activity)  # the same Note again: no second mail
    mails = app.extensions.get("mail_outbox", [])
    assert [m["Subject"] for m in mails] == ["Comment awaiting moderation on “Talk to me”"]
    assert "Lovely post!" in mails[0].get_body(("plain",)).get_content()


def test_the_same_reply_twice_is_one_comment_and_a_delete_removes_it(client, app, fake_server, make_post):
    post = make_post("Talk to me")
    fake_server.add_actor("alice")
    activity = reply(fake_server, "alice", post)
    post_activity(client, fake_server, "alice", activity)
    post_activity(client, fake_server, "alice", activity)
    assert len(comments(app)) == 1
    # Someone else cannot delete it.
    fake_server.add_actor("mallory")
    mallory = fake_server.actor_uri("mallory")
    forged = {"id": mallory + "#d", "type": "Delete", "actor": mallory, "object": activity["object"]["id"]}
    assert post_activity(client, fake_server, "mallory", forged).status_code == 202
    assert len(comments(app)) == 1
    alice = fake_server.actor_uri("alice")
    delete = {
        "id": alice + "#d",
        "type": "Delete",
        "actor": alice,
        "object": {"id": activity["object"]["id"], "type": "Tombstone"},
    }
    assert post_activity(client, fake_server, "alice", delete).status_code == 202
    assert comments(app) == []


def test_a_reply_to_something_else_is_ignored(client, app, fake_server, make_post):
    post = make_post("Talk to me")
    fake_server.add_actor("alice")
    activity = reply(fake_server, "alice", post)
    activity["object"]["inReplyTo"] = "https://elsewhere.example/notes/1"
    assert post_activity(client, fake_server, "alice", activity).status_code == 202
    assert comments(app) == []


def test_likes_and_boosts_are_counted_and_shown(client, app, fake_server, make_post):
    post = make_post("Popular")
    uri = BASE + permalink(post)
    assert "From the fediverse" not in client.get(permalink(post)).text
    for name in ("alice", "bob"):
        actor = fake_server.add_actor(name)
        like = {"id": actor + "#like", "type": "Like", "actor": actor, "object": uri}
        assert post_activity(client, fake_server, name, like).status_code == 202
        post_activity(client, fake_server, name, like)  # again: still one
    boost = {
        "id": fake_server.actor_uri("alice") + "#boost",
        "type": "Announce",
        "actor": fake_server.actor_uri("alice"),
        "object": uri,
    }
    post_activity(client, fake_server, "alice", boost)
    page = client.get(permalink(post)).text
    assert "2 likes" in page and "1 boost" in page
    undo = {
        "id": fake_server.actor_uri("bob") + "#undo",
        "type": "Undo",
        "actor": fake_server.actor_uri("bob"),
        "object": {"id": fake_server.actor_uri("bob") + "#like", "type": "Like"},
    }
    post_activity(client, fake_server, "bob", undo)
    assert "1 like" in client.get(permalink(post)).text
