"""Two-step verification: setting it up with a real authenticator code, the sign-in Code step (which
alone completes a sign-in), recovery codes that work once, throttling, no code used twice, turning it
off only with a fresh sign-in, and the Settings switch that makes staff set it up."""

import html
import re
import time

import pyotp
import pytest
import segno
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import BlogSettings, RecoveryCode, TwoStep, UserSession
from blog.models.token import hash_token
from tests.support.accounts import PASSWORD, is_signed_in, make_user, sign_in, sign_out
from tests.support.web import HTMX, csrf_from

# --- helpers -----------------------------------------------------------------------------------


def code_at(secret: str, seconds_from_now: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + seconds_from_now)


def wrong_code(secret: str) -> str:
    """A 6-digit code that no step in the accepted window gives."""
    valid = {code_at(secret, offset) for offset in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555") if c not in valid)


def start_setup(client) -> str:
    """Start the setup and return the secret key shown on the page."""
    page = client.get("/account/two-step")
    assert (
        client.post("/account/two-step/start", data={"csrf_token": csrf_from(page.text)}).status_code == 302
    )
    page = client.get("/account/two-step")
    assert page.status_code == 200
    shown = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page.text)
    assert shown, "the secret key is shown as text"
    return shown.group(1).replace(" ", "")


def confirm(client, code: str):
    page = client.get("/account/two-step")
    return client.post("/account/two-step/confirm", data={"code": code, "csrf_token": csrf_from(page.text)})


def turn_on(client) -> tuple[str, list[str]]:
    """Set up two-step verification for the signed-in client; returns the secret and recovery codes."""
    secret = start_setup(client)
    done = confirm(client, code_at(secret))
    assert done.status_code == 200, done.text
    return secret, re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.text)


def enter_code(client, code: str):
    page = client.get("/signin/code")
    return client.post("/signin/code", data={"code": code, "csrf_token": csrf_from(page.text)})


@pytest.fixture
def member_with_two_step(client, member):
    """The member, signed out, with two-step verification on: (secret, recovery codes)."""
    sign_in(client)
    secret, codes = turn_on(client)
    sign_out(client)
    return secret, codes


# --- setting it up -----------------------------------------------------------------------------


def test_account_page_links_to_two_step_verification(client, member):
    sign_in(client)
    page = client.get("/account")
    assert "Two-step verification is off." in page.text
    assert 'href="/account/two-step"' in page.text
    off = client.get("/account/two-step")
    assert off.status_code == 200
    assert "Set up two-step verification" in off.text


def test_setup_shows_the_key_and_a_server_drawn_qr_code_and_a_real_code_turns_it_on(app, client, member):
    sign_in(client)
    secret = start_setup(client)
    page = client.get("/account/two-step")
    # The QR code is inline SVG made here from the otpauth:// link: the same drawing as segno's for that link.
    uri = pyotp.TOTP(secret).provisioning_uri(name="member@example.test", issuer_name="My Blog")
    expected = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff", lineclass=None)
    path = re.search(r' d="([^"]+)"', expected).group(1)
    assert f'd="{path}"' in page.text
    assert '<svg role="img" aria-label="QR code for your authenticator app"' in page.text
    assert "<img" not in page.text.split("<main", 1)[-1], "no image fetched from anywhere"
    assert 'name="code"' in page.text and ">Code</label>" in page.text
    with app.app_context():
        assert db.session.get(TwoStep, member.id).confirmed_at is None, "not on before a code proves the app"

    done = confirm(client, code_at(secret))
    assert done.status_code == 200
    assert "they will not be shown again" in done.text
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.text)
    assert len(set(codes)) == 10
    with app.app_context():
        assert db.session.get(TwoStep, member.id).confirmed_at is not None
        stored = db.session.scalars(
            select(RecoveryCode.code_hash).where(RecoveryCode.user_id == member.id)
        ).all()
        assert sorted(stored) == sorted(hash_token(c.replace("-", "")) for c in codes), "only hashes are kept"
    again = client.get("/account/two-step")
    assert "Two-step verification is on." in again.text
    assert "You have 10 recovery codes left." in again.text
    assert not any(c in again.text for c in codes), "recovery codes are shown once"
    assert "Two-step verification is on" in client.get("/account").text


def test_a_wrong_setup_code_is_refused_with_the_form_kept(app, client, member):
    sign_in(client)
    secret = start_setup(client)
    bad = wrong_code(secret)
    response = confirm(client, bad)
    assert response.status_code == 422
    assert "That code is not right." in response.text
    assert f'value="{bad}"' in response.text
    assert '<code class="secret-key">' in response.text, "the key and QR code stay on the page"
    assert confirm(client, "not a code").status_code == 422
    with app.app_context():
        assert db.session.get(TwoStep, member.id).confirmed_at is None
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0


