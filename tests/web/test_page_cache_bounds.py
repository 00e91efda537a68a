"""The page cache is bounded: canonical URLs only, a time to live on every entry, a size per store."""

import re
import shutil
import time
from contextlib import contextmanager

import pytest
from flask import template_rendered
from flask_migrate import upgrade

from blog import create_app
from blog.config import TestConfig
from blog.extensions import db
from blog.web.compression import Encoded
from blog.web.page_cache import cache
from blog.web.page_store import MemoryPageStore
from tests.support.content import permalink
from tests.support.database import database_url
from tests.support.live import Redis


@contextmanager
def renders(app):
    """The names of the templates rendered meanwhile (Flask's own signal)."""
    names: list[str] = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


def entries(app) -> int:
    """Pages in the store (a post page also keeps its shared thread there: blog/comments/shared.py)."""
    with app.app_context():
        store = cache.cache
        with store.lock:
            store.entries.expire()
            return sum(1 for key in store.entries if "thread:" not in key)


def test_junk_query_strings_create_no_entries_and_no_renderings(app, client, make_post):
    post = make_post("Canonical")
    assert client.get(permalink(post)).status_code == 200
    assert entries(app) == 1
    with renders(app) as rendered:
        for n in range(1000):
            response = client.get(f"{permalink(post)}?utm_source=x{n}&x={n}")
            assert response.status_code == 301
            assert response.headers["Location"] == permalink(post)
        assert client.get(permalink(post)).status_code == 200  # the one page, from the cache
    assert rendered == []
    assert entries(app) == 1


@pytest.mark.parametrize(
    "url",
    ["/?page=2", "/search?q=walk", "/search?q=walk&page=2", "/feeds/posts/default?alt=rss", "/?page=1"],
)
def test_known_arguments_still_work(app, client, make_post, url):
    for n in range(12):  # two pages at 10 a page
        make_post(f"A walk {n}")
    response = client.get(url)
    if url == "/?page=1":  # page 1 has one URL, the one the pagination links use
        assert response.status_code == 301 and response.headers["Location"] == "/"
    else:
        assert response.status_code == 200
        assert re.search(r"A (<mark>)?walk(</mark>)? \d", response.text)


def test_numbers_and_argument_order_have_one_form(app, client, make_post):
    for n in range(12):
        make_post(f"Post {n}")
    assert client.get("/?page=02").headers["Location"] == "/?page=2"
    assert client.get("/?page=2&page=3").headers["Location"] == "/?page=2"
    assert client.get("/feeds/posts/default?alt=rss&max-results=5").headers["Location"] == (
        "/feeds/posts/default?alt=rss"
    )
    post = make_post("Thread")
    assert client.get(f"{permalink(post)}?cpage=1").headers["Location"] == permalink(post)
    # Either order of the search's two arguments is the same page, stored once.
    assert client.get("/search?q=post&page=2").status_code == 200
    assert client.get("/search?page=2&q=post").status_code == 200
    assert entries(app) == 1


def test_the_memory_store_expires_entries():
    store = MemoryPageStore(1024 * 1024, default_timeout=1)
    store.set("page", (b"<html>", []))
    assert store.get("page") == (b"<html>", [])
    time.sleep(1.2)
    assert store.get("page") is None
    assert len(store) == 0


@pytest.mark.parametrize("app_config", [{"PAGE_CACHE_MEMORY_BYTES": 64 * 1024}])
def test_the_memory_store_stays_under_its_bound(app, client, make_post):
    make_post("Findable", body="word " * 2000)
    for n in range(200):  # every search is a page of its own, each about 20 KB
        assert client.get(f"/search?q=findable+{n}").status_code == 200
    with app.app_context():
        store = cache.cache
        assert isinstance(store, MemoryPageStore)
        assert 0 < store.used_bytes <= 64 * 1024
        assert 0 < len(store) < 200


def test_a_page_larger_than_a_quarter_of_the_store_is_not_stored():
    store = MemoryPageStore(100_000)
    assert store.set("big", ([], Encoded(b"x" * 30_000))) is False
    assert store.get("big") is None


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
def test_redis_holds_the_cache_only_when_named_and_every_entry_has_a_ttl(tmp_path):
    redis = Redis(tmp_path)
    alone = app = None
    try:
        # REDIS_URL alone keeps the cache in process memory: that Redis holds the rate limits.
        alone = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url(tmp_path), REDIS_URL=redis.url)
        assert alone.config["CACHE_TYPE"] == "blog.web.page_store.MemoryPageStore"
        app = create_app(
            TestConfig, SQLALCHEMY_DATABASE_URI=database_url(tmp_path), CACHE_REDIS_URL=redis.url
        )
        with app.app_context():
            upgrade()
        client = app.test_client()
        for url in ("/", "/search?q=anything", "/feeds/posts/default"):
            assert client.get(url).status_code == 200
        keys = redis.client.keys("blog-page:*")
        assert len(keys) == 3
        assert all(0 < redis.client.ttl(key) <= 3600 for key in keys)
    finally:
        redis.stop()
        for made in filter(None, (alone, app)):
            with made.app_context():
                db.session.remove()
                db.engine.dispose()


def test_odd_page_numbers_are_a_404_or_the_first_page_never_a_500(app, client, make_post):
    post = make_post("Numbers")
    for url in ("/?page=²", "/?page=0", "/?page=abc", "/search?q=numbers&page=²"):
        assert client.get(url).status_code == 404, url
    for value in ("²", "0", "x"):
        response = client.get(f"{permalink(post)}?cpage={value}")
        assert response.status_code == 301 and response.headers["Location"] == permalink(post)
