"""Signing in and out: sessions that really end, session fixation, throttling, `next`, htmx."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import UserSession
from tests.support.accounts import PASSWORD, is_signed_in, make_user, sign_in, sign_out
from tests.support.web import csrf_from


def test_sign_in_page_has_the_expected_labels(client):
    page = client.get("/signin")
    assert page.status_code == 200
    assert re.search(r"<label[^>]*>Email</label>", page.text)
    assert re.search(r"<label[^>]*>Password</label>", page.text)
    assert ">Sign in</button>" in page.text


def test_sign_in_and_out(client, member):
    response = sign_in(client)
    home = client.get("/")
    assert "Sign out" in home.text and "Max Member" in home.text
    assert is_signed_in(client)
    response = sign_out(client)
    assert response.status_code == 302
    assert not is_signed_in(client)
    assert "Sign out" not in client.get("/").text


def test_wrong_password_is_refused_and_the_form_keeps_the_email(client, member):
    response = sign_in(client, password="not the password", expect=422)
    assert "That email and password do not match an account." in response.text
    assert 'value="member@example.test"' in response.text
    assert "not the password" not in response.text
    assert not is_signed_in(client)


def test_unknown_email_and_wrong_password_get_the_same_answer(client, member):
    def answer(email):
        response = sign_in(client, email=email, password="wrong password 1", expect=None)
        body = re.sub(r'value="[^"]*"', 'value=""', response.text)
        return response.status_code, body

    assert answer("member@example.test") == answer("nobody@example.test")


def test_inactive_account_cannot_sign_in(app, client):
    user = make_user(app, "gone@example.test", "Gone")
    with app.app_context():
        db.session.get(type(user), user.id).active = False
        db.session.commit()
    sign_in(client, email="gone@example.test", expect=422)


def test_get_on_signout_is_not_allowed(client, member):
    sign_in(client)
    assert client.get("/signout").status_code == 405
    assert is_signed_in(client)


def test_signout_needs_a_csrf_token(client, member):
    sign_in(client)
    assert client.post("/signout").status_code == 400
    assert is_signed_in(client)


def test_signin_needs_a_csrf_token(client, member):
    response = client.post("/signin", data={"email": "member@example.test", "password": PASSWORD})
    assert response.status_code == 400
    assert not is_signed_in(client)


def test_a_copied_session_cookie_stops_working_after_sign_out(app, member):
    browser = app.test_client()
    sign_in(browser)
    stolen = browser.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert is_signed_in(thief), "control: the copy works while the session lasts"

    sign_out(browser)
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    assert not is_signed_in(thief)


def test_a_copied_remember_cookie_stops_working_after_sign_out(app, member):
    browser = app.test_client()
    sign_in(browser, remember="y")
    remember = browser.get_cookie("remember_token")
    assert remember is not None
    copy = app.test_client()
    copy.set_cookie("remember_token", remember.value)
    assert is_signed_in(copy), "control: the remember cookie alone signs in while the session lasts"

    sign_out(browser)
    replay = app.test_client()
    replay.set_cookie("remember_token", remember.value)
    assert not is_signed_in(replay)


def test_signing_out_ends_only_that_session(app, member):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop)
    sign_in(phone)
    sign_out(laptop)
    assert not is_signed_in(laptop)
    assert is_signed_in(phone)


def test_sign_out_everywhere_ends_every_session(app, member):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, remember="y")
    sign_in(phone)
    remember = laptop.get_cookie("remember_token").value
    page = phone.get("/account")
    response = phone.post("/signout/everywhere", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 302
    assert not is_signed_in(phone) and not is_signed_in(laptop)
    replay = app.test_client()
    replay.set_cookie("remember_token", remember)
    assert not is_signed_in(replay)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_sessions_are_stored_hashed(app, client, member):
    sign_in(client)
    with client.session_transaction() as sess:
        token = sess["_user_id"]
    with app.app_context():
        hashes = db.session.scalars(select(UserSession.token_hash)).all()
    assert len(hashes) == 1 and token not in hashes[0] and len(hashes[0]) == 64


def test_session_fixation_a_planted_session_is_not_reused(app, client, member):
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    planted = client.get_cookie("session").value
    sign_in(client)
    with client.session_transaction() as sess:
        assert "planted" not in sess
    attacker = app.test_client()
    attacker.set_cookie("session", planted)
    assert not is_signed_in(attacker)


def test_signing_in_again_replaces_the_old_session(app, client, member):
    sign_in(client)
    old = client.get_cookie("session").value
    client.get("/signin")  # already signed in with a fresh session: redirects
    with client.session_transaction() as sess:
        sess["_fresh"] = False  # as after a remember-cookie restore; the sign-in page asks again
    assert client.get("/signin").status_code == 200
    sign_in(client)
    replay = app.test_client()
    replay.set_cookie("session", old)
    assert not is_signed_in(replay)
    assert is_signed_in(client)


def test_password_hash_is_scrypt(app, member):
    with app.app_context():
        user = db.session.get(type(member), member.id)
        assert user.password_hash.startswith("scrypt:")


# --- throttling ---------------------------------------------------------------------------------


def test_failed_sign_ins_are_throttled_per_ip_with_retry_after(client, member):
    for _ in range(5):
        sign_in(client, password="wrong password", expect=422)
    response = sign_in(client, password="wrong password", expect=429)
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many attempts" in response.text
    sign_in(client, expect=429)  # the right password waits too


def test_successful_sign_ins_do_not_count(app, client, member):
    for _ in range(3):
        sign_in(client)
        sign_out(client)
    for _ in range(5):
        sign_in(client, password="wrong password", expect=422)
    sign_in(client, password="wrong password", expect=429)


def test_get_requests_do_not_count(client, member):
    for _ in range(10):
        assert client.get("/signin").status_code == 200
    sign_in(client)


def test_failed_sign_ins_are_throttled_per_account_with_a_higher_bound(app, member):
    def attempt(ip, password="wrong password"):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = ip
        return sign_in(client, password=password, expect=None)

    for n in range(20):
        assert attempt(f"10.0.0.{n // 4}").status_code == 422
    assert attempt("10.0.1.1").status_code == 429, "a fresh IP cannot go on guessing this account"
    assert attempt("10.0.1.2", password=PASSWORD).status_code == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.1.3"
    sign_in(other, email="someone.else@example.test", password="x", expect=422)


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "memory", "RATELIMIT_ENABLED": False}])
def test_limits_can_be_switched_off(client, member):
    for _ in range(8):
        sign_in(client, password="wrong password", expect=422)


def test_ratelimit_enabled_false_from_the_environment(monkeypatch, tmp_path):
    from blog import create_app
    from blog.config import TestConfig
    from blog.extensions import limiter

    monkeypatch.setenv("FLASK_RATELIMIT_ENABLED", "false")
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}")
    assert app.config["RATELIMIT_ENABLED"] is False
    assert limiter.enabled is False
    limiter.enabled = True


# --- next ---------------------------------------------------------------------------------------

TRICKY_NEXT = [
    "//evil.example",
    "/\\evil.example",
    "https:evil.example",
    "\\\\evil.example",
    "%2F%2Fevil.example",
    "/%09/evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "https://evil.example/",
    "/\t/evil.example",
    "\t//evil.example",
    "///evil.example",
    "http:/\\evil.example",
    "/\r\n/evil.example",
    "\\/evil.example",
]


def is_same_origin(location: str) -> bool:
    parts = urlsplit(location)
    return (
        parts.scheme in ("", "http") and parts.netloc in ("", "localhost") and not location.startswith("//")
    )


@pytest.mark.parametrize("target", TRICKY_NEXT)
def test_next_never_leads_to_another_origin(client, member, target):
    page = client.get("/signin", query_string={"next": target})
    data = {
        "email": "member@example.test",
        "password": PASSWORD,
        "csrf_token": csrf_from(page.text),
        "next": target,
    }
    response = client.post("/signin", data=data)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert is_same_origin(location), location
    assert "evil.example" not in urlsplit(location).netloc


def test_a_local_next_is_followed(client, member):
    page = client.get("/signin?next=/2020/01/hello.html%3Fx%3D1")
    assert 'value="/2020/01/hello.html?x=1"' in page.text
    response = sign_in(client, next="/2020/01/hello.html?x=1")
    assert response.headers["Location"] == "/2020/01/hello.html?x=1"


def test_an_unsafe_next_is_not_echoed_into_the_form(client):
    page = client.get("/signin", query_string={"next": "//evil.example"})
    assert "evil.example" not in page.text


# --- needing a signed-in person -------------------------------------------------------------------


def test_plain_request_is_sent_to_sign_in_with_next(client):
    response = client.get("/account?tab=1")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/signin"
    assert parse_qs(location.query)["next"] == ["/account?tab=1"]


def test_htmx_request_gets_401_and_hx_redirect_to_the_current_page(client):
    response = client.get(
        "/account", headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/2020/01/hello.html"}
    )
    assert response.status_code == 401
    target = urlsplit(response.headers["HX-Redirect"])
    assert target.path == "/signin"
    assert parse_qs(target.query)["next"] == ["/2020/01/hello.html"]
    assert "<html" not in response.text


@pytest.mark.parametrize(
    "current", ["https://evil.example/x", "http://localhost//evil.example", "javascript:alert(1)"]
)
def test_htmx_redirect_never_leads_elsewhere(client, current):
    response = client.post("/account", headers={"HX-Request": "true", "HX-Current-URL": current})
    # No CSRF token: refused before the login check. A GET shows the redirect itself.
    assert response.status_code == 400
    response = client.get("/account", headers={"HX-Request": "true", "HX-Current-URL": current})
    assert response.status_code == 401
    redirect_to = response.headers["HX-Redirect"]
    assert is_same_origin(redirect_to)
    for value in parse_qs(urlsplit(redirect_to).query).get("next", []):
        assert value.startswith("/") and not value.startswith("//") and "evil" not in value