def test_wrong_setup_codes_are_throttled(app, client, member):
    sign_in(client)
    secret = start_setup(client)
    bad = wrong_code(secret)
    for _ in range(5):
        assert confirm(client, bad).status_code == 422
    assert confirm(client, bad).status_code == 429
    assert confirm(client, code_at(secret)).status_code == 429
    with app.app_context():
        assert db.session.get(TwoStep, member.id).confirmed_at is None


# --- signing in --------------------------------------------------------------------------------


def test_sign_in_asks_for_the_code_after_the_password(client, member_with_two_step):
    secret, _ = member_with_two_step
    response = sign_in(client, next="/account")
    assert response.headers["Location"] == "/signin/code"
    page = client.get("/signin/code")
    assert page.status_code == 200
    assert ">Code</label>" in page.text and 'autocomplete="one-time-code"' in page.text
    done = enter_code(client, code_at(secret, 30))
    assert done.status_code == 302
    assert done.headers["Location"] == "/account"
    assert is_signed_in(client)


def test_the_password_alone_gives_no_access(app, client, admin):
    sign_in(client, "admin@example.test")
    turn_on(client)
    sign_out(client)
    with app.app_context():
        sessions_before = db.session.scalar(select(func.count()).select_from(UserSession))
    response = sign_in(client, "admin@example.test", remember="y")
    assert response.headers["Location"] == "/signin/code"
    assert client.get_cookie("remember_token") is None, "no remember cookie before the Code step"
    with client.session_transaction() as sess:
        assert "_user_id" not in sess
    assert client.get("/account").status_code == 302
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/settings").status_code == 302
    assert client.get("/admin/posts", headers=HTMX).status_code == 401
    assert (
        client.post("/signout", data={"csrf_token": csrf_from(client.get("/signin/code").text)}).status_code
        == 302
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == sessions_before


def test_remember_me_is_kept_until_the_code_step(client, member_with_two_step):
    secret, _ = member_with_two_step
    sign_in(client, remember="y")
    assert enter_code(client, code_at(secret, 30)).status_code == 302
    assert client.get_cookie("remember_token") is not None


def test_a_wrong_code_is_refused_with_a_clear_message(client, member_with_two_step):
    secret, _ = member_with_two_step
    sign_in(client)
    bad = wrong_code(secret)
    response = enter_code(client, bad)
    assert response.status_code == 422
    assert "That code is not right." in response.text
    assert f'value="{bad}"' in response.text
    assert enter_code(client, "").status_code == 422
    assert not is_signed_in(client)


def test_the_code_step_needs_a_password_step_first_and_expires(client, member_with_two_step):
    secret, _ = member_with_two_step
    alone = client.get("/signin/code")
    assert alone.status_code == 302 and alone.headers["Location"] == "/signin"
    sign_in(client)
    with client.session_transaction() as sess:
        pending = sess["two_step_pending"]
        pending["at"] -= 6 * 60
        sess["two_step_pending"] = pending
    token = csrf_from(client.get("/signin").text)
    late = client.post("/signin/code", data={"code": code_at(secret, 30), "csrf_token": token})
    assert late.status_code == 302 and late.headers["Location"] == "/signin"
    assert not is_signed_in(client)


def test_the_same_code_is_refused_a_second_time(client, member_with_two_step):
    secret, _ = member_with_two_step
    code = code_at(secret, 30)
    sign_in(client)
    assert enter_code(client, code).status_code == 302
    sign_out(client)
    sign_in(client)
    again = enter_code(client, code)
    assert again.status_code == 422
    assert not is_signed_in(client)
    # The setup code was used too: it cannot sign in either.
    assert enter_code(client, code_at(secret, -30)).status_code == 422


def test_a_recovery_code_works_once(app, client, member_with_two_step):
    _, codes = member_with_two_step
    sign_in(client)
    typed = codes[3].upper().replace("-", " ")  # read back from paper: case and spacing do not matter
    assert enter_code(client, typed).status_code == 302
    assert is_signed_in(client)
    assert "You have 9 recovery codes left." in client.get("/account/two-step").text
    sign_out(client)
    sign_in(client)
    assert enter_code(client, codes[3]).status_code == 422
    assert not is_signed_in(client)
    assert enter_code(client, codes[4]).status_code == 302


def test_the_code_step_is_throttled_like_passwords(client, member_with_two_step):
    secret, _ = member_with_two_step
    sign_in(client)
    bad = wrong_code(secret)
    for _ in range(5):
        assert enter_code(client, bad).status_code == 422
    response = enter_code(client, bad)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert enter_code(client, code_at(secret, 30)).status_code == 429, "the right code waits too"
    assert not is_signed_in(client)


def test_the_code_step_is_throttled_per_account_across_addresses(app, member_with_two_step):
    secret, _ = member_with_two_step

    def attempt(ip, code):
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = ip
        sign_in(browser)
        return enter_code(browser, code)

    bad = wrong_code(secret)
    for n in range(20):
        assert attempt(f"10.0.0.{n // 4}", bad).status_code == 422
    assert attempt("10.0.1.1", bad).status_code == 429
    assert attempt("10.0.1.2", code_at(secret, 30)).status_code == 429


def test_successful_codes_do_not_count_against_the_limit(client, member_with_two_step):
    secret, codes = member_with_two_step
    for code in codes[:6]:
        sign_in(client)
        assert enter_code(client, code).status_code == 302
        sign_out(client)


# --- turning it off ----------------------------------------------------------------------------


def test_turning_off_needs_a_fresh_sign_in_and_the_password(app, client, member_with_two_step):
    secret, _ = member_with_two_step
    sign_in(client, remember="y")
    enter_code(client, code_at(secret, 30))
    # A session restored from the remember cookie alone is not fresh.
    restored = app.test_client()
    restored.set_cookie("remember_token", client.get_cookie("remember_token").value)
    page = restored.get("/account/two-step")
    assert page.status_code == 200
    refused = restored.post(
        "/account/two-step/off", data={"password": PASSWORD, "csrf_token": csrf_from(page.text)}
    )
    assert refused.status_code == 302
    assert refused.headers["Location"].startswith("/signin?next=")
    with app.app_context():
        assert db.session.get(TwoStep, 1) is not None

    page = client.get("/account/two-step")
    wrong = client.post(
        "/account/two-step/off", data={"password": "not it", "csrf_token": csrf_from(page.text)}
    )
    assert wrong.status_code == 422
    assert "That is not your password." in wrong.text
    done = client.post(
        "/account/two-step/off", data={"password": PASSWORD, "csrf_token": csrf_from(page.text)}
    )
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TwoStep)) == 0
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    sign_out(client)
    assert sign_in(client).headers["Location"] == "/", "no Code step once it is off"


