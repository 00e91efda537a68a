"""Members and staff: the list and search, roles (a demotion ends sessions), bans, removal, invitation
links; admins only, with a fresh sign-in."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from blog.comments.bans import active_ban, ban_message
from blog.extensions import db
from blog.models import Ban, Invitation, User, utcnow
from blog.web import dates
from tests.support.accounts import make_user, sign_in
from tests.support.admin import audit_actions
from tests.support.comments import add_comment, status_of
from tests.support.web import HTMX, token_for


@pytest.fixture
def admin_client(client, admin, member, author):
    sign_in(client, "admin@example.test")
    client.csrf = token_for(client, "/admin/members")
    return client


def send(client, url: str, headers=None, **fields):
    """POST the fields with the client's CSRF token."""
    return client.post(url, data={"csrf_token": client.csrf, **fields}, headers=headers or {})


def user_row(app, user_id: int) -> User | None:
    with app.app_context():
        user = db.session.get(User, user_id)
        if user is not None:
            db.session.expunge(user)
        return user


def invitation(app, admin_id: int) -> int:
    from blog.accounts.invitations import create_invitation

    with app.app_context():
        invite, _ = create_invitation(db.session.get(User, admin_id))
        db.session.commit()
        return invite.id


ENDPOINTS = [
    ("get", "/admin/members"),
    ("get", "/admin/members?q=max"),
    ("get", "/admin/members/{member}"),
    ("post", "/admin/members/{member}/role"),
    ("post", "/admin/members/{member}/ban"),
    ("post", "/admin/members/{member}/bans/{ban}/lift"),
    ("post", "/admin/members/{member}/remove"),
    ("post", "/admin/invitations"),
    ("post", "/admin/invitations/{invitation}/revoke"),
]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize("who", ["anonymous", "member", "author"])
def test_only_admins_reach_the_members_screens(app, client, admin, member, author, who, headers):
    with app.app_context():
        ban = Ban(user_id=member.id, reason="Rude", created_by_id=admin.id)
        db.session.add(ban)
        db.session.commit()
        ban_id = ban.id
    ids = {"member": member.id, "ban": ban_id, "invitation": invitation(app, admin.id)}
    if who != "anonymous":
        sign_in(client, f"{who}@example.test")
    token = token_for(client)
    for method, url in ENDPOINTS:
        data = {
            "csrf_token": token,
            "role": "admin",
            "reason": "x",
            "confirm": "y",
            "days": "3",
            "max_uses": "2",
        }
        response = getattr(client, method)(
            url.format(**ids), headers=headers, **({"data": data} if method == "post" else {})
        )
        assert "member@example.test" not in response.text and 'id="invitations"' not in response.text
        if who == "anonymous":
            expected = 401 if headers else 302
            assert response.status_code == expected, (url, response.status_code)
        else:
            assert response.status_code == 403, (url, response.status_code)
    assert user_row(app, member.id).role == "member"
    with app.app_context():
        assert db.session.get(Ban, ids["ban"]).lifted_at is None
        assert db.session.scalar(select(db.func.count()).select_from(Invitation)) == 1
        assert db.session.get(Invitation, ids["invitation"]).revoked_at is None


def test_list_shows_members_and_staff_and_searches_by_name_or_email(app, admin_client):
    for n in range(3):
        make_user(app, f"reader{n}@elsewhere.test", f"Zed Reader {n}", "reader")
    page = admin_client.get("/admin/members")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    for name in ("Ada Admin", "Ann Author", "Max Member", "Zed Reader 2"):
        assert name in page.text
    assert 'id="invitations"' in page.text

    found = admin_client.get("/admin/members?q=ELSEWHERE", headers=HTMX)
    assert "<html" not in found.text and 'id="member-list"' in found.text
    assert "HX-Request" in found.headers["Vary"]
    assert found.text.count("Zed Reader") == 3 and "Max Member" not in found.text
    assert "Ann Author" in admin_client.get("/admin/members?q=ann").text
    nobody = admin_client.get("/admin/members?q=100%25_")
    assert "Nobody matches" in nobody.text  # % and _ are taken literally


def test_members_list_is_paginated(app, admin_client):
    for n in range(55):
        make_user(app, f"m{n:02}@example.test", f"Member {n:02}")
    first = admin_client.get("/admin/members").text
    assert "Page 1 of 2" in first and "Next page" in first
    second = admin_client.get("/admin/members?page=2").text
    assert "Member 54" in second and "Member 00" not in second


def test_demotion_ends_every_session_of_the_person(app, admin_client, author):
    author_client = app.test_client()
    sign_in(author_client, "author@example.test")
    assert author_client.get("/admin/").status_code == 200

    response = admin_client.post(
        f"/admin/members/{author.id}/role", data={"csrf_token": admin_client.csrf, "role": "member"}
    )
    assert response.status_code == 302
    assert user_row(app, author.id).role == "member"
    followed = admin_client.get(response.headers["Location"])
    assert "signed out everywhere" in followed.text
    # The author's browser is signed out: the admin area sends them to sign in.
    refused = author_client.get("/admin/")
    assert refused.status_code == 302 and "/signin" in refused.headers["Location"]
    assert audit_actions(app)[-1] == "member.role"


