"""A POST holds SQLite's write lock only when it writes (see blog/db.py): a failed sign-in (a slow
password check) and a POST to an unknown URL answer at once while another connection writes,
and a real write still queues for the lock and succeeds. On PostgreSQL (MVCC) the same tests run,
with the other connection holding a row lock in an open write transaction."""

import os
import threading
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from blog.db import reads_first
from blog.extensions import db
from blog.models import User, UserSession
from tests.support.accounts import PASSWORD, sign_in
from tests.support.web import csrf_from

BUSY_TIMEOUT_S = 5


@pytest.fixture
def app_config():
    return {"SQLITE_BUSY_TIMEOUT_MS": BUSY_TIMEOUT_S * 1000, "RATELIMIT_ENABLED": False}


@contextmanager
def write_lock_held(app, seconds: float | None = None):
    """Another connection writes and keeps its transaction open (on SQLite: the write lock), until
    the block ends, or for `seconds` when given."""
    with app.app_context():
        engine = db.engine
    held, done = threading.Event(), threading.Event()

    def hold():
        # Outside a request the engine begins with BEGIN IMMEDIATE on SQLite (see blog/db.py).
        with engine.connect() as conn:
            conn.execute(text("UPDATE blog_settings SET title = title"))
            held.set()
            done.wait(seconds if seconds is not None else 60)
            conn.rollback()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10), "the other connection could not start writing"
    try:
        yield
    finally:
        done.set()
        holder.join(10)


def sign_in_form(client, password: str) -> dict:
    return {
        "email": "member@example.test",
        "password": password,
        "csrf_token": csrf_from(client.get("/signin").text),
    }


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_a_failed_sign_in_does_not_wait_for_the_write_lock(app, client, member):
    data = sign_in_form(client, "not the password")
    with write_lock_held(app):
        response, elapsed = timed(lambda: client.post("/signin", data=data))
    assert response.status_code == 422
    assert "do not match an account" in response.text
    assert elapsed < BUSY_TIMEOUT_S - 1


def test_a_post_to_an_unknown_url_does_not_wait_for_the_write_lock(app, client, member):
    with write_lock_held(app):
        response, elapsed = timed(lambda: client.post("/no-such-page", data={"x": "1"}))
    assert response.status_code == 404
    assert elapsed < BUSY_TIMEOUT_S - 1
    sign_in(client)  # signed in, too (the user's session is read)
    with write_lock_held(app):
        response, elapsed = timed(lambda: client.post("/no-such-page", data={"x": "1"}))
    assert response.status_code == 404
    assert elapsed < BUSY_TIMEOUT_S - 1


def test_a_real_write_queues_for_the_lock_and_succeeds(app, client, member):
    data = sign_in_form(client, PASSWORD)
    with write_lock_held(app, seconds=1):
        response = client.post("/signin", data=data)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1
    assert client.get("/account").status_code == 200


def test_a_write_before_write_is_refused_at_once(app, client, member):
    """A @reads_first view that forgets write() fails every time, on every database, instead of
    failing now and then under load."""

    @reads_first
    def forgetful():
        db.session.get(User, member.id).name = "Changed"
        db.session.commit()
        return "done"

    app.add_url_rule("/test/forgetful", view_func=forgetful, methods=["POST"])
    app.config["WTF_CSRF_ENABLED"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = True
    with pytest.raises(RuntimeError, match="write\\(\\) first"):
        client.post("/test/forgetful")
    with app.app_context():
        assert db.session.get(User, member.id).name == "Max Member"


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite's write lock and busy timeout"
)
@pytest.mark.parametrize("app_config", [{"SQLITE_BUSY_TIMEOUT_MS": 300}])
def test_a_writer_gives_up_at_the_busy_timeout_and_keeps_its_setting(app):
    """A writer polls for the lock (blog/db.py) for as long as the busy timeout, then gets SQLite's
    own answer; the connection keeps the configured timeout for its other statements."""
    with app.app_context():
        engine = db.engine
    with write_lock_held(app), engine.connect() as conn:
        started = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked"):
            conn.execute(text("UPDATE blog_settings SET title = title"))
        assert 0.3 <= time.monotonic() - started < 3
        conn.rollback()
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 300
