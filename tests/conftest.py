"""Shared fixtures: a fresh, migrated database per test (SQLite by default, PostgreSQL when
DATABASE_URL names one), clients, a signed-in helper, a post factory and a query counter."""

import os
import re
from datetime import datetime, timedelta

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text

from blog import create_app
from blog.config import TestConfig, normalise_database_url
from blog.extensions import db
from blog.models import Page, Post, User, utcnow
from blog.publishing import publish, set_body, set_labels

PASSWORD = "correct horse battery staple"


def database_url(tmp_path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'blog.db'}"
    url = normalise_database_url(url)
    # Start from an empty schema, as a new blog would.
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def app_config():
    """Per-test config overrides; a test module may override this fixture."""
    return {}


class ServerLikeClient(FlaskClient):
    """A test client that reads each response whole and then closes it, as a WSGI server does once
    it has sent the answer: jobs a request queued (mail; QUEUE_IMMEDIATE) have run when it returns."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


@pytest.fixture
def app(tmp_path, app_config):
    """A migrated app. No app context stays pushed, so each test request gets its own, as in production;
    use `with app.app_context():` to look at the database."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url(tmp_path), **app_config)
    app.test_client_class = ServerLikeClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def detached(obj):
    """Load the object's attributes and detach it, so a test can read them outside an app context."""
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


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
    return make_user(app, "member@example.test", "Max Member", "member")


@pytest.fixture
def make_post(app, admin):
    """make_post(title, body=..., when=datetime, labels=[...], draft=False) -> Post (naive UTC times)."""

    def make(
        title="A post",
        body="Some **text**.",
        when: datetime | None = None,
        labels=(),
        draft=False,
        author=None,
    ) -> Post:
        with app.app_context():
            post = Post(title=title, slug="", author_id=(author or admin).id)
            set_body(post, body)
            set_labels(post, list(labels))
            db.session.add(post)
            if not draft:
                publish(post, when or utcnow() - timedelta(minutes=1))
            db.session.commit()
            return detached(post)

    return make


@pytest.fixture
def make_page(app):
    def make(title="About", slug="about", body="About this blog.", published=True) -> Page:
        with app.app_context():
            page = Page(title=title, slug=slug, published=published)
            set_body(page, body)
            db.session.add(page)
            db.session.commit()
            return detached(page)

    return make


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email="member@example.test", password=PASSWORD, **extra):
        page = self.client.get("/signin")
        data = {"email": email, "password": password, "csrf_token": csrf_from(page.text), **extra}
        return self.client.post("/signin", data=data)

    def logout(self):
        page = self.client.get("/")
        return self.client.post("/signout", data={"csrf_token": csrf_from(page.text)})


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def count_queries(app):
    """with count_queries() as queries: ...; len(queries) is the number of SQL statements run."""
    from contextlib import contextmanager

    with app.app_context():
        engine = db.engine

    @contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE")):
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting
