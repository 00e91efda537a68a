"""Security on every response: headers, cookie flags (Secure behind HTTPS), the Origin check,
safe `next` targets, and the mail module's backends."""

from email import message_from_string, policy

import pytest

from blog.extensions import db
from blog.mail import send_mail
from blog.models import User
from blog.web.security import safe_next, with_secure_flag
from tests.support.accounts import PASSWORD, sign_in
from tests.support.web import csrf_from


@pytest.fixture
def app_config():
    return {"MAIL_BACKEND": "memory"}


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in (p.strip() for p in csp.split(";")) if d}
    script_src = directives.get("script-src", directives.get("default-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] in (["'none'"], ["'self'"])
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "charset=utf-8" in response.headers["Content-Type"]


ANONYMOUS_PAGES = [
    "/",
    "/signin",
    "/password/forgot",
    "/no/such/page",
    "/join/not-a-token",
    "/setup/not-a-token",
    "/password/reset/not-a-token",
    "/signup",
]
MEMBER_PAGES = ["/", "/account", "/account/password", "/account/delete", "/signin?next=/account"]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_every_html_response_carries_the_security_headers(client, make_post, path):
    make_post("Hello")
    response = client.get(path)
    assert response.mimetype == "text/html"
    assert_security_headers(response)


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_signed_in_pages_carry_the_security_headers(client, member, path):
    sign_in(client)
    response = client.get(path, follow_redirects=True)
    assert response.mimetype == "text/html"
    assert_security_headers(response)


def test_error_and_throttle_pages_carry_the_security_headers(client, member):
    for _ in range(5):
        sign_in(client, password="wrong password", expect=422)
    response = sign_in(client, password="wrong password", expect=429)
    assert_security_headers(response)
    response = client.post("/signout")  # no CSRF token
    assert response.status_code == 400
    assert_security_headers(response)


def test_account_pages_are_never_stored(client, member):
    assert client.get("/signin").headers["Cache-Control"] == "no-store"
    sign_in(client)
    for path in ("/account", "/account/password", "/account/delete"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def session_cookies(response) -> dict[str, str]:
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        cookies[header.split("=", 1)[0]] = header
    return cookies


def test_session_and_remember_cookies_are_httponly_and_samesite_lax(client, member):
    response = sign_in(client, remember="y")
    cookies = session_cookies(response)
    for name in ("session", "remember_token"):
        assert "HttpOnly" in cookies[name]
        assert "SameSite=Lax" in cookies[name]
        assert "Secure" not in cookies[name], "plain HTTP: a Secure cookie would never come back"


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "memory", "PROXY_FIX": 1}])
def test_behind_an_https_proxy_cookies_are_secure_and_hsts_is_sent(app, member):
    client = app.test_client()
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    page = client.get("/signin", headers=https)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # Flask-WTF checks the Referer on HTTPS requests (WTF_CSRF_SSL_STRICT), as a browser sends it.
    response = client.post(
        "/signin",
        headers={**https, "Referer": "https://localhost/signin"},
        data={
            "email": "member@example.test",
            "password": PASSWORD,
            "remember": "y",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.status_code == 302
    cookies = session_cookies(response)
    for name in ("session", "remember_token"):
        assert "Secure" in cookies[name] and "HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name]


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "memory", "PROXY_FIX": 0}])
def test_forwarded_proto_is_ignored_without_proxy_fix(client):
    response = client.get("/signin", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
    assert all("Secure" not in c for c in response.headers.getlist("Set-Cookie"))


def test_secure_flag_is_added_once():
    assert with_secure_flag("a=b; Path=/") == "a=b; Path=/; Secure"
    assert with_secure_flag("a=b; Secure; Path=/") == "a=b; Secure; Path=/"
    assert with_secure_flag("secure=1; Path=/") == "secure=1; Path=/; Secure"


# --- the Origin check ---------------------------------------------------------------------------


def save_profile(client, name, headers=None):
    page = client.get("/account")
    return client.post(
        "/account",
        headers=headers or {},
        data={"name": name, "bio": "", "notify_replies": "y", "csrf_token": csrf_from(page.text)},
    )


def name_of(app, user) -> str:
    with app.app_context():
        return db.session.get(User, user.id).name


def test_a_foreign_origin_is_refused_even_with_a_valid_token(app, client, member):
    sign_in(client)
    response = save_profile(client, "Hacked", {"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert name_of(app, member) == "Max Member"
    response = save_profile(client, "Hacked", {"Origin": "null"})
    assert response.status_code == 403
    assert name_of(app, member) == "Max Member"


def test_our_own_origin_and_a_missing_origin_are_accepted(app, client, member):
    sign_in(client)
    assert save_profile(client, "Max One", {"Origin": "http://localhost"}).status_code == 302
    assert name_of(app, member) == "Max One"
    assert save_profile(client, "Max Two").status_code == 302
    assert name_of(app, member) == "Max Two"


def test_origin_check_covers_sign_in(client, member):
    page = client.get("/signin")
    response = client.post(
        "/signin",
        headers={"Origin": "http://evil.example"},
        data={"email": "member@example.test", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
    )
    assert response.status_code == 403
    assert client.get("/account").status_code == 302


def test_a_look_alike_origin_is_refused(client, member):
    sign_in(client)
    for origin in ("http://localhost.evil.example", "https://localhost", "http://localhost:8080"):
        assert save_profile(client, "X", {"Origin": origin}).status_code == 403


# --- safe_next ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "https:evil.example",
        "\\\\evil.example",
        "%2F%2Fevil.example",
        "javascript:alert(1)",
        " //evil.example",
        "https://evil.example",
        "/\t/evil.example",
        "\n//evil.example",
        "///evil.example",
        "http://localhost/x",
        "",
        None,
        "evil.example",
        "/\x00/evil.example",
        "\u3000//evil.example",
    ],
)
def test_safe_next_refuses_anything_but_a_local_path(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/account", "/2020/01/a.html?x=1#c5", "/%09/evil.example"])
def test_safe_next_keeps_local_paths(target):
    assert safe_next(target) == target


# --- mail ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "file"}])
def test_file_mail_backend_appends_to_the_mail_log(app, tmp_path):
    path = tmp_path / "mail.log"
    app.config["MAIL_FILE_PATH"] = str(path)
    with app.app_context():
        assert send_mail("a@example.test", "Hello\r\nBcc: x@evil.example", "First body")
        assert send_mail("b@example.test", "Again", "Second body")
    text = path.read_text()
    assert "To: a@example.test" in text and "First body" in text and "Second body" in text
    assert "Subject: Hello Bcc: x@evil.example" in text
    assert "\nBcc:" not in text


def test_memory_backend_and_a_bad_address_never_raise(app):
    with app.app_context():
        assert not send_mail("a@example.test\r\nBcc: x@evil.example", "Hi", "Body")
        assert send_mail("a@example.test", "Hi", "Body")
        assert [m["To"] for m in app.extensions["mail_outbox"]] == ["a@example.test"]


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9}])
def test_smtp_backend_that_cannot_connect_does_not_break_the_request(app):
    with app.app_context():  # queued; the job fails in the worker and is retried there, never raised here
        assert send_mail("a@example.test", "Hi", "Body") is True


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_FROM": "blog@x.test",
            "MAIL_USERNAME": "u",
            "MAIL_PASSWORD": "p",
        }
    ],
)
def test_smtp_backend_sends_through_smtplib(app, monkeypatch):
    sent = {}

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent["server"] = (host, port)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def login(self, user, password):
            sent["login"] = (user, password)

        def sendmail(self, sender, recipients, text):
            sent["envelope"] = (sender, recipients)
            sent["message"] = message_from_string(text, policy=policy.default)

    monkeypatch.setattr("blog.mail_transport.smtplib.SMTP", FakeSMTP)
    with app.app_context():
        assert send_mail("a@example.test", "Hi", "Body")
    assert sent["server"] == ("127.0.0.1", 25) and sent["login"] == ("u", "p")
    assert sent["message"]["From"] == "My Blog <blog@x.test>"  # the blog's title as sender name
    assert sent["envelope"] == ("blog@x.test", ["a@example.test"])


def test_signed_out_pages_set_no_cookie(client, make_post):
    make_post("Hello")
    response = client.get("/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
