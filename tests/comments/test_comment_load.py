"""A bounded load test: 8 members post 25 comments each at once against a multi-worker gunicorn on
loopback. Every acknowledged comment is stored exactly once (retries included), and nothing is a 5xx.

Runs on the test database: a migrated SQLite file, or DATABASE_URL's PostgreSQL database."""

import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select

from blog.extensions import db
from blog.models import Comment
from tests.support.accounts import make_user, sign_in
from tests.support.content import permalink, set_settings
from tests.support.live import ROOT, free_port
from tests.support.web import csrf_from

MEMBERS = 8
COMMENTS_EACH = 25
TIMEOUT = 20  # seconds for any one request

# The load tests run one after another on one xdist worker (scripts/test: --dist loadgroup): side by
# side, their gunicorn workers would fight over the cores and time out.
pytestmark = pytest.mark.xdist_group("load")


@pytest.fixture
def gunicorn(app, tmp_path):
    """The app under gunicorn -w 3 on a free loopback port, sharing the test's database."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_SECRET_KEY": secrets.token_hex(32),
        "FLASK_RATELIMIT_ENABLED": "false",
        "FLASK_MAIL_BACKEND": "memory",
        "FLASK_SQLITE_SYNCHRONOUS": "NORMAL",
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "3",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--no-control-socket",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(base + "/robots.txt", timeout=5)
                break
            except requests.RequestException:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text())
                time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def signed_in_session(base: str, email: str, post_path: str) -> requests.Session:
    session = requests.Session()
    sign_in(session, email, base=base)
    token = csrf_from(session.get(base + post_path, timeout=TIMEOUT).text)
    session.headers.update({"HX-Request": "true", "X-CSRFToken": token})
    return session


def member_run(base: str, email: str, post_path: str, post_id: int) -> list[tuple[str, int]]:
    """Sign in twice (two tabs), then post COMMENTS_EACH comments; every fifth is sent from both
    tabs at once with the same idempotency key, as a double click or a retry would."""
    results: list[tuple[str, int]] = []
    tabs = [signed_in_session(base, email, post_path) for _ in range(2)]
    url = f"{base}/posts/{post_id}/comments"
    with ThreadPoolExecutor(max_workers=2) as pool:
        for n in range(COMMENTS_EACH):
            nonce = uuid.uuid4().hex
            data = {"body": f"load test {email} #{n} nonce {nonce}", "key": uuid.uuid4().hex}
            senders = tabs if n % 5 == 0 else tabs[:1]
            answers = pool.map(lambda tab, data=data: tab.post(url, data=data, timeout=TIMEOUT), senders)
            results.extend((nonce, answer.status_code) for answer in answers)
    for tab in tabs:
        tab.close()
    return results


def test_concurrent_members_each_comment_stored_exactly_once(app, make_post, gunicorn):
    post = make_post("Busy post")
    # Short pages keep each answer (the refreshed section) small: this measures storing, not rendering.
    set_settings(app, comment_interval_seconds=0, comments_per_page=25)
    emails = [make_user(app, f"load{n}@example.test", f"Load {n}").email for n in range(MEMBERS)]
    with ThreadPoolExecutor(max_workers=MEMBERS) as pool:
        futures = [pool.submit(member_run, gunicorn, email, permalink(post), post.id) for email in emails]
        results = [item for future in futures for item in future.result(timeout=90)]

    statuses = [status for _, status in results]
    assert not [s for s in statuses if s >= 500], f"5xx answers: {statuses}"
    acknowledged = {nonce for nonce, status in results if 200 <= status < 300}
    with app.app_context():
        bodies = list(db.session.scalars(select(Comment.body_source).where(Comment.post_id == post.id)))
    stored = [re.search(r"nonce ([0-9a-f]{32})", body).group(1) for body in bodies]
    assert len(acknowledged) == MEMBERS * COMMENTS_EACH, sorted(set(statuses))
    for nonce in acknowledged:
        assert stored.count(nonce) == 1, nonce
    # nothing unacknowledged slipped in twice either; how fast is bench/run's question, not a test's
    assert len(stored) == len(set(stored))
