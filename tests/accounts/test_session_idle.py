"""Sessions end after SESSION_IDLE_DAYS without a visit (default 14), not only at their 30-day
limit; reading pages counts as a visit, written at most once an hour."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from blog.extensions import db
from blog.models import UserSession, utcnow
from tests.support.accounts import sign_in


@pytest.fixture
def signed_in(app, client, member):
    sign_in(client)
    return client


def last_seen(app):
    with app.app_context():
        return db.session.scalar(select(UserSession.last_seen_at))


def set_last_seen(app, when):
    with app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=when))
        db.session.commit()


def test_the_idle_limit_defaults_to_14_days(app):
    assert app.config["SESSION_IDLE_DAYS"] == 14


def test_a_session_idle_past_the_limit_is_signed_out(app, signed_in):
    set_last_seen(app, utcnow() - timedelta(days=14, minutes=1))
    response = signed_in.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin")


def test_a_session_visited_recently_stays_and_the_visit_is_recorded(app, signed_in):
    set_last_seen(app, utcnow() - timedelta(days=13))
    assert signed_in.get("/account").status_code == 200  # a GET: a read transaction
    assert utcnow() - last_seen(app) < timedelta(minutes=1)


def test_the_last_visit_is_written_at_most_once_an_hour(app, signed_in):
    earlier = utcnow() - timedelta(minutes=50)
    set_last_seen(app, earlier)
    assert signed_in.get("/account").status_code == 200
    assert last_seen(app) == earlier


@pytest.mark.parametrize("app_config", [{"SESSION_IDLE_DAYS": 2}])
def test_the_idle_limit_is_configurable(app, signed_in):
    set_last_seen(app, utcnow() - timedelta(days=2, minutes=1))
    assert signed_in.get("/account").status_code == 302
