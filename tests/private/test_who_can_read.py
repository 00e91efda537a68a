"""Who can read: every kind of URL, for both settings, with the page cache primed before each
switch (in process memory and in Redis), with and without htmx headers."""

import shutil

import pytest

from blog.models import ReadAccess
from tests.private.conftest import SECRETS
from tests.support.accounts import sign_in
from tests.support.content import set_settings
from tests.support.live import Redis

HEADERS = {
    "plain": {},
    "htmx": {"HX-Request": "true"},
    "boosted": {"HX-Request": "true", "HX-Boosted": "true"},
}


@pytest.fixture(params=["memory", "redis"])
def cache_store(request, tmp_path):
    """The page cache in process memory, or in a Redis of its own (a real redis-server)."""
    if request.param == "memory":
        yield None
        return
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    redis = Redis(tmp_path)
    yield redis
    redis.stop()


@pytest.fixture
def app_config(cache_store):
    return {"CACHE_REDIS_URL": cache_store.url} if cache_store else {}


def shows_content(body: str) -> bool:
    return any(secret in body for secret in SECRETS)


def check_public(client, hidden, headers):
    """What anyone gets from a public blog: the content (or, for a fragment URL asked for without
    htmx, a redirect to the page that shows it)."""
    for kind, urls in hidden.urls().items():
        for url in urls:
            response = client.get(url, headers=headers)
            if (
                kind == "partial"
                and "HX-Request" not in headers
                or (kind == "partial" and "HX-Boosted" in headers)
            ):
                assert response.status_code == 302, url
                assert "/signin" not in response.headers["Location"], url
                continue
            assert response.status_code == 200, (url, response.status_code)
            if kind == "image":
                assert response.data == hidden.image_bytes
            elif url not in ("/sitemap.xml", "/api/v1/openapi.json"):
                assert shows_content(response.text), url


def check_refused(client, hidden, headers):
    """What a signed-out person gets from a private blog: never content, never cacheable."""
    for kind, urls in hidden.urls().items():
        for url in urls:
            response = client.get(url, headers=headers)
            body = response.get_data(as_text=True)
            assert not shows_content(body), (url, body[:300])
            if kind == "image":
                assert response.status_code == 404, url
                assert response.data != hidden.image_bytes
            elif kind in ("feed", "api"):
                assert response.status_code == 401, url
                assert response.headers["WWW-Authenticate"].startswith("Bearer")
                if kind == "api":
                    assert response.json["error"] == "unauthorized", url
            elif "HX-Request" in headers:
                assert response.status_code == 401, url
                assert response.headers["HX-Redirect"].startswith("/signin"), url
            else:
                assert response.status_code == 302, url
                assert response.headers["Location"].startswith("/signin?next="), url
            assert "public" not in response.headers.get("Cache-Control", ""), url
            assert response.headers["Cache-Control"] in ("no-store", "private, no-cache"), url
            assert response.headers.get("X-Robots-Tag") == "noindex, nofollow", url
            assert "Set-Cookie" not in response.headers, url  # a refusal gives no session either


def check_member_reads(client, hidden):
    for kind, urls in hidden.urls().items():
        if kind == "partial":
            continue
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if kind == "image":
                assert response.data == hidden.image_bytes
            elif url not in ("/sitemap.xml", "/api/v1/openapi.json"):
                assert shows_content(response.text), url
            assert response.headers["Cache-Control"].startswith("private"), url
    for url in hidden.urls()["partial"]:
        response = client.get(url, headers={"HX-Request": "true"})
        assert response.status_code == 200 and "SECRETCOMMENT" in response.text, url


def prime(client, hidden, headers):
    """Every URL asked for twice by a signed-out person: the second answer is a page-cache hit."""
    for urls in hidden.urls().values():
        for url in urls:
            client.get(url, headers=headers)
            client.get(url, headers=headers)


@pytest.mark.parametrize("variant", sorted(HEADERS))
def test_every_url_follows_who_can_read_through_the_cache(app, client, hidden, cache_store, variant, member):
    headers = HEADERS[variant]
    check_public(client, hidden, headers)
    prime(client, hidden, headers)
    if cache_store is not None:
        assert cache_store.client.keys("blog-page:*"), "the pages are cached in Redis"

    set_settings(app, who_can_read=ReadAccess.MEMBERS)
    check_refused(client, hidden, headers)

    reader = app.test_client()
    sign_in(reader)
    check_member_reads(reader, hidden)
    prime(client, hidden, headers)  # refusals are not cached either

    set_settings(app, who_can_read=ReadAccess.ANYONE)
    check_public(client, hidden, headers)
    assert client.get("/").headers["Cache-Control"] == "public, no-cache"


def test_a_private_blog_stores_nothing_in_the_page_cache(app, client, hidden, cache_store, member):
    set_settings(app, who_can_read=ReadAccess.MEMBERS)
    reader = app.test_client()
    sign_in(reader)
    for urls in hidden.urls().values():
        for url in urls:
            client.get(url)
            reader.get(url)
    if cache_store is not None:
        assert cache_store.client.keys("blog-page:*") == []
    else:
        from blog.web.page_cache import cache

        with app.app_context():
            assert len(cache.cache) == 0


def test_the_cache_decision_the_front_layer_makes(app):
    """cache_front.py decides before Flask: no cookie, no token, a page; and no key while private."""
    from blog.web.cache_front import key_for, may_use_cache
    from blog.web.versions import ContentState

    config = app.config

    def environ(method="GET", cookie="", query="", accept="text/html"):
        return {"REQUEST_METHOD": method, "HTTP_COOKIE": cookie, "QUERY_STRING": query, "HTTP_ACCEPT": accept}

    assert may_use_cache(environ(), config)
    assert not may_use_cache(environ("POST"), config)
    assert not may_use_cache(environ(cookie="session=x"), config)
    assert not may_use_cache(environ(cookie="remember_token=x"), config)
    assert not may_use_cache(environ(query="token=x"), config)
    assert may_use_cache(environ(query="q=token"), config)
    assert not may_use_cache(environ(accept="application/activity+json"), config)
    page = {**environ(), "wsgi.url_scheme": "http", "HTTP_HOST": "b", "PATH_INFO": "/"}
    public, private = ContentState(3, 0, False), ContentState(3, 0, True)
    assert key_for(page, public) and key_for(page, private) is None
    assert key_for(page, public) != key_for(page, ContentState(4, 0, False))
    versions = app.extensions["content_versions"]
    assert versions.read().private is False
    set_settings(app, who_can_read=ReadAccess.MEMBERS)
    assert versions.read().private is True
