"""Stats: a reader's browser, handing the counts over as the timer would, and the rows they became."""

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import StatsDay, StatsPath, StatsReferrer

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def read(client, path: str, ua: str = FIREFOX, address: str = "203.0.113.7", method: str = "GET", **headers):
    """A request as a reader's browser sends it, from `address`."""
    headers = {"User-Agent": ua, **{k.replace("_", "-"): v for k, v in headers.items()}}
    return client.open(path, method=method, headers=headers, environ_base={"REMOTE_ADDR": address})


def flush(app) -> None:
    """What the timer does every STATS_FLUSH_SECONDS (the test queue runs the job at once)."""
    app.extensions["stats"].hand_over()


def path_rows(app) -> dict[str, tuple[int, int]]:
    """{path: (views, visitors)} over every day."""
    with app.app_context():
        rows = db.session.execute(select(StatsPath.path, StatsPath.views, StatsPath.visitors)).all()
    totals: dict[str, tuple[int, int]] = {}
    for path, views, visitors in rows:
        old = totals.get(path, (0, 0))
        totals[path] = (old[0] + views, old[1] + visitors)
    return totals


def day_rows(app) -> list[tuple]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(select(StatsDay.day, StatsDay.views, StatsDay.visitors))]


def referrer_rows(app) -> list[tuple]:
    with app.app_context():
        query = select(StatsReferrer.path, StatsReferrer.host, StatsReferrer.views).order_by(
            StatsReferrer.host
        )
        return [tuple(r) for r in db.session.execute(query)]


@pytest.fixture
def post(make_post):
    return make_post("Counted post", body="Read me.")
