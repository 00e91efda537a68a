"""Crash safety on SQLite: kill -9 one gunicorn worker in the middle of a comment load.

Every acknowledged comment is stored (once), PRAGMA integrity_check says ok, and the server goes
on serving: gunicorn replaces the worker and the blog takes comments again."""

import os
import secrets
import signal
import sqlite3
import threading
import time
import uuid

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from blog.extensions import db
from blog.models import Comment
from tests.support.live import Gunicorn, Member, busy_post, server_env

pytestmark = [
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")),
        reason="a SQLite test: it runs in the suite without DATABASE_URL",
    ),
    pytest.mark.xdist_group("load"),  # one load test at a time (see test_comment_load.py)
]

MEMBERS = 8
COMMENTS_EACH = 25
KILL_AFTER = 40  # acknowledged comments before the kill


@pytest.fixture
def blog(app, make_post):
    return busy_post(app, make_post, "Under load", MEMBERS)


@pytest.fixture
def server(app, blog, tmp_path):
    # The production setting: an acknowledged comment is on disk (synchronous=FULL).
    env = server_env(
        app.config["SQLALCHEMY_DATABASE_URI"], secrets.token_hex(32), FLASK_SQLITE_SYNCHRONOUS="FULL"
    )
    gunicorn = Gunicorn(env, tmp_path / "gunicorn.log", workers=3, threads=2)
    yield gunicorn
    gunicorn.stop()


def post_with_retries(
    person: Member, base: str, post_id: int, body: str, key: str
) -> requests.Response | None:
    """Post as a browser would after a dropped connection: again, with the same form (same key)."""
    for _ in range(10):
        try:
            return person.comment(base, post_id, body, key)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):  # cut mid-answer too
            time.sleep(0.2)
    return None


def test_killing_a_worker_mid_load_loses_no_acknowledged_comment(app, blog, server):
    post, members = blog
    path = f"/{post.year:04d}/{post.month:02d}/{post.slug}.html"
    people = [Member(m.email) for m in members]
    for person in people:
        person.sign_in(server.url)
        person.load_token(server.url, path)

    acknowledged: list[str] = []
    problems: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()

    def load(i: int, person: Member) -> None:
        for j in range(COMMENTS_EACH):
            key = uuid.uuid4().hex
            response = post_with_retries(person, server.url, post.id, f"Comment {j} by member {i}", key)
            with lock:
                if response is not None and response.status_code == 200:
                    acknowledged.append(key)
                    if len(acknowledged) >= KILL_AFTER:
                        enough.set()
                else:
                    problems.append(
                        f"member {i}, comment {j}: {getattr(response, 'status_code', 'no answer')}"
                    )

    threads = [threading.Thread(target=load, args=(i, p)) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    assert enough.wait(timeout=120), "the load never got going"
    victim = server.worker_pids()[0]
    with lock:
        before_kill = len(acknowledged)
    os.kill(victim, signal.SIGKILL)
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads)

    assert problems == []
    assert before_kill < len(acknowledged) == MEMBERS * COMMENTS_EACH  # the load went on after the kill
    with app.app_context():
        stored = dict(
            db.session.execute(
                select(Comment.idempotency_key, func.count()).group_by(Comment.idempotency_key)
            ).all()
        )
        db.session.remove()
    assert all(stored.get(key) == 1 for key in acknowledged)
    assert sum(stored.values()) == len(acknowledged)

    # The server goes on serving: the worker is replaced, pages and comments work.
    deadline = time.monotonic() + 30
    while (victim in server.worker_pids() or len(server.worker_pids()) < 3) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert victim not in server.worker_pids() and len(server.worker_pids()) == 3
    for _ in range(10):
        assert requests.get(server.url + "/", timeout=10).status_code == 200
    after = people[0].comment(server.url, post.id, "Still here after the crash")
    assert after.status_code == 200
    assert "Still here after the crash" in after.text  # the section's page that holds it

    server.stop()
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = conn.execute("SELECT count(*) FROM comments").fetchone()[0]
    conn.close()
    assert count == len(acknowledged) + 1
