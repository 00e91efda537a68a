"""The shipped nginx config in front of the app: its micro-cache, primed while the blog is public,
gives a signed-out person nothing once the blog is private, nor does /media/, which nginx serves
from disk; a member's pages are never stored; switching back makes everything public at once."""

import shutil

import pytest
import requests

from blog.models import ReadAccess
from tests.private.conftest import SECRETS
from tests.support.accounts import sign_in
from tests.support.content import set_settings
from tests.support.nginx import Nginx

pytestmark = pytest.mark.skipif(shutil.which("nginx") is None, reason="needs nginx")


@pytest.fixture
def nginx(app, live_server, tmp_path):
    server = Nginx(tmp_path / "nginx", int(live_server.rsplit(":", 1)[1]), tmp_path / "uploads")
    yield server.url
    server.stop()


def get(url: str, **headers) -> requests.Response:
    return requests.get(url, headers=headers, timeout=10, allow_redirects=False)


def cached(url: str, **headers) -> requests.Response:
    """Ask until nginx answers from its cache (its entries live one second; a few tries suffice)."""
    for _ in range(20):
        response = get(url, **headers)
        if response.headers.get("X-Cache-Status") == "HIT":
            return response
    raise AssertionError(f"nginx never cached {url}")


def shows_content(text: str) -> bool:
    return any(secret in text for secret in SECRETS)


def test_nginx_serves_a_private_blog_to_members_only(app, hidden, nginx, member):
    pages = ["/", hidden.permalink, "/search?q=recipe", "/p/pantry.html"]
    feeds = ["/feeds/posts/default", "/sitemap.xml", "/feeds/comments/default", "/api/v1/posts"]
    fragment = f"/posts/{hidden.post_id}/comments"
    for url in pages + feeds:
        assert shows_content(cached(nginx + url).text) or url == "/sitemap.xml"
    assert "SECRETCOMMENT" in cached(nginx + fragment, **{"HX-Request": "true"}).text
    image = get(nginx + f"/media/{hidden.image}")
    assert image.status_code == 200 and image.content == hidden.image_bytes

    set_settings(app, who_can_read=ReadAccess.MEMBERS)
    for url in pages:
        for headers in ({}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-Boosted": "true"}):
            response = get(nginx + url, **headers)
            assert not shows_content(response.text), url
            assert response.status_code in (302, 401) and response.headers["X-Cache-Status"] == "BYPASS"
    for url in feeds:
        assert get(nginx + url).status_code == 401
    refused = get(nginx + fragment, **{"HX-Request": "true"})
    assert refused.status_code == 401 and "SECRETCOMMENT" not in refused.text
    image = get(nginx + f"/media/{hidden.image}")
    assert image.status_code == 404 and image.content != hidden.image_bytes

    reader = requests.Session()
    sign_in(reader, member.email, base=nginx)
    for _ in range(2):
        page = reader.get(nginx + hidden.permalink, timeout=10)
        assert page.status_code == 200 and "SECRETBODY" in page.text
        assert page.headers["X-Cache-Status"] == "BYPASS"
    own_image = reader.get(nginx + f"/media/{hidden.image}", timeout=10)
    assert own_image.status_code == 200 and own_image.content == hidden.image_bytes
    assert "SECRETBODY" not in get(nginx + hidden.permalink).text  # the member's page was not kept

    set_settings(app, who_can_read=ReadAccess.ANYONE)
    for url in pages:
        assert shows_content(get(nginx + url).text), url
    assert get(nginx + f"/media/{hidden.image}").content == hidden.image_bytes
