"""No account enumeration: forgot-password, sign-up and joining by invitation answer the same, with
the same work, whether or not the address has an account; mail goes out after the answer."""

import http.client
import re
import threading
import time
from urllib.parse import urlencode

import pytest
from werkzeug.serving import make_server

from blog import mail_transport
from blog.accounts import users
from blog.accounts.invitations import create_invitation
from blog.extensions import db
from blog.models import BlogSettings, CommentPolicy
from blog.site_settings import ensure_settings
from tests.support.mail import outbox
from tests.support.web import csrf_from

PASSWORD = "a brand new passphrase"


def without_csrf(html: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value=|"X-CSRFToken": )"[^"]+"', r'\1""', html)


def open_signup(app):
    with app.app_context():
        ensure_settings()
        db.session.get(BlogSettings, 1).comment_policy = CommentPolicy.SIGNED_IN
        db.session.commit()


def invitation_path(app) -> str:
    with app.app_context():
        _, token = create_invitation(None, max_uses=5)
        db.session.commit()
    return f"/join/{token}"


def answer(app, url, data):
    """A new visitor's answer to one form: (status, body without the CSRF token, Set-Cookie names)."""
    client = app.test_client()
    html = client.get(url).text
    response = client.post(url, data={**data, "csrf_token": csrf_from(html)})
    cookies = sorted(c.split("=", 1)[0] for c in response.headers.getlist("Set-Cookie"))
    return response.status_code, without_csrf(response.text), cookies


FORMS = {
    "forgot password": ("/password/forgot", lambda email: {"email": email}),
    "sign-up": ("/signup", lambda email: {"email": email, "name": "Pat", "password": PASSWORD}),
    "invitation": (None, lambda email: {"email": email, "name": "Pat", "password": PASSWORD}),
}


@pytest.mark.parametrize("form", FORMS)
def test_the_answer_is_the_same_for_an_existing_and_an_unknown_account(app, member, form, monkeypatch):
    open_signup(app)
    url, data = FORMS[form]
    url = url or invitation_path(app)
    hashed = []
    real_hash = users.generate_password_hash
    monkeypatch.setattr(
        users, "generate_password_hash", lambda pw, **kw: hashed.append(pw) or real_hash(pw, **kw)
    )

    existing = answer(app, url, data("Member@example.test"))
    hashes_for_existing = len(hashed)
    unknown = answer(app, url, data("nobody@example.test"))

    assert existing == unknown
    assert existing[0] == 200 and "Check your email" in existing[1]
    assert "member@example.test" not in existing[1].lower()
    # The same work: a new address's password is hashed, and so is the one sent with a taken address.
    assert hashes_for_existing == len(hashed) - hashes_for_existing
    # The existing account still hears of it (a reset link, or "you already have an account").
    assert "member@example.test" in [m["To"].lower() for m in outbox(app)]


def test_a_failing_mail_server_changes_nothing_in_the_answer(app, member):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=1)
    with_mail = answer(app, "/password/forgot", {"email": member.email})
    without = answer(app, "/password/forgot", {"email": "nobody@example.test"})
    assert with_mail == without and with_mail[0] == 200


def test_a_mail_backend_that_raises_does_not_turn_into_a_500(app, member, monkeypatch):
    def broken(message):
        raise RuntimeError("the mail library broke")

    monkeypatch.setitem(mail_transport.BACKENDS, "broken", broken)
    app.config["MAIL_BACKEND"] = "broken"
    assert answer(app, "/password/forgot", {"email": member.email})[0] == 200


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "blocking", "WTF_CSRF_ENABLED": False}])
def test_the_answer_is_sent_before_the_mail(app, member, monkeypatch):
    """On a real WSGI server: with a mail server that hangs, the answer still arrives at once, and
    the mail goes out once the server is back."""
    release, sent = threading.Event(), []

    def blocking(message):
        assert release.wait(30), "never released"
        sent.append(message)

    monkeypatch.setitem(mail_transport.BACKENDS, "blocking", blocking)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        started = time.monotonic()
        conn.request(
            "POST",
            "/password/forgot",
            body=urlencode({"email": member.email}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = conn.getresponse()
        body = response.read().decode()
        elapsed = time.monotonic() - started
        conn.close()
        assert response.status == 200 and "Check your email" in body
        assert elapsed < 5 and sent == [], "the answer did not wait for the mail"
        release.set()
        deadline = time.monotonic() + 10
        while not sent and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [m["To"] for m in sent] == [member.email]
        assert "/password/reset/" in sent[0].get_body(("plain",)).get_content()
    finally:
        release.set()
        server.shutdown()
        server.server_close()
