"""The admin side: fediverse followers beside email followers (counted, removable), and Settings'
Fediverse username and Blocked servers (validated; blocking drops that server's followers)."""

from tests.fediverse.conftest import follow, follower_uris
from tests.support.accounts import sign_in
from tests.support.web import token_for


def test_fediverse_followers_are_listed_counted_and_removable(client, app, admin, fake_server, blog_key):
    for name in ("alice", "bob"):
        fake_server.add_actor(name)
        follow(client, fake_server, name)
    sign_in(client, "admin@example.test")
    page = client.get("/admin/followers")
    assert page.status_code == 200
    assert "From the fediverse" in page.text
    assert "@alice@127.0.0.1" in page.text and "@bob@127.0.0.1" in page.text
    assert '<span class="tab-count">2</span>' in page.text
    import re

    remove = re.search(r'action="(/admin/followers/fediverse/\d+/remove)"', page.text).group(1)
    assert client.post(remove).status_code == 400  # no CSRF token
    answer = client.post(remove, data={"csrf_token": token_for(client, "/admin/followers")})
    assert answer.status_code == 302
    assert len(follower_uris(app)) == 1


def test_blocking_a_server_in_settings_drops_its_followers(client, app, admin, fake_server, blog_key):
    fake_server.add_actor("alice")
    follow(client, fake_server, "alice")
    sign_in(client, "admin@example.test")
    page = client.get("/admin/settings")
    assert "Blocked servers" in page.text and "@blog@localhost" in page.text
    data = {
        "title": "My Blog",
        "language": "en",
        "timezone": "UTC",
        "posts_per_page": "10",
        "comment_policy": "members",
        "moderation": "never",
        "moderation_days": "14",
        "hold_links_over": "2",
        "edit_window_minutes": "15",
        "fediverse_username": "blog",
    }
    bad = client.post(
        "/admin/settings",
        data={**data, "blocked_servers": "not a host!", "csrf_token": token_for(client, "/admin/settings")},
    )
    assert bad.status_code == 422
    assert "is not a host" in bad.text and "not a host!" in bad.text  # the form kept
    assert len(follower_uris(app)) == 1
    saved = client.post(
        "/admin/settings",
        data={
            **data,
            "blocked_servers": "127.0.0.1\nspam.example",
            "csrf_token": token_for(client, "/admin/settings"),
        },
    )
    assert saved.status_code == 302
    assert follower_uris(app) == []
