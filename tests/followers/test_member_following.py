"""A member's "Email me new posts" on the account page: on and off without a confirmation mail for
their proved address, refused for an unconfirmed one, and the next post's mail arrives."""

import re

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.followers.sending import mail_due_posts
from blog.models import Follower
from tests.support.accounts import PASSWORD, make_user, sign_in
from tests.support.web import token_for


@pytest.fixture
def app_config(request, tmp_path):
    return {"MAIL_BACKEND": "memory", "BASE_URL": "http://localhost", "RATELIMIT_ENABLED": False}


def outbox(app) -> list:
    return app.extensions.setdefault("mail_outbox", [])


def follower_of(app, email: str) -> tuple | None:
    with app.app_context():
        row = db.session.execute(
            select(Follower.status, Follower.user_id).where(Follower.email == email)
        ).first()
        return tuple(row) if row else None


def checkbox(client) -> str:
    return re.search(r'<input[^>]*name="following"[^>]*>', client.get("/account").text).group(0)


def switch(client, on: bool):
    data = {"csrf_token": token_for(client, "/account")} | ({"following": "y"} if on else {})
    return client.post("/account/following", data=data)


def test_a_member_switches_it_on_and_off_without_a_confirmation_mail(app, client, member):
    sign_in(client, member.email)
    page = client.get("/account").text
    assert 'action="/account/following"' in page and "Email me new posts" in page
    assert "checked" not in checkbox(client)
    assert switch(client, False).status_code == 302  # off while off: no address is kept
    assert follower_of(app, member.email) is None
    response = switch(client, True)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert follower_of(app, member.email) == ("confirmed", member.id)
    assert outbox(app) == []  # the address is proved: nothing to confirm
    assert "New posts will be emailed to you." in client.get("/account").text
    assert "checked" in checkbox(client)
    response = switch(client, False)
    assert response.status_code == 302
    assert follower_of(app, member.email) == ("unsubscribed", member.id)
    assert "New posts will not be emailed to you." in client.get("/account").text


def test_without_a_token_nothing_changes(app, client, member):
    sign_in(client, member.email)
    response = client.post("/account/following", data={"following": "y"})
    assert response.status_code == 400
    assert follower_of(app, member.email) is None


def test_signed_out_people_are_sent_to_sign_in(app, client):
    data = {"following": "y", "csrf_token": token_for(client)}
    response = client.post("/account/following", data=data)
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_an_unconfirmed_address_cannot_follow(app, client):
    reader = make_user(app, "new@example.test", "Nia New", "reader")  # signed up, link not followed
    sign_in(client, reader.email)
    page = client.get("/account").text
    assert "Confirm your email address first" in page
    response = switch(client, True)
    assert response.status_code == 409
    assert "Confirm your email address first: follow the link we sent you." in response.text
    assert follower_of(app, reader.email) is None


def test_the_next_post_is_mailed_to_the_member(app, client, member, make_post):
    sign_in(client, member.email)
    assert switch(client, True).status_code == 302
    make_post("Fresh news", body="What happened.")
    with app.app_context():
        mail_due_posts()
    [mail] = outbox(app)
    assert mail["Subject"] == "Fresh news" and mail["To"] == member.email
    assert switch(client, False).status_code == 302
    make_post("More news")
    with app.app_context():
        mail_due_posts()
    assert len(outbox(app)) == 1


def delete_own_account(client) -> None:
    data = {"csrf_token": token_for(client, "/account/delete"), "password": PASSWORD, "confirm": "y"}
    response = client.post("/account/delete", data=data)
    assert response.status_code == 302, response.text[:500]


def remove_by_admin(app, member) -> None:
    admin_client = app.test_client()
    sign_in(admin_client, make_user(app, "boss@example.test", "Boss", "admin").email)
    data = {"csrf_token": token_for(admin_client, f"/admin/members/{member.id}"), "confirm": "y"}
    response = admin_client.post(f"/admin/members/{member.id}/remove", data=data)
    assert response.status_code == 302, response.text[:500]


@pytest.mark.parametrize("how", ["by themselves", "by an admin"])
def test_a_deleted_account_follows_no_more(app, client, member, make_post, how):
    """Following ends with the account, the box's row for the same address too: no post reaches
    a person who deleted their account, and their address is not kept."""
    sign_in(client, member.email)
    assert switch(client, True).status_code == 302
    assert follower_of(app, member.email) == ("confirmed", member.id)
    if how == "by themselves":
        delete_own_account(client)
    else:
        remove_by_admin(app, member)
    assert follower_of(app, member.email) is None
    make_post("After they left")
    with app.app_context():
        mail_due_posts()
    assert outbox(app) == []
