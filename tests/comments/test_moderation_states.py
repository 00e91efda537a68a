"""Moderation as a state machine: every move allowed from the states in blog/comments/states.py and
refused (409, nothing changed) from every other; only an admin brings back what an admin or a ban
took off the blog; a comment's writer and a post's author cannot republish it."""

import re

import pytest
from sqlalchemy import update

from blog.comments.states import TRANSITIONS, Move
from blog.extensions import db
from blog.models import Comment
from tests.support.accounts import sign_in
from tests.support.comments import add_comment, status_of
from tests.support.web import HTMX, token_for

STATUSES = ["pending", "published", "spam", "removed"]
ACTIONS = {
    "approve": ("published", Move.APPROVE),
    "spam": ("spam", Move.SPAM),
    "delete": ("removed", Move.REMOVE),
}


def set_hidden_by(app, comment_id: int, who: str | None) -> None:
    with app.app_context():
        db.session.execute(update(Comment).where(Comment.id == comment_id).values(hidden_by=who))
        db.session.commit()


def act(client, token, comment_id, action, htmx=True):
    return client.post(
        f"/admin/comments/{comment_id}/{action}",
        headers=HTMX if htmx else {},
        data={"csrf_token": token, "status": "pending"},
    )


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
@pytest.mark.parametrize("start", STATUSES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_move_is_allowed_only_from_its_states(
    app, client, admin, member, make_post, action, start, htmx
):
    post = make_post("A post")
    comment = add_comment(app, post, member, "Some words", status=start)
    set_hidden_by(app, comment, "admin" if start in ("spam", "removed") else None)
    sign_in(client, admin.email)
    token = token_for(client, "/admin/comments")
    target, move = ACTIONS[action]
    response = act(client, token, comment, action, htmx)
    if start in TRANSITIONS[move]:
        assert response.status_code == (200 if htmx else 302)
        assert status_of(app, comment) == target
    else:
        assert response.status_code == 409
        expected = "already" if start == target else "cannot be"
        assert expected in response.text
        assert status_of(app, comment) == start


def test_the_table_says_what_the_queue_offers(app):
    # Approve from pending or spam; spam from pending or published; remove from all but removed.
    assert set(TRANSITIONS[Move.APPROVE]) == {"pending", "spam"}
    assert set(TRANSITIONS[Move.SPAM]) == {"pending", "published"}
    assert set(TRANSITIONS[Move.REMOVE]) == {"pending", "published", "spam"}


@pytest.mark.parametrize("action", ["approve", "delete"])
def test_a_posts_author_cannot_bring_back_what_an_admin_marked_as_spam(
    app, client, admin, author, member, make_post, action
):
    post = make_post("Author's post", author=author)
    comment = add_comment(app, post, member, "Spam says the admin", status="pending")
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    assert act(admin_client, token_for(admin_client, "/admin/comments"), comment, "spam").status_code == 200

    sign_in(client, author.email)
    response = act(client, token_for(client, "/admin/comments"), comment, action)
    assert response.status_code == 403
    assert "Only an admin can bring back" in response.text
    assert status_of(app, comment) == "spam"
    # The admin can.
    assert (
        act(admin_client, token_for(admin_client, "/admin/comments"), comment, "approve").status_code == 200
    )
    assert status_of(app, comment) == "published"


def test_a_posts_author_undoes_and_approves_their_own_spam_marks(app, client, author, member, make_post):
    post = make_post("Author's post", author=author)
    comment = add_comment(app, post, member, "Borderline", status="pending")
    sign_in(client, author.email)
    token = token_for(client, "/admin/comments")
    marked = act(client, token, comment, "spam")
    assert marked.status_code == 200 and status_of(app, comment) == "spam"
    undo_token = re.search(r'name="token" value="([^"]+)"', marked.text).group(1)
    undone = client.post(
        "/admin/comments/undo", headers=HTMX, data={"csrf_token": token, "token": undo_token}
    )
    assert undone.status_code == 200 and status_of(app, comment) == "pending"
    assert act(client, token, comment, "spam").status_code == 200
    assert act(client, token, comment, "approve").status_code == 200
    assert status_of(app, comment) == "published"


def test_undo_cannot_launder_an_admins_decision(app, client, admin, author, member, make_post):
    """The author marks a comment as spam, the admin then deletes it: the author's undo restores nothing."""
    post = make_post("Author's post", author=author)
    comment = add_comment(app, post, member, "Contested", status="published")
    sign_in(client, author.email)
    token = token_for(client, "/admin/comments")
    marked = act(client, token, comment, "spam")
    undo_token = re.search(r'name="token" value="([^"]+)"', marked.text).group(1)
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    admin_token = token_for(admin_client, "/admin/comments")
    assert act(admin_client, admin_token, comment, "delete").status_code == 200
    undone = client.post(
        "/admin/comments/undo", headers=HTMX, data={"csrf_token": token, "token": undo_token}
    )
    assert undone.status_code == 409
    assert status_of(app, comment) == "removed"


def ban_with_hidden_comments(app, client, admin, member):
    sign_in(client, admin.email)
    token = token_for(client, f"/admin/members/{member.id}")
    response = client.post(
        f"/admin/members/{member.id}/ban",
        data={"csrf_token": token, "reason": "Trolling", "hide_comments": "y", "confirm": "y"},
    )
    assert response.status_code == 302, response.text
    return token


def test_what_a_ban_hid_comes_back_only_when_an_admin_lifts_the_ban(
    app, client, admin, author, member, make_post
):
    post = make_post("Author's post", author=author)
    comment = add_comment(app, post, member, "Before the ban", status="published")
    admin_token = ban_with_hidden_comments(app, client, admin, member)
    assert status_of(app, comment) == "removed"

    moderator = app.test_client()
    sign_in(moderator, author.email)
    token = token_for(moderator, "/admin/comments")
    for action in ("approve", "spam", "delete"):
        response = act(moderator, token, comment, action)
        assert response.status_code == 409, action
        assert status_of(app, comment) == "removed"
    # An admin can't approve it either: it comes back when the ban is lifted.
    assert act(client, admin_token, comment, "approve").status_code == 409

    with app.app_context():
        from blog.comments.bans import bans_of
        from blog.models import User

        ban_id = bans_of(db.session.get(User, member.id))[0].id
    lifted = client.post(f"/admin/members/{member.id}/bans/{ban_id}/lift", data={"csrf_token": admin_token})
    assert lifted.status_code == 302
    assert status_of(app, comment) == "published"


def test_lifting_a_ban_leaves_what_someone_else_removed_since(app, client, admin, member, make_post):
    post = make_post("A post")
    comment = add_comment(app, post, member, "Hidden by the ban", status="published")
    admin_token = ban_with_hidden_comments(app, client, admin, member)
    set_hidden_by(app, comment, "admin")  # e.g. an older removal by an admin that the ban found
    with app.app_context():
        from blog.comments.bans import bans_of
        from blog.models import User

        ban_id = bans_of(db.session.get(User, member.id))[0].id
    client.post(f"/admin/members/{member.id}/bans/{ban_id}/lift", data={"csrf_token": admin_token})
    assert status_of(app, comment) == "removed"


def test_the_writer_cannot_republish_by_editing_or_deleting(app, client, admin, member, make_post):
    post = make_post("A post")
    comment = add_comment(app, post, member, "Removed by the admin", status="published")
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    assert act(admin_client, token_for(admin_client, "/admin/comments"), comment, "delete").status_code == 200

    sign_in(client, member.email)
    token = token_for(client)
    for htmx in ({}, HTMX):
        edited = client.post(
            f"/comments/{comment}/edit", headers=htmx, data={"csrf_token": token, "body": "I'm back"}
        )
        assert edited.status_code == 403
        deleted = client.post(f"/comments/{comment}/delete", headers=htmx, data={"csrf_token": token})
        assert deleted.status_code == 403
    with app.app_context():
        stored = db.session.get(Comment, comment)
        assert (stored.status, stored.body_source) == ("removed", "Removed by the admin")


def test_a_placeholder_its_writer_left_cannot_be_brought_back(app, client, admin, member, make_post):
    post = make_post("A post")
    parent = add_comment(app, post, member, "Taking this back", status="published")
    add_comment(app, post, admin, "A reply", status="published", parent_id=parent)
    sign_in(client, member.email)
    deleted = client.post(f"/comments/{parent}/delete", data={"csrf_token": token_for(client)})
    assert deleted.status_code == 303 and status_of(app, parent) == "removed"

    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    token = token_for(admin_client, "/admin/comments")
    for action in ("approve", "spam", "delete"):
        assert act(admin_client, token, parent, action).status_code == 409
    assert status_of(app, parent) == "removed"


def test_a_bulk_action_with_one_refused_comment_changes_nothing(app, client, admin, member, make_post):
    post = make_post("A post")
    pending = add_comment(app, post, member, "Waiting", status="pending")
    published = add_comment(app, post, member, "Out already", status="published")
    sign_in(client, admin.email)
    token = token_for(client, "/admin/comments")
    for headers in ({}, HTMX):
        response = client.post(
            "/admin/comments/bulk",
            headers=headers,
            data={"csrf_token": token, "action": "approve", "ids": [pending, published], "status": "pending"},
        )
        assert response.status_code == 409
        assert "This comment is already published." in response.text
    assert [status_of(app, pending), status_of(app, published)] == ["pending", "published"]
