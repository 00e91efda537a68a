"""The cache front (blog/web/cache_front.py): page-cache hits answered before Flask, exactly."""

import gzip
import time
from datetime import timedelta

import brotli
import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from blog.extensions import db
from blog.models import utcnow
from blog.web.cache_front import on_hit
from tests.support.accounts import sign_in
from tests.support.content import permalink


@pytest.fixture
def work(app):
    """Counts of what Flask and the database did: request hooks, ORM statements, SQL on the app's engine."""
    counts = {"hooks": 0, "orm": 0, "sql": 0}

    def hook(response=None):
        counts["hooks"] += 1
        return response

    app.before_request(hook)
    app.after_request(hook)
    app.teardown_request(lambda _error: None)

    def orm(_state):
        counts["orm"] += 1

    def sql(*_args):
        counts["sql"] += 1

    with app.app_context():
        engine = db.engine
    event.listen(Session, "do_orm_execute", orm)
    event.listen(engine, "before_cursor_execute", sql)
    yield counts
    event.remove(Session, "do_orm_execute", orm)
    event.remove(engine, "before_cursor_execute", sql)


def reset(counts):
    for name in counts:
        counts[name] = 0


def test_a_hit_runs_no_flask_hook_and_no_query(app, client, make_post, work):
    post = make_post("Cached", body="Read me.")
    first = client.get(permalink(post))
    assert first.status_code == 200 and work["hooks"] and work["orm"] and work["sql"]
    # A hit of its own first: the first view of a day writes the day's stats salt (blog/stats).
    client.get(permalink(post))
    versions = app.extensions["content_versions"]
    asked = versions.queries
    reset(work)
    again = client.get(permalink(post))
    assert work == {"hooks": 0, "orm": 0, "sql": 0}
    if versions.sqlite:  # nothing written since: PRAGMA data_version said so, no version query
        assert versions.queries == asked
    assert again.status_code == 200 and again.data == first.data
    for name in (
        "Content-Type",
        "ETag",
        "Cache-Control",
        "Content-Security-Policy",
        "X-Frame-Options",
        "Vary",
    ):
        assert again.headers[name] == first.headers[name], name
    assert int(again.headers["Content-Length"]) == len(first.data)


def test_conditional_get_and_head_on_a_hit(app, client, make_post, work):
    post = make_post("Validated")
    etag = client.get(permalink(post)).headers["ETag"]
    reset(work)
    same = client.get(permalink(post), headers={"If-None-Match": f'"other", W/{etag}'})
    assert same.status_code == 304 and same.data == b"" and same.headers["ETag"] == etag
    assert "Content-Security-Policy" not in same.headers and "Cache-Control" in same.headers
    head = client.head(permalink(post))
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] == etag
    assert work["hooks"] == 0


def test_a_hit_is_compressed_once_with_an_etag_per_encoding(app, client, make_post, work):
    post = make_post("Squeezed", body="Many words. " * 300)
    plain = client.get(permalink(post))  # stored in every encoding
    assert "Accept-Encoding" in plain.headers["Vary"] and "Content-Encoding" not in plain.headers
    reset(work)
    br = client.get(permalink(post), headers={"Accept-Encoding": "gzip, deflate, br"})
    gz = client.get(permalink(post), headers={"Accept-Encoding": "gzip;q=1, br;q=0"})
    assert work["hooks"] == 0
    assert br.headers["Content-Encoding"] == "br" and brotli.decompress(br.data) == plain.data
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == plain.data
    assert len({plain.headers["ETag"], br.headers["ETag"], gz.headers["ETag"]}) == 3
    again = client.get(
        permalink(post), headers={"Accept-Encoding": "br", "If-None-Match": br.headers["ETag"]}
    )
    assert again.status_code == 304
    # A plain page's ETag does not validate the brotli body, nor the other way round.
    other = client.get(
        permalink(post), headers={"Accept-Encoding": "br", "If-None-Match": plain.headers["ETag"]}
    )
    assert other.status_code == 200 and other.headers["Content-Encoding"] == "br"


def test_a_page_answered_by_flask_is_compressed_too(app, client, make_post, member):
    post = make_post("For members", body="Many words. " * 300)
    sign_in(client)
    page = client.get(permalink(post), headers={"Accept-Encoding": "br"})
    assert page.headers["Content-Encoding"] == "br" and b"Sign out" in brotli.decompress(page.data)
    app.config["COMPRESSION_ENABLED"] = False
    assert "Content-Encoding" not in client.get(permalink(post), headers={"Accept-Encoding": "br"}).headers


def test_hit_hooks_hear_every_answered_hit(app, client, make_post):
    heard = []
    on_hit(app, lambda environ, status: heard.append((environ["PATH_INFO"], status)))
    on_hit(app, lambda environ, status: 1 / 0)  # a failing hook is logged, the page still goes out
    post = make_post("Counted")
    etag = client.get(permalink(post)).headers["ETag"]  # a miss: Flask answers it (and counts it itself)
    assert heard == []
    assert client.get(permalink(post)).status_code == 200
    assert client.get(permalink(post), headers={"If-None-Match": etag}).status_code == 304
    assert heard == [(permalink(post), 200), (permalink(post), 304)]


def test_someone_with_a_session_never_gets_a_shared_page(app, client, make_post, member, work):
    post = make_post("Personal")
    client.get(permalink(post))
    sign_in(client)
    reset(work)
    page = client.get(permalink(post))
    assert "Sign out" in page.text and work["hooks"] > 0


def test_a_write_by_another_connection_is_seen_at_once(app, client, make_post):
    post = make_post("Before")
    assert "Before" in client.get(permalink(post)).text
    with app.app_context():  # a write no ORM event sees: another process, a script
        db.session.execute(text("UPDATE posts SET title = 'After' WHERE id = :id"), {"id": post.id})
        db.session.execute(text("UPDATE content_version SET number = number + 1 WHERE id = 1"))
        db.session.commit()
    assert "After" in client.get(permalink(post)).text


def test_a_scheduled_post_comes_due_with_no_write_at_all(app, client, make_post):
    make_post("Already out")
    due = utcnow() + timedelta(seconds=1.5)
    make_post("Coming soon", when=due)
    assert "Coming soon" not in client.get("/").text
    assert "Coming soon" not in client.get("/").text  # a hit, from the same version
    time.sleep(max(0.0, (due - utcnow()).total_seconds()) + 0.2)
    assert "Coming soon" in client.get("/").text
