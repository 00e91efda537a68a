"""A private blog around its pages: switching in Settings, the sign-in page, robots.txt and
noindex, members' personal feed addresses, and mail to followers."""

import re

import feedparser
import pytest
from sqlalchemy import select

from blog.admin.settings_form import FIELDS
from blog.extensions import db
from blog.followers.sending import mail_due_posts
from blog.models import AuditEntry, Follower, FollowerStatus, ReadAccess, User
from blog.uploads import upload_folder
from blog.web.private_blog import MARKER
from tests.private.conftest import SECRETS
from tests.support.accounts import make_user, sign_in
from tests.support.content import set_settings, settings
from tests.support.web import token_for


@pytest.fixture
def app_config():
    return {"MAIL_BACKEND": "memory", "BASE_URL": "http://localhost", "RATELIMIT_ENABLED": False}


def marker_exists(app) -> bool:
    with app.app_context():
        return (upload_folder() / MARKER).exists()


def save_who_can_read(app, client, value: str):
    """The Settings form as it stands, with "Who can read" changed."""
    current = settings(app)
    fields = {name: str(getattr(current, name)) for name in FIELDS if name != "require_two_step_for_staff"}
    fields["who_can_read"] = value
    fields["csrf_token"] = token_for(client, "/admin/settings")
    return client.post("/admin/settings", data=fields)


def test_the_admin_switches_who_can_read_in_settings(app, client, admin, hidden):
    sign_in(client, admin.email)
    page = client.get("/admin/settings").text
    assert "Who can read" in page and '<option value="members">Members of this blog</option>' in page
    assert save_who_can_read(app, client, "members").status_code == 302
    assert marker_exists(app)
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "settings.update")).one()
        assert '"who_can_read": ["anyone", "members"]' in entry.details
    outsider = app.test_client()
    assert outsider.get("/").status_code == 302
    assert client.get("/").status_code == 200  # the admin still reads it
    assert save_who_can_read(app, client, "anyone").status_code == 302
    assert not marker_exists(app)
    assert outsider.get("/").status_code == 200
    assert save_who_can_read(app, client, "everyone").status_code == 422  # not a choice


def test_the_sign_in_page_of_a_private_blog_shows_nothing_of_it(app, client, hidden):
    set_settings(app, who_can_read=ReadAccess.MEMBERS, description="Our family's SECRETBODY")
    response = client.get("/signin")
    assert response.status_code == 200
    page = response.text
    assert "open to its members only" in page
    for secret in (*SECRETS, "Pantry", "Blog Archive", "Labels", "Follow by email", "Search this blog"):
        assert secret not in page, secret
    assert "application/atom+xml" not in page
    assert '<meta name="robots" content="noindex' in page
    assert "public" not in response.headers["Cache-Control"]
    # Unknown URLs and old links say nothing either: the sign-in page, not a 404 or a redirect to a post.
    assert client.get("/no/such/page").headers["Location"].startswith("/signin")
    assert client.get("/?p=1").headers["Location"].startswith("/signin")


def test_robots_txt_and_noindex_follow_the_setting(app, client, member, hidden):
    public = client.get("/robots.txt").text
    assert "Allow: /" in public and "Sitemap: " in public
    assert "noindex" not in client.get("/").text
    set_settings(app, who_can_read=ReadAccess.MEMBERS)
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert robots.text.split() == ["User-agent:", "*", "Disallow:", "/"]
    sign_in(client, member.email)
    page = client.get(hidden.permalink)
    assert '<meta name="robots" content="noindex, nofollow">' in page.text
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert page.headers["Cache-Control"] == "private, no-cache"


def personal_feed_url(client) -> str:
    page = client.get("/account").text
    match = re.search(r'id="personal-feed-url"[^>]*value="([^"]+)"', page)
    return match.group(1).replace("&amp;", "&") if match else ""