def test_promotion_keeps_sessions(app, admin_client, member):
    member_client = app.test_client()
    sign_in(member_client, "member@example.test")
    send(admin_client, f"/admin/members/{member.id}/role", role="author")
    assert user_row(app, member.id).role == "author"
    assert member_client.get("/admin/").status_code == 200


def test_role_form_refuses_bad_roles_and_changing_your_own(app, admin_client, admin, member):
    bad = send(admin_client, f"/admin/members/{member.id}/role", role="god")
    assert bad.status_code == 422 and "Not a valid choice" in bad.text
    own = send(admin_client, f"/admin/members/{admin.id}/role", role="member")
    assert own.status_code == 422
    assert user_row(app, admin.id).role == "admin" and user_row(app, member.id).role == "member"
    assert admin_client.post(f"/admin/members/{member.id}/role", data={"role": "admin"}).status_code == 400
    assert send(admin_client, "/admin/members/9999/role").status_code == 404


def test_ban_with_reason_and_end_hides_comments_and_lifting_gives_them_back(
    app, admin_client, member, make_post
):
    post = make_post("Talk")
    shown = add_comment(app, post, member, "Visible", status="published")
    held = add_comment(app, post, member, "Held", status="pending")
    spam = add_comment(app, post, member, "Spammy", status="spam")
    member_client = app.test_client()
    sign_in(member_client, "member@example.test")
    with app.app_context():
        tomorrow_plus = (dates.to_local(utcnow()) + timedelta(days=3)).date()

    response = send(
        admin_client,
        f"/admin/members/{member.id}/ban",
        reason="Insults <b>again</b>",
        ends_on=tomorrow_plus.isoformat(),
        hide_comments="y",
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, member.id)
        ban = active_ban(user)
        assert ban is not None and ban.reason == "Insults <b>again</b>" and ban.hide_comments
        assert ban.ends_at > utcnow() + timedelta(days=1)
        assert "Insults <b>again</b>" in ban_message(ban)
    assert [status_of(app, c) for c in (shown, held, spam)] == ["removed", "removed", "spam"]
    # A ban takes rights away, so it ends the person's sessions too.
    assert member_client.get("/admin/comments").status_code == 302
    page = admin_client.get(f"/admin/members/{member.id}").text
    assert "Insults &lt;b&gt;again&lt;/b&gt;" in page and "Lift the ban" in page
    assert "Banned" in admin_client.get("/admin/members").text

    again = send(admin_client, f"/admin/members/{member.id}/ban", reason="Twice")
    assert again.status_code == 422 and "already banned" in again.text

    with app.app_context():
        ban_id = active_ban(db.session.get(User, member.id)).id
    lifted = send(admin_client, f"/admin/members/{member.id}/bans/{ban_id}/lift")
    assert lifted.status_code == 302
    assert [status_of(app, c) for c in (shown, held, spam)] == ["published", "pending", "spam"]
    with app.app_context():
        assert active_ban(db.session.get(User, member.id)) is None
    assert audit_actions(app)[-2:] == ["member.ban", "member.unban"]


def test_ban_form_is_validated_and_kept(app, admin_client, member, admin):
    empty = admin_client.post(
        f"/admin/members/{member.id}/ban",
        data={"csrf_token": admin_client.csrf, "reason": "  ", "ends_on": "2001-01-01"},
    )
    assert empty.status_code == 422
    assert "This field is required." in empty.text
    past = admin_client.post(
        f"/admin/members/{member.id}/ban",
        data={"csrf_token": admin_client.csrf, "reason": "Spam links", "ends_on": "2001-01-01"},
    )
    assert past.status_code == 422 and "Choose a day after today" in past.text
    assert "Spam links" in past.text and 'value="2001-01-01"' in past.text  # the form is kept
    garbage = admin_client.post(
        f"/admin/members/{member.id}/ban",
        data={"csrf_token": admin_client.csrf, "reason": "x", "ends_on": "soon"},
    )
    assert garbage.status_code == 422
    self_ban = send(admin_client, f"/admin/members/{admin.id}/ban", reason="x")
    assert self_ban.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Ban)) == 0


def test_a_ban_without_end_lasts_and_an_ended_one_is_over(app, admin_client, member):
    send(admin_client, f"/admin/members/{member.id}/ban", reason="Trolling")
    with app.app_context():
        ban = active_ban(db.session.get(User, member.id))
        assert ban is not None and ban.ends_at is None
        ban.ends_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        assert active_ban(db.session.get(User, member.id)) is None


def test_removing_a_member_removes_their_comments(app, admin_client, member, make_post):
    post = make_post("Talk")
    comment = add_comment(app, post, member, "Bye", status="published")
    unconfirmed = send(admin_client, f"/admin/members/{member.id}/remove")
    assert unconfirmed.status_code == 422 and "Tick the box to confirm." in unconfirmed.text
    assert user_row(app, member.id) is not None

    done = send(admin_client, f"/admin/members/{member.id}/remove", confirm="y")
    assert done.status_code == 302
    assert user_row(app, member.id) is None
    assert status_of(app, comment) == "removed"
    assert audit_actions(app)[-1] == "member.remove"
    assert admin_client.get(f"/admin/members/{member.id}").status_code == 404


