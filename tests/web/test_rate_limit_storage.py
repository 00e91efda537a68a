"""Where rate limits live: Redis when REDIS_URL is set (shared by every process), else process memory;
and a Redis that goes away degrades to counting in memory, never to errors."""

import pytest

from blog import create_app
from blog.config import TestConfig
from tests.support.accounts import PASSWORD, make_user, sign_in
from tests.support.web import csrf_from


def test_redis_url_holds_the_rate_limits_unless_a_storage_is_named(monkeypatch, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'blog.db'}"
    monkeypatch.delenv("FLASK_RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert (
        create_app(TestConfig, SQLALCHEMY_DATABASE_URI=db_url).config["RATELIMIT_STORAGE_URI"] == "memory://"
    )
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/2")
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=db_url)
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/2"
    monkeypatch.setenv("FLASK_RATELIMIT_STORAGE_URI", "memory://")
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=db_url)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.fixture
def app_config():
    return {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/0"}  # nothing listens there


def test_an_unreachable_redis_falls_back_to_memory_limits(client):
    codes = []
    for attempt in range(7):
        page = client.get("/signin")
        codes.append(
            client.post(
                "/signin",
                data={
                    "email": "someone@example.test",
                    "password": f"guess {attempt}",
                    "csrf_token": csrf_from(page.text),
                },
            ).status_code
        )
    assert codes == [422] * 5 + [429] * 2  # the failed sign-in limit still holds, and nothing fails


def test_successes_are_given_back_to_the_fallback_too(app):
    # The hits go to the in-memory fallback while Redis is away, so the give-back must go there too.
    email = make_user(app, "fallback@example.test", "Fallback").email
    passwords = [PASSWORD] * 8 + ["wrong password"] * 6
    codes = [sign_in(app.test_client(), email=email, password=p, expect=None).status_code for p in passwords]
    assert codes == [302] * 8 + [422] * 5 + [429]
