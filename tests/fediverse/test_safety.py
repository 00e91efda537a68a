"""Outgoing requests never reach private, loopback or link-local addresses (after resolving, on every
redirect), read at most FEDIVERSE_MAX_BYTES and only JSON; inbox POSTs are limited per server."""

import json

import pytest

from blog.fediverse.blocklist import is_blocked
from blog.fediverse.fetch import FetchError, get_json
from tests.fediverse.conftest import ACTOR, INBOX, follower_uris


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/users/a",
        "https://localhost/users/a",  # a name that resolves to loopback
        "https://[::1]/users/a",
        "https://169.254.169.254/latest/meta-data",  # link-local: cloud metadata
        "https://10.1.2.3/users/a",
        "https://192.168.0.1/users/a",
        "http://example.com/users/a",  # plain http
        "file:///etc/passwd",
    ],
)
def test_private_addresses_and_plain_http_are_refused(app, url):
    app.config["FEDIVERSE_ALLOW_PRIVATE"] = False
    with app.app_context(), pytest.raises(FetchError, match="refused"):
        get_json(url)


def test_an_inbox_post_naming_a_private_key_url_is_refused_without_a_fetch(client, app, fake_server):
    app.config["FEDIVERSE_ALLOW_PRIVATE"] = False
    fake_server.add_actor("alice")
    follow = {
        "id": fake_server.actor_uri("alice") + "#f",
        "type": "Follow",
        "actor": fake_server.actor_uri("alice"),
        "object": ACTOR,
    }
    body, headers = fake_server.sign("alice", INBOX, follow)
    assert client.post("/fediverse/inbox", data=body, headers=headers).status_code == 401
    assert fake_server.fetches == []
    assert follower_uris(app) == []


def test_each_redirect_hop_is_checked(app, fake_server):
    fake_server.add_actor("alice")
    fake_server.redirects["/hop"] = fake_server.actor_uri("alice")
    fake_server.redirects["/away"] = "file:///etc/passwd"
    fake_server.redirects["/loop"] = fake_server.root + "/loop"
    with app.app_context():
        document, final = get_json(fake_server.root + "/hop")  # an allowed hop is followed
        assert document["id"] == final == fake_server.actor_uri("alice")
        with pytest.raises(FetchError, match="refused"):
            get_json(fake_server.root + "/away")
        with pytest.raises(FetchError, match="too many redirects"):
            get_json(fake_server.root + "/loop")


def test_answers_too_large_or_not_json_are_refused(app, fake_server):
    fake_server.documents["/big"] = (
        200,
        "application/activity+json",
        json.dumps({"x": "y" * (2 * 1024 * 1024)}).encode(),
    )
    fake_server.documents["/html"] = (200, "text/html", b"<html></html>")
    with app.app_context():
        with pytest.raises(FetchError, match="larger than"):
            get_json(fake_server.root + "/big")
        with pytest.raises(FetchError, match="not JSON"):
            get_json(fake_server.root + "/html")


def test_blocked_servers_cover_subdomains_and_ports():
    entries = ["example.org", "10.0.0.5", "bad.test:8443"]
    assert is_blocked("https://example.org/users/a", entries)
    assert is_blocked("https://social.example.org/users/a", entries)
    assert not is_blocked("https://notexample.org/users/a", entries)
    assert is_blocked("http://10.0.0.5:3000/inbox", entries)
    assert is_blocked("https://bad.test:8443/inbox", entries)
    assert not is_blocked("https://bad.test/inbox", entries)


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "BASE_URL": "http://localhost",
            "FEDIVERSE_ALLOW_PRIVATE": True,
            "FEDIVERSE_INBOX_LIMIT": "3 per minute",
        }
    ],
)
def test_inbox_posts_are_rate_limited_per_server(client, app, fake_server):
    fake_server.add_actor("alice")
    answers = []
    for n in range(4):
        like = {
            "id": fake_server.actor_uri("alice") + f"#l{n}",
            "type": "Like",
            "actor": fake_server.actor_uri("alice"),
            "object": ACTOR,
        }
        body, headers = fake_server.sign("alice", INBOX, like)
        answers.append(client.post("/fediverse/inbox", data=body, headers=headers).status_code)
    assert answers == [202, 202, 202, 429]