# --- CSRF --------------------------------------------------------------------------------------


def test_every_two_step_form_needs_a_csrf_token(app, client, member):
    sign_in(client)
    assert client.post("/account/two-step/start", data={}).status_code == 400
    with app.app_context():
        assert db.session.get(TwoStep, member.id) is None
    secret = start_setup(client)
    assert client.post("/account/two-step/confirm", data={"code": code_at(secret)}).status_code == 400
    with app.app_context():
        assert db.session.get(TwoStep, member.id).confirmed_at is None
    assert confirm(client, code_at(secret)).status_code == 200
    assert client.post("/account/two-step/off", data={"password": PASSWORD}).status_code == 400
    with app.app_context():
        assert db.session.get(TwoStep, member.id) is not None
    sign_out(client)
    sign_in(client)
    assert client.post("/signin/code", data={"code": code_at(secret, 30)}).status_code == 400
    assert not is_signed_in(client)


# --- the staff requirement ---------------------------------------------------------------------


def require_for_staff(app, on: bool = True) -> None:
    with app.app_context():
        settings = db.session.get(BlogSettings, 1) or BlogSettings(id=1)
        settings.require_two_step_for_staff = on
        db.session.add(settings)
        db.session.commit()


def test_admin_can_require_two_step_for_staff_in_settings(app, client, admin):
    sign_in(client, "admin@example.test")
    page = client.get("/admin/settings")
    assert "Require two-step verification for staff" in page.text
    form = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page.text))
    selects = {
        name: re.search(r'<option selected value="([^"]*)"', block).group(1)
        for name, block in re.findall(r'<select[^>]*name="(\w+)"(.*?)</select>', page.text, re.S)
    }
    data = {**form, **selects, "description": "", "comment_form_message": ""}
    data = {k: html.unescape(v) for k, v in data.items()}
    data["require_two_step_for_staff"] = "y"
    saved = client.post("/admin/settings", data=data)
    assert saved.status_code == 302, saved.text
    with app.app_context():
        assert db.session.get(BlogSettings, 1).require_two_step_for_staff is True
    # The admin who switched it on is sent to set it up too.
    assert client.get("/admin/").headers["Location"] == "/account/two-step"


def test_required_setup_sends_staff_to_set_it_up_before_the_admin_area(app, client, member):
    make_user(app, "author@example.test", "Ann Author", "author")
    require_for_staff(app)
    response = sign_in(client, "author@example.test", next="/admin/")
    assert response.headers["Location"] == "/account/two-step"
    page = client.get("/account/two-step")
    assert "This blog requires two-step verification for staff." in page.text
    assert client.get("/admin/").headers["Location"] == "/account/two-step"
    assert client.get("/admin/posts/new").headers["Location"] == "/account/two-step"
    fragment = client.get("/admin/posts", headers=HTMX)
    assert fragment.status_code == 403 and fragment.headers["HX-Redirect"] == "/account/two-step"
    turn_on(client)
    assert client.get("/admin/").status_code == 200


def test_the_requirement_leaves_members_alone(app, client, member):
    require_for_staff(app)
    response = sign_in(client, next="/account")
    assert response.headers["Location"] == "/account"
    page = client.get("/account")
    assert page.status_code == 200
    assert "requires two-step verification" not in page.text


def test_without_the_requirement_staff_are_not_forced(app, client, admin):
    response = sign_in(client, "admin@example.test", next="/admin/")
    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
