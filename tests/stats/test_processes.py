"""Counting in real processes: gunicorn app servers, a worker (`flask --app app worker`), Redis.

- the in-memory buffer: each app process hands its counts to the queue every interval, and the
  worker writes them as daily rows; killing the app (SIGKILL) loses at most the last interval;
- Redis: two app servers count into one buffer, the worker drains it, and the numbers add up
  exactly; a killed app server loses nothing, its views are already in Redis.
"""

import os
import secrets
import shutil
import signal

import pytest
import requests
from sqlalchemy import func, select, text

from blog.extensions import db
from blog.models import StatsDay, StatsPath
from tests.stats.conftest import CHROME, FIREFOX
from tests.support.content import permalink
from tests.support.live import Gunicorn, Redis, server_env, wait_until
from tests.support.queue import Worker

pytestmark = [
    pytest.mark.skipif(
        shutil.which("redis-server") is None and not os.environ.get("CI"), reason="no redis-server"
    ),
    pytest.mark.xdist_group("load"),  # gunicorn servers: one such test at a time
]
BROWSERS = [FIREFOX, CHROME, FIREFOX + " extra", CHROME + " extra"]  # four visitors from one address


@pytest.fixture
def stats_redis(request, tmp_path):
    """A redis-server for the tests that ask for one (parametrized with True)."""
    if not getattr(request, "param", False):
        yield None
        return
    server = Redis(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def app_config(tmp_path, stats_redis):
    config = {"QUEUE_IMMEDIATE": False, "QUEUE_FILE": str(tmp_path / "queue.db"), "STATS_FLUSH_SECONDS": 1}
    if stats_redis is not None:
        config["REDIS_URL"] = stats_redis.url
    return config


@pytest.fixture
def start(app, tmp_path):
    """start(name) -> a gunicorn app server counting with this test's settings; all stopped after."""
    config = app.config
    env = server_env(
        config["SQLALCHEMY_DATABASE_URI"],
        secrets.token_hex(32),
        config.get("REDIS_URL"),
        FLASK_STATS_FLUSH_SECONDS="1",
        FLASK_QUEUE_FILE=config["QUEUE_FILE"],
        FLASK_RATELIMIT_ENABLED="false",
        FLASK_MAIL_BACKEND="console",
    )
    servers = []

    def make(name: str, workers: int = 2) -> Gunicorn:
        servers.append(Gunicorn(env, tmp_path / f"gunicorn-{name}.log", workers=workers, threads=2))
        return servers[-1]

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def worker(app, tmp_path):
    process = Worker(app, tmp_path, FLASK_STATS_FLUSH_SECONDS="1")
    yield process
    process.stop()


def read(base: str, path: str, n: int) -> None:
    for i in range(n):
        response = requests.get(base + path, headers={"User-Agent": BROWSERS[i % len(BROWSERS)]}, timeout=30)
        assert response.status_code == 200


def stored(app) -> tuple[int, int]:
    """(views, visitors) of the blog over every day, as the Stats screen adds them up."""
    with app.app_context():
        views, visitors = db.session.execute(
            select(func.sum(StatsDay.views), func.sum(StatsDay.visitors))
        ).one()
        db.session.remove()
    return int(views or 0), int(visitors or 0)


def wait_for_views(app, views: int) -> None:
    wait_until(lambda: stored(app)[0] >= views, 60, f"{views} views written")


def kill(server: Gunicorn) -> None:
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(10)


def path_views(app) -> dict[str, int]:
    with app.app_context():
        rows = dict(db.session.execute(select(StatsPath.path, StatsPath.views)).all())
        db.session.remove()
    return rows


def test_each_process_hands_its_counts_to_the_worker_and_a_crash_loses_one_interval_at_most(
    app, make_post, start, worker
):
    before, during, after = (permalink(make_post(title)) for title in ("Before", "During", "After"))
    server = start("a")
    read(server.url, before, 12)
    wait_for_views(app, 12)  # handed over while the app runs on: the timer, not an exit
    assert stored(app) == (12, 4)
    read(server.url, during, 6)
    kill(server)  # the counts of the last interval die with the processes
    again = start("b")
    read(again.url, after, 4)
    wait_until(lambda: path_views(app).get(after) == 4, 60, "the restarted server's views")
    read(again.url, after, 3)
    again.stop()  # a clean stop hands over what is left at once
    wait_until(lambda: path_views(app).get(after) == 7, 60, "the views handed over at exit")
    views = path_views(app)
    assert views[before] == 12 and views[after] == 7  # nothing before the last hand-over was lost
    assert views.get(during, 0) <= 6
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        db.session.remove()


@pytest.mark.parametrize("stats_redis", [True], indirect=True)
def test_two_app_servers_count_into_redis_and_the_counts_add_up_exactly(
    app, make_post, start, worker, stats_redis
):
    first, second = make_post("First"), make_post("Second")
    a, b = start("a", workers=2), start("b", workers=2)
    read(a.url, permalink(first), 10)
    read(b.url, permalink(first), 10)
    read(b.url, permalink(second), 5)
    read(a.url, "/", 3)
    wait_for_views(app, 28)
    assert stored(app) == (28, 4)  # four browsers, one address: four visitors, whichever process saw them
    with app.app_context():
        per_path = dict(db.session.execute(select(StatsPath.path, StatsPath.visitors)).all())
        views = dict(db.session.execute(select(StatsPath.path, StatsPath.views)).all())
        db.session.remove()
    assert views == {permalink(first): 20, permalink(second): 5, "/": 3}
    assert per_path == {permalink(first): 4, permalink(second): 4, "/": 3}
    read(a.url, permalink(second), 7)
    kill(a)  # its views are in Redis already: nothing is lost
    wait_for_views(app, 35)
    assert stored(app) == (35, 4)
