"""A new blog has what it needs from `flask db upgrade`: the first requests, many at once, never
race to create the settings row (they used to answer 500 "database is locked")."""

import threading

import pytest
import requests
from sqlalchemy import delete, select
from werkzeug.serving import make_server

from blog.extensions import db
from blog.models import BlogSettings, ContentVersion

# Fewer than the pool holds (5 + 10 overflow): a request never waits for a connection on a busy machine.
CLIENTS = 12


def test_a_freshly_upgraded_database_has_the_settings_and_version_rows(app):
    with app.app_context():
        settings = db.session.get(BlogSettings, 1)
        assert settings is not None
        assert (settings.title, settings.posts_per_page, settings.comment_policy) == (
            "My Blog",
            10,
            "members",
        )
        assert db.session.scalar(select(ContentVersion.number).where(ContentVersion.id == 1)) == 0


def first_requests_at_once(app) -> list[int]:
    """CLIENTS requests for the home page, all started at the same moment, against a live threaded server."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever)
    serving.start()
    url = f"http://127.0.0.1:{server.server_port}/"
    start = threading.Barrier(CLIENTS)
    statuses: list[int] = []

    def visit():
        start.wait()
        statuses.append(requests.get(url, timeout=60).status_code)

    try:
        visitors = [threading.Thread(target=visit) for _ in range(CLIENTS)]
        for visitor in visitors:
            visitor.start()
        for visitor in visitors:
            visitor.join(90)
    finally:
        server.shutdown()
        serving.join(10)
    return statuses


@pytest.mark.parametrize("row", ["from the upgrade", "deleted by hand"])
def test_many_first_requests_at_once_all_answer_200(app, row):
    if row == "deleted by hand":
        with app.app_context():
            db.session.execute(delete(BlogSettings))
            db.session.commit()
    assert first_requests_at_once(app) == [200] * CLIENTS
    with app.app_context():
        assert db.session.get(BlogSettings, 1).title == "My Blog"
