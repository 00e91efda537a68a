"""People: the accounts the tests use and the one way a test signs in (through the sign-in form)."""

import pytest
import requests
from playwright.sync_api import Page
from playwright.sync_api import expect as expect_visible

from blog.extensions import db
from blog.models import User
from tests.support.database import detached
from tests.support.web import csrf_from

PASSWORD = "correct horse battery staple"
MEMBER_EMAIL = "member@example.test"


def make_user(app, email: str, name: str, role: str = "member", password: str = PASSWORD) -> User:
    with app.app_context():
        user = User(email=email, name=name, role=role)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return detached(user)


@pytest.fixture
def admin(app) -> User:
    return make_user(app, "admin@example.test", "Ada Admin", "admin")


@pytest.fixture
def member(app) -> User:
    return make_user(app, MEMBER_EMAIL, "Max Member", "member")


def make_author(app, email: str = "author@example.test", name: str = "Ann Author") -> User:
    return make_user(app, email, name, "author")


@pytest.fixture
def author(app) -> User:
    return make_author(app)


def sign_in(
    client, email: str = MEMBER_EMAIL, password: str = PASSWORD, *, base: str = "", expect=302, **form
):
    """Sign in through the sign-in form as a person does: fetch /signin for its CSRF token, then send
    the address, the password and any other field of the form (remember="y", next=...).

    `client` is the Flask test client, a requests.Session talking to the server at `base`, or a
    Playwright page (then `next` goes in the address, as a link to /signin?next= carries it).
    Asserts the answer is `expect` (302: signed in, or on to the Code step; None checks nothing;
    a page waits for the Sign out button) and returns it (a page returns nothing)."""
    if isinstance(client, Page):
        return sign_in_page(client, email, password, base, form.get("next"), expect)
    http = {"timeout": 30} if isinstance(client, requests.Session) else {}
    page = client.get(base + "/signin", **http)
    data = {"email": email, "password": password, "csrf_token": csrf_from(page.text), **form}
    if http:
        http["allow_redirects"] = False
    response = client.post(base + "/signin", data=data, **http)
    if expect is not None:
        assert response.status_code == expect, response.text[:2000]
    return response


def sign_in_page(page: Page, email: str, password: str, base: str, back: str | None, expect) -> None:
    page.goto(base + "/signin" + (f"?next={back}" if back else ""))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if expect == 302:
        expect_visible(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(client, expect=302):
    page = client.get("/")
    response = client.post("/signout", data={"csrf_token": csrf_from(page.text)})
    if expect is not None:
        assert response.status_code == expect, response.text[:2000]
    return response


def is_signed_in(client) -> bool:
    """True if the client's cookies reach the account page."""
    return client.get("/account").status_code == 200


def member_client(app, email: str, name: str, role: str = "member"):
    """A new account and a test client signed in as it."""
    user = make_user(app, email, name, role)
    client = app.test_client()
    sign_in(client, email)
    return user, client