def test_admins_cannot_remove_themselves(app, admin_client, admin):
    response = send(admin_client, f"/admin/members/{admin.id}/remove", confirm="y")
    assert response.status_code == 403
    assert user_row(app, admin.id) is not None


def test_invitation_links_are_created_shown_once_and_revoked(app, admin_client):
    response = admin_client.post(
        "/admin/invitations",
        headers=HTMX,
        data={"csrf_token": admin_client.csrf, "note": "For Bea", "days": "7", "max_uses": "3"},
    )
    assert response.status_code == 200 and "<html" not in response.text
    link = re.search(r'id="new-invitation-link" value="([^"]+)"', response.text).group(1)
    assert "/join/" in link and "data-copy" in response.text
    with app.app_context():
        invite = db.session.scalar(select(Invitation))
        assert invite.max_uses == 3 and invite.note == "For Bea"
        assert timedelta(days=6, hours=23) < invite.expires_at - invite.created_at <= timedelta(days=7)
        invite_id = invite.id
    assert admin_client.get(link).status_code == 200  # the join page knows the link

    # Without JavaScript: a redirect, and the page shows the new link once.
    plain = send(admin_client, "/admin/invitations", days="30", max_uses="1")
    assert plain.status_code == 302
    page = admin_client.get("/admin/members").text
    assert 'id="new-invitation-link"' in page
    assert 'id="new-invitation-link"' not in admin_client.get("/admin/members").text

    revoked = admin_client.post(
        f"/admin/invitations/{invite_id}/revoke", headers=HTMX, data={"csrf_token": admin_client.csrf}
    )
    assert revoked.status_code == 200 and "Revoked" in revoked.text
    with app.app_context():
        assert db.session.get(Invitation, invite_id).revoked_at is not None
    assert audit_actions(app)[-3:] == ["invitation.create", "invitation.create", "invitation.revoke"]


@pytest.mark.parametrize("days, uses", [("0", "1"), ("400", "1"), ("7", "0"), ("x", "1")])
def test_invitation_form_is_validated(app, admin_client, days, uses):
    response = admin_client.post(
        "/admin/invitations",
        headers=HTMX,
        data={"csrf_token": admin_client.csrf, "days": days, "max_uses": uses, "note": "Kept"},
    )
    assert response.status_code == 422
    assert 'class="error"' in response.text and 'value="Kept"' in response.text
    plain = send(admin_client, "/admin/invitations", days=days, max_uses=uses, note="Kept")
    assert plain.status_code == 422 and "<html" in plain.text and 'id="member-list"' in plain.text
    assert 'class="error"' in plain.text and 'value="Kept"' in plain.text
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Invitation)) == 0


def test_a_remembered_session_must_sign_in_again(app, client, admin, member):
    sign_in(client, "admin@example.test", remember="y")
    client.delete_cookie("session")  # the browser was closed; "remember me" brings the admin back
    assert client.get("/admin/").status_code == 200  # still signed in, for everyday work
    page = client.get("/admin/members")
    assert page.status_code == 302 and page.headers["Location"] == "/signin?next=%2Fadmin%2Fmembers"
    token = token_for(client, "/admin/comments")
    stale = client.post(
        f"/admin/members/{member.id}/role",
        data={"csrf_token": token, "role": "admin"},
        headers={"Referer": f"http://localhost/admin/members/{member.id}"},
    )
    assert stale.status_code == 302
    assert stale.headers["Location"] == f"/signin?next=/admin/members/{member.id}"
    fragment = client.get("/admin/members?q=x", headers=HTMX)
    assert fragment.status_code == 401 and fragment.headers["HX-Redirect"].startswith("/signin")
    assert user_row(app, member.id).role == "member"

    sign_in(client, "admin@example.test")
    assert client.get("/admin/members").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/members/{member}/role",
        "/admin/members/{member}/ban",
        "/admin/members/{member}/bans/{ban}/lift",
        "/admin/members/{member}/remove",
        "/admin/invitations",
        "/admin/invitations/{invitation}/revoke",
    ],
)
def test_member_actions_without_csrf_token_are_refused(app, admin_client, admin, member, url):
    with app.app_context():
        ban = Ban(user_id=member.id, reason="Rude", created_by_id=admin.id)
        db.session.add(ban)
        db.session.commit()
        ban_id = ban.id
    ids = {"member": member.id, "ban": ban_id, "invitation": invitation(app, admin.id)}
    data = {"role": "admin", "reason": "x", "confirm": "y", "days": "3", "max_uses": "2"}
    for headers in ({}, HTMX):
        assert admin_client.post(url.format(**ids), data=data, headers=headers).status_code == 400
    assert user_row(app, member.id).role == "member"
    with app.app_context():
        assert db.session.get(Ban, ban_id).lifted_at is None
        assert db.session.scalar(select(db.func.count()).select_from(Invitation)) == 1
