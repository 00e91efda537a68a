"""Private by construction: nothing stored identifies a reader, and the day's salt goes with its day."""

from datetime import datetime, timedelta

from sqlalchemy import select

from blog.extensions import db
from blog.models import BlogSettings, StatsSalt, StatsSeen
from blog.stats.store import stats_tick
from blog.stats.visitors import forget_past_days
from tests.stats.conftest import FIREFOX, day_rows, flush, path_rows, read
from tests.support.content import permalink

ADDRESS = "203.0.113.77"


def everything_stored(app) -> str:
    """Every row of every table, as text."""
    with app.app_context():
        return "\n".join(
            repr(row) for table in db.metadata.sorted_tables for row in db.session.execute(select(table))
        )


def test_no_address_or_user_agent_is_stored(app, client, post):
    read(client, permalink(post), address=ADDRESS, Referer="https://example.org/some/page?q=secret")
    flush(app)
    stored = everything_stored(app)
    assert permalink(post) in stored  # the rows are there
    for secret in (ADDRESS, FIREFOX, "Firefox", "Gecko", "/some/page", "secret"):
        assert secret not in stored


def salts(app) -> list:
    with app.app_context():
        return list(db.session.scalars(select(StatsSalt.day)))


def seen_days(app) -> set:
    with app.app_context():
        return set(db.session.scalars(select(StatsSeen.day)))


def test_the_salt_changes_daily_and_the_old_one_is_deleted(app, post):
    counter = app.extensions["stats"]
    path = permalink(post)
    monday = datetime(2026, 11, 30, 12, 0)
    tuesday = monday + timedelta(days=1)
    counter.count(path, 200, ADDRESS, FIREFOX, None, now=monday)
    counter.count(path, 200, ADDRESS, FIREFOX, None, now=monday + timedelta(hours=3))
    monday_salt = counter.salt
    assert salts(app) == [monday.date()]
    counter.count(path, 200, ADDRESS, FIREFOX, None, now=tuesday)
    assert counter.salt != monday_salt
    assert salts(app) == [tuesday.date()]  # Monday's salt is gone the moment Tuesday's is made
    flush(app)
    # The same reader on two days: a visitor each day, by digests that share nothing.
    assert sorted(day_rows(app)) == [(monday.date(), 2, 1), (tuesday.date(), 1, 1)]
    assert path_rows(app) == {path: (3, 2)}
    with app.app_context():
        digests = {
            day: set(db.session.scalars(select(StatsSeen.digest).where(StatsSeen.day == day)))
            for day in (monday.date(), tuesday.date())
        }
    assert not digests[monday.date()] & digests[tuesday.date()]
    # Monday's digests stay a few minutes into Tuesday (late counts of Monday), then go.
    with app.app_context():
        forget_past_days(tuesday.replace(hour=0, minute=1), timedelta(minutes=5))
        db.session.commit()
    assert seen_days(app) == {monday.date(), tuesday.date()}
    with app.app_context():
        forget_past_days(tuesday.replace(hour=0, minute=6), timedelta(minutes=5))
        db.session.commit()
    assert seen_days(app) == {tuesday.date()}


def test_the_workers_tick_deletes_what_days_gone_by_left(app, client, post):
    read(client, permalink(post))
    flush(app)
    with app.app_context():
        db.session.add(StatsSalt(day=datetime(2020, 1, 1).date(), salt="00" * 32))
        db.session.add(StatsSeen(day=datetime(2020, 1, 1).date(), digest="0" * 32))
        db.session.commit()
    with app.app_context():
        stats_tick()
    assert datetime(2020, 1, 1).date() not in salts(app)
    assert datetime(2020, 1, 1).date() not in seen_days(app)
    assert len(salts(app)) == 1 and len(seen_days(app)) == 1  # today's stay


def test_the_day_turns_at_the_blogs_midnight_not_utcs(app, post):
    with app.app_context():
        db.session.get(BlogSettings, 1).timezone = "America/New_York"  # UTC-5 in December
        db.session.commit()
    counter = app.extensions["stats"]
    path = permalink(post)
    late = datetime(2026, 12, 1, 4, 59)  # 23:59 on November 30th in New York
    counter.count(path, 200, ADDRESS, FIREFOX, None, now=late)
    counter.count(path, 200, ADDRESS, FIREFOX, None, now=late + timedelta(minutes=2))  # 00:01, Dec 1st
    counter.count(path, 200, ADDRESS, FIREFOX, None, now=late + timedelta(minutes=3))
    flush(app)
    assert sorted(day_rows(app)) == [(late.date() - timedelta(days=1), 1, 1), (late.date(), 2, 1)]