def test_a_member_gets_a_revocable_personal_feed_address(app, client, member, hidden):
    set_settings(app, who_can_read=ReadAccess.MEMBERS)
    sign_in(client, member.email)
    assert "Get a personal feed address" in client.get("/account").text
    made = client.post("/account/feed-token", data={"csrf_token": token_for(client, "/account")})
    assert made.status_code == 302
    url = personal_feed_url(client)
    assert url.startswith("http://localhost/feeds/posts/default?token=")
    token = url.split("token=", 1)[1]

    reader = app.test_client()  # a feed reader: no cookies
    assert reader.get("/feeds/posts/default").status_code == 401
    for _ in range(2):  # never a cached copy for the next one without the token
        answer = reader.get(url)
        assert answer.status_code == 200
        assert feedparser.parse(answer.data).entries[0].title == "Ximenia Jam"
        assert answer.headers["Cache-Control"] == "private, no-cache"
    assert reader.get("/feeds/posts/default").status_code == 401
    bearer = reader.get("/feeds/comments/default", headers={"Authorization": f"Bearer {token}"})
    assert bearer.status_code == 200 and "SECRETCOMMENT" in bearer.text
    # The token reads feeds (and the API) only, never the pages.
    assert reader.get(f"{hidden.permalink}?token={token}").status_code == 302
    assert reader.get(f"/feeds/posts/default?token={token}x").status_code == 401  # tampered

    client.post("/account/feed-token", data={"csrf_token": token_for(client, "/account")})
    assert reader.get(url).status_code == 401  # a new address revokes the old one
    new_url = personal_feed_url(client)
    assert new_url != url and reader.get(new_url).status_code == 200

    client.post("/account/feed-token/revoke", data={"csrf_token": token_for(client, "/account")})
    assert reader.get(new_url).status_code == 401
    assert personal_feed_url(client) == ""


def test_a_token_stops_working_when_its_holder_is_no_longer_a_member(app, client, member, hidden):
    set_settings(app, who_can_read=ReadAccess.MEMBERS)
    sign_in(client, member.email)
    client.post("/account/feed-token", data={"csrf_token": token_for(client, "/account")})
    url = personal_feed_url(client)
    reader = app.test_client()
    assert reader.get(url).status_code == 200
    with app.app_context():
        db.session.get(User, member.id).role = "reader"
        db.session.commit()
    assert reader.get(url).status_code == 401


def test_a_private_blog_mails_new_posts_to_members_only(app, member, make_post):
    outsider = make_user(app, "reader@example.test", "Rita Reader", "reader")
    with app.app_context():
        for email, user_id in (("stranger@example.test", None), (outsider.email, outsider.id)):
            db.session.add(Follower(email=email, user_id=user_id, status=FollowerStatus.CONFIRMED))
        db.session.add(Follower(email=member.email, user_id=member.id, status=FollowerStatus.CONFIRMED))
        db.session.commit()
    set_settings(app, who_can_read=ReadAccess.MEMBERS)
    make_post("Family news")
    with app.app_context():
        mail_due_posts()
    assert [mail["To"] for mail in app.extensions.setdefault("mail_outbox", [])] == [member.email]


def test_the_personal_token_reads_the_api(app, client, member, hidden):
    set_settings(app, who_can_read=ReadAccess.MEMBERS)
    sign_in(client, member.email)
    client.post("/account/feed-token", data={"csrf_token": token_for(client, "/account")})
    token = personal_feed_url(client).split("token=", 1)[1]
    script = app.test_client()
    refused = script.get("/api/v1/posts")
    assert refused.status_code == 401 and refused.json["error"] == "unauthorized"
    by_header = script.get("/api/v1/posts", headers={"Authorization": f"Bearer {token}"})
    assert by_header.status_code == 200 and by_header.json["posts"][0]["title"] == "Ximenia Jam"
    assert by_header.headers["Cache-Control"] == "private, no-cache"
    by_query = script.get(f"/api/v1/posts/{hidden.post_id}?token={token}")
    assert by_query.status_code == 200 and "SECRETBODY" in by_query.json["html"]
    again = script.get(
        "/api/v1/posts",
        headers={"Authorization": f"Bearer {token}", "If-None-Match": by_header.headers["ETag"]},
    )
    assert again.status_code == 304
    assert client.get("/api/v1/labels").status_code == 200  # the member's own session reads it too
