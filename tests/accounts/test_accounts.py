"""Accounts: password change and reset, the account page, deleting an account, first-run setup,
invitations and open sign-up, and CSRF on every form of the accounts area."""

import re
from datetime import timedelta

from sqlalchemy import select, update

from blog.accounts.invitations import create_invitation
from blog.accounts.setup import setup_url
from blog.extensions import db
from blog.models import (
    AccountToken,
    BlogSettings,
    Comment,
    CommentStatus,
    Invitation,
    Role,
    TokenPurpose,
    User,
    utcnow,
)
from blog.site_settings import ensure_settings
from tests.support.accounts import PASSWORD, is_signed_in, make_user, sign_in
from tests.support.mail import link_in, outbox
from tests.support.web import csrf_from

NEW_PASSWORD = "a brand new passphrase"


def submit(client, url, data, page=None):
    """GET the form page (for its CSRF token), then POST data to url."""
    html = client.get(page or url).text
    return client.post(url, data={**data, "csrf_token": csrf_from(html)})


def user_by_email(app, email) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


# --- password change ------------------------------------------------------------------------------


def test_change_password_needs_the_current_password(app, client, member):
    sign_in(client)
    response = submit(client, "/account/password", {"current_password": "wrong", "password": NEW_PASSWORD})
    assert response.status_code == 422
    assert "That is not your current password." in response.text
    assert NEW_PASSWORD not in response.text
    assert user_by_email(app, member.email).check_password(PASSWORD)


def test_new_password_needs_eight_characters_and_says_so(app, client, member):
    sign_in(client)
    page = client.get("/account/password")
    assert "At least 8 characters" in page.text
    response = submit(client, "/account/password", {"current_password": PASSWORD, "password": "short12"})
    assert response.status_code == 422
    assert "Use between 8 and 1024 characters." in response.text
    response = submit(client, "/account/password", {"current_password": PASSWORD, "password": "x" * 1025})
    assert response.status_code == 422
    assert user_by_email(app, member.email).check_password(PASSWORD)


def test_change_password_signs_out_other_devices_only(app, member):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop)
    sign_in(phone)
    response = submit(
        laptop,
        "/account/password",
        {"current_password": PASSWORD, "password": "😀 long passphrase with spaces"},
    )
    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert user_by_email(app, member.email).check_password("😀 long passphrase with spaces")


# --- forgotten password ---------------------------------------------------------------------------


def request_reset(client, email):
    return submit(client, "/password/forgot", {"email": email})


def test_reset_request_answers_the_same_for_known_and_unknown_emails(app, client, member):
    known = request_reset(client, "member@example.test")
    unknown = request_reset(client, "nobody@example.test")
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert "member@example.test" not in known.text
    assert [m["To"] for m in outbox(app)] == ["member@example.test"]


