"""The admin Followers screen: admins only, counts by state, the list, removing one (audited) and the
CSV export; and the dashboard's sent, pending and failed counts per mailed post in one query."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Delivery, Follower, PostMailing, utcnow
from tests.support.accounts import make_user, sign_in
from tests.support.admin import audit_actions
from tests.support.web import token_for

STATES = {
    "ann@example.test": "confirmed",
    "bob@example.test": "confirmed",
    "cy@example.test": "pending",
    "di@example.test": "unsubscribed",
    "=cmd@example.test": "failing",
}


@pytest.fixture
def followers(app) -> dict[str, int]:
    """{email: id} of followers in every state."""
    with app.app_context():
        rows = [Follower(email=email, status=state, failures=0) for email, state in STATES.items()]
        rows[0].confirmed_at = utcnow()
        db.session.add_all(rows)
        db.session.commit()
        return {row.email: row.id for row in rows}


@pytest.fixture
def admin_client(client, admin):
    sign_in(client, admin.email)
    return client


def test_only_admins_see_or_touch_followers(app, client, followers, member):
    make_user(app, "author@example.test", "Ann Author", "author")
    target = followers["ann@example.test"]
    for email, expected in (("author@example.test", 403), ("member@example.test", 403)):
        sign_in(client, email)
        token = token_for(client)
        assert client.get("/admin/followers").status_code == expected
        assert client.get("/admin/followers.csv").status_code == expected
        assert client.post(f"/admin/followers/{target}/remove", data={"csrf_token": token}).status_code == 403
        client.post("/signout", data={"csrf_token": token})
    anonymous = app.test_client()
    assert anonymous.get("/admin/followers").status_code == 302
    assert anonymous.get("/admin/followers.csv").status_code == 302
    with app.app_context():
        assert db.session.get(Follower, target) is not None


def test_the_nav_links_to_followers_for_admins_only(app, admin_client):
    assert '<a href="/admin/followers">Followers</a>' in admin_client.get("/admin/").text


def test_counts_by_state_and_the_list(admin_client, followers):
    page = admin_client.get("/admin/followers")
    assert page.status_code == 200
    for state, number in (("confirmed", 2), ("pending", 1), ("unsubscribed", 1), ("failing", 1)):
        assert f'<span class="tab-count" data-state="{state}">{number}</span>' in page.text
    assert all(email in page.text for email in STATES)
    only = admin_client.get("/admin/followers?state=pending").text
    assert "cy@example.test" in only and "ann@example.test" not in only
    assert admin_client.get("/admin/followers?state=nonsense").status_code == 200


def test_the_list_is_paginated(app, admin_client):
    with app.app_context():
        db.session.add_all(Follower(email=f"f{n:03}@example.test", status="confirmed") for n in range(55))
        db.session.commit()
    first = admin_client.get("/admin/followers").text
    assert "Page 1 of 2" in first and first.count("@example.test</th>") == 50
    second = admin_client.get("/admin/followers?page=2").text
    assert second.count("@example.test</th>") == 5


def test_remove_one_with_an_audit_record(app, admin_client, followers):
    target = followers["bob@example.test"]
    assert admin_client.post(f"/admin/followers/{target}/remove").status_code == 400  # no token
    token = token_for(admin_client, "/admin/followers")
    response = admin_client.post(f"/admin/followers/{target}/remove", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/followers"
    with app.app_context():
        assert db.session.get(Follower, target) is None
        assert db.session.scalar(select(func.count()).select_from(Follower)) == len(STATES) - 1
    assert "follower.remove" in audit_actions(app)
    assert "bob@example.test no longer follows the blog." in admin_client.get("/admin/followers").text
    missing = admin_client.post(f"/admin/followers/{target}/remove", data={"csrf_token": token})
    assert missing.status_code == 404


def test_export_csv(admin_client, followers):
    response = admin_client.get("/admin/followers.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="followers-')
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == [
        "email",
        "state",
        "member",
        "followed",
        "confirmed",
        "unsubscribed",
        "failed deliveries",
    ]
    assert {row[0]: row[1] for row in rows[1:]} == {
        **{email: state for email, state in STATES.items() if not email.startswith("=")},
        "'=cmd@example.test": "failing",  # never run as a formula by a spreadsheet
    }
    ann = next(row for row in rows if row[0] == "ann@example.test")
    assert ann[2] == "no" and ann[4] != "" and ann[5] == ""


def test_the_dashboard_counts_each_mailed_posts_deliveries_in_one_query(
    app, admin_client, followers, make_post, count_queries
):
    app.config["PAGE_CACHE_ENABLED"] = False  # no per-version memo (the menu's pages): count the work
    posts = [make_post(f"Post {n}") for n in range(3)]
    ids = list(followers.values())
    outcomes = [["sent", "sent", "pending", "failed"], ["sending", "sent"], []]
    with app.app_context():
        for age, (post, statuses) in enumerate(zip(posts, outcomes, strict=True)):
            db.session.add(PostMailing(post_id=post.id, created_at=utcnow() - timedelta(minutes=age)))
            db.session.add_all(
                Delivery(post_id=post.id, follower_id=ids[n], status=status)
                for n, status in enumerate(statuses)
            )
        db.session.commit()
    page = admin_client.get("/admin/").text
    panel = page.split('id="mailings-heading"')[1].split("</section>")[0]
    assert panel.index("Post 0") < panel.index("Post 1") < panel.index("Post 2")  # newest first
    rows = [part.split("</tr>")[0] for part in panel.split("<tr")[2:]]
    assert 'data-label="Sent">2<' in rows[0] and 'data-label="Pending">1<' in rows[0]
    assert 'data-label="Failed"><span class="badge badge-danger">1<' in rows[0]
    assert 'data-label="Sent">1<' in rows[1] and 'data-label="Pending">1<' in rows[1]
    assert 'data-label="Sent">0<' in rows[2] and 'data-label="Failed">0<' in rows[2]
    with count_queries() as few:
        admin_client.get("/admin/")
    with app.app_context():
        for n in range(3, 8):
            post = make_post(f"Post {n}")
            db.session.add(PostMailing(post_id=post.id))
            db.session.add(Delivery(post_id=post.id, follower_id=ids[0], status="sent"))
        db.session.commit()
    with count_queries() as many:
        admin_client.get("/admin/")
    assert len(many) == len(few)