def test_reset_link_sets_a_new_password_once_and_signs_out_everywhere(app, client, member):
    other = app.test_client()
    sign_in(other)
    request_reset(client, "MEMBER@example.test ")
    link = link_in(outbox(app)[-1], "/password/reset/")
    with app.app_context():
        stored = db.session.scalars(select(AccountToken.token_hash)).all()
    assert link.rsplit("/", 1)[1] not in stored, "tokens are stored hashed"
    page = client.get(link)
    assert page.status_code == 200 and "At least 8 characters" in page.text
    response = submit(client, link, {"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert user_by_email(app, member.email).check_password(NEW_PASSWORD)
    assert not is_signed_in(other)
    assert client.get(link).status_code == 404
    response = client.post(link, data={"password": "another password", "csrf_token": csrf_from(page.text)})
    assert response.status_code == 404
    assert user_by_email(app, member.email).check_password(NEW_PASSWORD)


def test_reset_link_expires_after_30_minutes(app, client, member):
    request_reset(client, member.email)
    link = link_in(outbox(app)[-1], "/password/reset/")
    with app.app_context():
        token = db.session.scalar(select(AccountToken))
        assert token.expires_at - token.created_at == timedelta(minutes=30)
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(link).status_code == 404


def test_reset_link_dies_when_the_password_changes_another_way(app, client, member):
    request_reset(client, member.email)
    link = link_in(outbox(app)[-1], "/password/reset/")
    assert client.get(link).status_code == 200
    with app.app_context():
        db.session.get(User, member.id).set_password("changed elsewhere")
        db.session.commit()
    assert client.get(link).status_code == 404


def test_a_newer_reset_link_replaces_the_older(app, client, member):
    request_reset(client, member.email)
    first = link_in(outbox(app)[-1], "/password/reset/")
    request_reset(client, member.email)
    second = link_in(outbox(app)[-1], "/password/reset/")
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_reset_requests_are_throttled(app, client, member):
    for _ in range(3):
        assert request_reset(client, member.email).status_code == 200
    response = request_reset(client, member.email)
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert len(outbox(app)) == 3


def test_invalid_reset_email_keeps_the_form_filled(client):
    response = submit(client, "/password/forgot", {"email": "not an email"})
    assert response.status_code == 422
    assert 'value="not an email"' in response.text


# --- the account page -----------------------------------------------------------------------------


def test_account_page_saves_name_bio_and_notification_choice(app, client, member):
    sign_in(client)
    page = client.get("/account")
    assert 'name="notify_replies"' in page.text and "checked" in page.text
    response = submit(client, "/account", {"name": "Maxine", "bio": "I like <b>posts</b>."})
    assert response.status_code == 302
    user = user_by_email(app, member.email)
    assert (user.name, user.bio, user.notify_replies) == ("Maxine", "I like <b>posts</b>.", False)
    page = client.get("/account")
    assert "I like &lt;b&gt;posts&lt;/b&gt;." in page.text and "<b>posts" not in page.text


def test_account_page_rejects_bad_input_and_keeps_it(app, client, member):
    sign_in(client)
    response = submit(client, "/account", {"name": "", "bio": "b" * 501, "notify_replies": "y"})
    assert response.status_code == 422
    assert "b" * 501 in response.text
    assert user_by_email(app, member.email).name == "Max Member"


def test_account_pages_need_a_signed_in_person(client):
    for path in ("/account", "/account/password", "/account/delete"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/signin")


# --- deleting an account --------------------------------------------------------------------------


def test_delete_account_asks_for_the_password_and_removes_comments(app, client, member, make_post):
    post = make_post("Hello")
    with app.app_context():
        mine = Comment(
            post_id=post.id, author_id=member.id, body_source="secret words", body_html="<p>secret words</p>"
        )
        db.session.add(mine)
        db.session.flush()
        reply = Comment(
            post_id=post.id, author_name="Someone", parent_id=mine.id, body_source="hi", body_html="<p>hi</p>"
        )
        db.session.add(reply)
        db.session.commit()
        comment_id = mine.id
    sign_in(client)
    response = submit(client, "/account/delete", {"password": "wrong"})
    assert response.status_code == 422
    assert user_by_email(app, member.email) is not None
    response = submit(client, "/account/delete", {"password": PASSWORD})
    assert response.status_code == 302
    assert user_by_email(app, member.email) is None
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert (comment.status, comment.author_id, comment.body_html) == (CommentStatus.REMOVED, None, "")
    assert not is_signed_in(client)
    page = client.get(f"/{post.year:04d}/{post.month:02d}/{post.slug}.html")
    assert "This comment has been removed by the author." in page.text
    assert "secret words" not in page.text


def test_the_only_admin_cannot_delete_their_account(app, client, admin):
    sign_in(client, email=admin.email)
    response = submit(client, "/account/delete", {"password": PASSWORD})
    assert response.status_code == 409
    assert user_by_email(app, admin.email) is not None


# --- first-run setup ------------------------------------------------------------------------------


def test_setup_link_creates_the_first_admin_once(app, client):
    with app.app_context():
        url = setup_url("http://blog.example")
    assert url.startswith("http://blog.example/setup/")
    path = url.removeprefix("http://blog.example")
    page = client.get(path)
    assert page.status_code == 200
    for label in ("Email", "Name", "Password"):
        assert re.search(rf"<label[^>]*>{label}</label>", page.text)
    response = submit(client, path, {"email": "owner@example.test", "name": "Owner", "password": "short"})
    assert response.status_code == 422 and 'value="owner@example.test"' in response.text
    response = submit(
        client, path, {"email": "owner@example.test", "name": "Owner", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert user_by_email(app, "owner@example.test").role == Role.ADMIN
    assert is_signed_in(client)
    assert app.test_client().get(path).status_code == 404
    with app.app_context():
        assert setup_url() is None


def test_setup_link_is_404_when_an_admin_exists(app, client):
    with app.app_context():
        url = setup_url()
    make_user(app, "admin@example.test", "Ada", "admin")
    assert client.get(url.removeprefix("http://127.0.0.1:5000")).status_code == 404


def test_setup_link_command(app, runner):
    result = runner.invoke(args=["setup-link", "--base-url", "https://blog.example/"])
    assert result.exit_code == 0
    assert re.fullmatch(r"https://blog\.example/setup/[\w-]+\n", result.output)
    make_user(app, "admin@example.test", "Ada", "admin")
    result = runner.invoke(args=["setup-link"])
    assert result.exit_code == 1
    result = runner.invoke(args=["setup-link", "--if-needed"])
    assert result.exit_code == 0 and result.output == ""


def test_only_the_newest_setup_link_works(app, client):
    with app.app_context():
        first, second = setup_url(), setup_url()
    base = "http://127.0.0.1:5000"
    assert client.get(first.removeprefix(base)).status_code == 404
    assert client.get(second.removeprefix(base)).status_code == 200


# --- invitations ----------------------------------------------------------------------------------


def invite(app, uses=1, days=30) -> str:
    with app.app_context():
        invitation, token = create_invitation(None, max_uses=uses, days=days)
        db.session.commit()
        return f"/join/{token}"


def join(app, path, email, name="New Member"):
    client = app.test_client()
    return client, submit(client, path, {"email": email, "name": name, "password": NEW_PASSWORD})


def confirm_by_mail(app, client, email):
    """Follow the newest confirmation link mailed to this address and press Confirm."""
    [message] = [m for m in outbox(app) if m["To"] == email][-1:]
    return submit(client, link_in(message, "/signup/confirm/"), {})


def join_and_accept(app, path, email, name="New Member"):
    """The whole way in: the join form, the confirmation link, signing in, then Accept."""
    client, response = join(app, path, email, name)
    assert response.status_code == 200 and "Check your email" in response.text, response.text
    confirmed = confirm_by_mail(app, client, email)
    assert confirmed.status_code == 302 and confirmed.headers["Location"].startswith("/signin?next=")
    sign_in(client, email=email, password=NEW_PASSWORD)
    return client, submit(client, path + "/accept", {}, page=path)


def uses_of(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Invitation.uses).order_by(Invitation.id)))


def test_invitation_makes_a_member_once_the_address_is_confirmed(app):
    path = invite(app)
    client, response = join(app, path, "new@example.test")
    assert response.status_code == 200 and "Check your email" in response.text
    assert not is_signed_in(client), "nobody is signed in before the address is proved"
    user = user_by_email(app, "new@example.test")
    assert user.role == Role.READER and not user.is_confirmed
    assert uses_of(app) == [0], "the place is taken only by a proved address"
    # Signed in but unconfirmed: the invitation page asks for the confirmation, Accept is refused.
    sign_in(client, email="new@example.test", password=NEW_PASSWORD)
    page = client.get(path)
    assert "Confirm your email address first" in page.text and "Accept the invitation" not in page.text
    refused = client.post(path + "/accept", data={"csrf_token": csrf_from(page.text)})
    assert refused.status_code == 403 and "Confirm your email address first" in refused.text
    assert user_by_email(app, "new@example.test").role == Role.READER and uses_of(app) == [0]

    assert confirm_by_mail(app, client, "new@example.test").status_code == 302
    accepted = submit(client, path + "/accept", {}, page=path)
    assert accepted.status_code == 302
    user = user_by_email(app, "new@example.test")
    assert user.role == Role.MEMBER and user.is_confirmed and uses_of(app) == [1]


def test_an_invitation_cannot_vouch_for_someone_elses_address(app):
    """Joining with an address one cannot read never makes it a member: it stays an unconfirmed
    reader, which cannot accept."""
    path = invite(app)
    client, response = join(app, path, "victim@example.test", name="Not the victim")
    assert response.status_code == 200
    sign_in(client, email="victim@example.test", password=NEW_PASSWORD)
    page = client.get(path)
    refused = client.post(path + "/accept", data={"csrf_token": csrf_from(page.text)})
    assert refused.status_code == 403
    user = user_by_email(app, "victim@example.test")
    assert user.role == Role.READER and user.email_confirmed_at is None and not user.is_member
    assert uses_of(app) == [0]


def test_single_use_invitation_works_once(app):
    path = invite(app)
    join_and_accept(app, path, "first@example.test")
    client = app.test_client()
    assert client.get(path).status_code == 404
    response = client.post(
        path,
        data={
            "email": "second@example.test",
            "name": "S",
            "password": NEW_PASSWORD,
            "csrf_token": csrf_from(client.get("/signin").text),
        },
    )
    assert response.status_code == 404
    assert user_by_email(app, "second@example.test") is None


def test_invitation_for_n_people(app):
    path = invite(app, uses=2)
    assert join_and_accept(app, path, "a@example.test")[1].status_code == 302
    assert join_and_accept(app, path, "b@example.test")[1].status_code == 302
    assert app.test_client().get(path).status_code == 404


def test_expired_and_revoked_invitations_do_not_work(app, client):
    expired, revoked = invite(app), invite(app)
    with app.app_context():
        db.session.execute(
            update(Invitation).where(Invitation.id == 1).values(expires_at=utcnow() - timedelta(minutes=1))
        )
        db.session.execute(update(Invitation).where(Invitation.id == 2).values(revoked_at=utcnow()))
        db.session.commit()
    assert client.get(expired).status_code == 404
    assert client.get(revoked).status_code == 404


def test_invitation_default_is_30_days(app):
    invite(app)
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.expires_at - invitation.created_at == timedelta(days=30)


def test_joining_with_a_taken_email_mails_its_owner_and_keeps_the_place(app, member):
    path = invite(app)
    _, taken = join(app, path, "Member@example.test", name="Copycat")
    assert taken.status_code == 200 and "already exists" not in taken.text
    assert user_by_email(app, member.email).name == "Max Member"
    mail = outbox(app)[-1]
    assert mail["To"] == member.email and "already have an account" in mail.get_body(("plain",)).get_content()
    assert path in link_in(mail, "/join/")
    assert join_and_accept(app, path, "fresh@example.test")[1].status_code == 302
    assert user_by_email(app, "fresh@example.test").role == Role.MEMBER


def test_a_signed_in_reader_accepts_an_invitation(app, client):
    make_user(app, "reader@example.test", "Reader", Role.READER)
    with app.app_context():
        db.session.execute(update(User).values(email_confirmed_at=utcnow()))
        db.session.commit()
    path = invite(app)
    sign_in(client, email="reader@example.test")
    page = client.get(path)
    assert "Accept the invitation" in page.text
    response = client.post(path + "/accept", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 302
    assert user_by_email(app, "reader@example.test").role == Role.MEMBER


def test_invitations_cli(app, runner):
    result = runner.invoke(
        args=["invitations", "create", "--uses", "3", "--days", "7", "--base-url", "https://b.example"]
    )
    assert result.exit_code == 0, result.output
    link = re.search(r"https://b\.example(/join/[\w-]+)", result.output).group(1)
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert (invitation.max_uses, invitation.expires_at - invitation.created_at) == (3, timedelta(days=7))
    assert app.test_client().get(link).status_code == 200
    assert "open" in runner.invoke(args=["invitations", "list"]).output
    assert runner.invoke(args=["invitations", "revoke", str(invitation.id)]).exit_code == 0
    assert app.test_client().get(link).status_code == 404
    assert runner.invoke(args=["invitations", "revoke", "999"]).exit_code == 1
    assert runner.invoke(args=["invitations", "create", "--uses", "0"]).exit_code != 0


# --- open sign-up ---------------------------------------------------------------------------------


def open_signup(app):
    with app.app_context():
        ensure_settings()
        db.session.execute(update(BlogSettings).values(comment_policy="signed_in"))
        db.session.commit()


def test_signup_exists_only_when_any_signed_in_user_may_comment(app, client):
    assert client.get("/signup").status_code == 404
    open_signup(app)
    assert client.get("/signup").status_code == 200
    assert 'href="/signup"' in client.get("/signin").text


def test_signup_creates_an_unconfirmed_reader_who_confirms_by_link(app, client):
    open_signup(app)
    response = submit(
        client,
        "/signup",
        {"email": "reader@example.test", "name": "Rita", "password": NEW_PASSWORD, "role": "admin"},
    )
    assert response.status_code == 200 and "Check your email" in response.text
    user = user_by_email(app, "reader@example.test")
    assert user.role == Role.READER and not user.is_confirmed and not user.is_member
    sign_in(client, email="reader@example.test", password=NEW_PASSWORD)
    assert "not confirmed" in client.get("/account").text
    link = link_in(outbox(app)[-1], "/signup/confirm/")
    assert client.get(link).status_code == 200
    assert not user_by_email(app, "reader@example.test").is_confirmed, "a GET (mail scanner) confirms nothing"
    response = submit(client, link, {})
    assert response.status_code == 302
    assert user_by_email(app, "reader@example.test").is_confirmed
    assert client.get(link).status_code == 404


def test_signup_answers_the_same_for_a_taken_email(app, client, member):
    open_signup(app)
    taken = submit(client, "/signup", {"email": member.email, "name": "X", "password": NEW_PASSWORD})
    fresh = submit(client, "/signup", {"email": "fresh@example.test", "name": "X", "password": NEW_PASSWORD})
    assert taken.status_code == fresh.status_code == 200 and taken.text == fresh.text
    assert user_by_email(app, member.email).name == "Max Member"
    assert "already have an account" in outbox(app)[0].get_body(("plain",)).get_content()


def test_resend_confirmation(app, client):
    open_signup(app)
    make_user(app, "r@example.test", "R", Role.READER)
    sign_in(client, email="r@example.test")
    response = submit(client, "/account/confirm", {}, page="/account")
    assert response.status_code == 302
    assert link_in(outbox(app)[-1], "/signup/confirm/")


# --- CSRF on every form of the accounts area ------------------------------------------------------


def token_path(app, purpose, user=None) -> str:
    from blog.accounts.tokens import issue_token

    with app.app_context():
        raw = issue_token(purpose, db.session.get(User, user.id) if user else None, timedelta(minutes=30))
        db.session.commit()
    return raw


def refused_without_csrf(client, url, data):
    response = client.post(url, data=data)
    assert response.status_code == 400, (url, response.status_code)


def test_csrf_sign_in_sign_out_and_sign_out_everywhere(app, client, member):
    refused_without_csrf(client, "/signin", {"email": member.email, "password": PASSWORD})
    assert not is_signed_in(client)
    sign_in(client)
    refused_without_csrf(client, "/signout", {})
    refused_without_csrf(client, "/signout/everywhere", {})
    assert is_signed_in(client)


def test_csrf_account_page_password_and_delete(app, client, member):
    sign_in(client)
    refused_without_csrf(client, "/account", {"name": "Changed", "bio": ""})
    refused_without_csrf(
        client, "/account/password", {"current_password": PASSWORD, "password": NEW_PASSWORD}
    )
    refused_without_csrf(client, "/account/delete", {"password": PASSWORD})
    refused_without_csrf(client, "/account/confirm", {})
    user = user_by_email(app, member.email)
    assert user.name == "Max Member" and user.check_password(PASSWORD)
    assert outbox(app) == []


def test_csrf_forgot_and_reset(app, client, member):
    refused_without_csrf(client, "/password/forgot", {"email": member.email})
    assert outbox(app) == []
    token = token_path(app, TokenPurpose.RESET_PASSWORD, member)
    refused_without_csrf(client, f"/password/reset/{token}", {"password": NEW_PASSWORD})
    assert user_by_email(app, member.email).check_password(PASSWORD)
    assert client.get(f"/password/reset/{token}").status_code == 200


def test_csrf_setup_join_accept_signup_and_confirm(app, client):
    with app.app_context():
        setup = setup_url().rsplit("/", 1)[1]
    refused_without_csrf(
        client, f"/setup/{setup}", {"email": "o@example.test", "name": "O", "password": NEW_PASSWORD}
    )
    path = invite(app)
    refused_without_csrf(client, path, {"email": "j@example.test", "name": "J", "password": NEW_PASSWORD})
    open_signup(app)
    refused_without_csrf(
        client, "/signup", {"email": "s@example.test", "name": "S", "password": NEW_PASSWORD}
    )
    for email in ("o@example.test", "j@example.test", "s@example.test"):
        assert user_by_email(app, email) is None
    reader = make_user(app, "r@example.test", "R", Role.READER)
    confirm = token_path(app, TokenPurpose.CONFIRM_EMAIL, reader)
    refused_without_csrf(client, f"/signup/confirm/{confirm}", {})
    sign_in(client, email="r@example.test")
    refused_without_csrf(client, path + "/accept", {})
    user = user_by_email(app, "r@example.test")
    assert user.role == Role.READER and not user.is_confirmed
