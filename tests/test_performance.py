"""Fast by construction: constant query counts and conditional GETs."""

from datetime import datetime

import pytest

from blog.extensions import db
from blog.models import Comment
from tests.support.accounts import sign_in
from tests.support.content import permalink


def add_comments(app, post, author, n):
    with app.app_context():
        top = None
        for i in range(n):
            comment = Comment(
                post_id=post.id,
                author_id=author.id,
                body_source=f"c{i}",
                body_html=f"<p>c{i}</p>",
                parent_id=top.id if (top is not None and i % 5 == 4) else None,
            )
            db.session.add(comment)
            db.session.flush()
            if i % 5 == 0:
                top = comment
        db.session.commit()


@pytest.mark.parametrize("signed_in", [False, True])
def test_post_page_query_count_does_not_grow_with_comments(
    app, client, make_post, member, count_queries, signed_in
):
    app.config["PAGE_CACHE_ENABLED"] = False  # count what rendering costs, not a cache hit
    posts = [make_post(f"Post {n}", when=datetime(2021, 1, n + 1), labels=["a", "b"]) for n in range(3)]
    add_comments(app, posts[1], member, 1)
    add_comments(app, posts[2], member, 200)
    if signed_in:
        sign_in(client)
    counts = []
    for post in posts:
        client.get(permalink(post))  # warm up per-process caches
        with count_queries() as queries:
            page = client.get(permalink(post))
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] <= 15, counts


def test_home_query_count_does_not_grow_with_posts(app, client, make_post, member, count_queries):
    app.config["PAGE_CACHE_ENABLED"] = False  # count what rendering costs, not a cache hit
    make_post("First", when=datetime(2021, 1, 1), labels=["x"])
    client.get("/")  # a process's first view of the day also fetches the day's stats salt, once
    with count_queries() as queries:
        client.get("/")
    few = len(queries)
    for n in range(2, 13):
        make_post(f"Post {n}", when=datetime(2021, 1, n), labels=["x", f"l{n}"])
    with count_queries() as queries:
        client.get("/")
    assert len(queries) == few


def test_conditional_get_answers_304(client, make_post):
    post = make_post("Cached")
    for url in ["/", permalink(post), f"/{post.year}/"]:
        first = client.get(url)
        assert first.status_code == 200
        etag = first.headers["ETag"]
        assert "public" in first.headers["Cache-Control"]
        assert "Set-Cookie" not in first.headers
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.data == b""


def test_page_changes_when_content_changes(client, make_post):
    make_post("Before")
    etag = client.get("/").headers["ETag"]
    make_post("After")
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "After" in changed.text


def test_signed_in_pages_are_private(client, member, make_post):
    make_post("Anything")
    sign_in(client)
    page = client.get("/")
    assert "private" in page.headers["Cache-Control"]


def test_static_files_have_versioned_urls_and_long_cache(client):
    home = client.get("/").text
    import re

    css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{12})"', home)
    assert css, "stylesheet URL carries a version"
    response = client.get(css.group(1))
    response.close()
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_page_cache_serves_repeat_views_and_never_a_stale_page(app, client, make_post, member, count_queries):
    """A second anonymous view costs no query (the cache front answers it); any change readers would
    see is there at once."""
    from datetime import timedelta

    from blog.models import Post, utcnow

    post = make_post("Cached post")
    client.get(permalink(post))
    with count_queries() as queries:
        again = client.get(permalink(post))
    assert again.status_code == 200 and "Cached post" in again.text
    assert len(queries) == 0, queries
    add_comments(app, post, member, 1)  # a new comment moves the content version
    assert "1 comment:" in client.get(permalink(post)).text
    with app.app_context():  # an edit made through the ORM, as the admin area does
        db.session.get(Post, post.id).title = "Renamed post"
        db.session.commit()
    assert "Renamed post" in client.get(permalink(post)).text
    # A scheduled post comes due with no write at all, and the home page shows it.
    soon = make_post("Due soon", when=utcnow() + timedelta(hours=1))
    assert "Due soon" not in client.get("/").text
    with app.app_context():
        from sqlalchemy import text

        db.session.execute(
            text("UPDATE posts SET published_at = :t WHERE id = :id"),
            {"t": utcnow() - timedelta(seconds=1), "id": soon.id},
        )
        db.session.commit()
    assert "Due soon" in client.get("/").text


def test_page_cache_is_never_used_with_a_session(app, client, member, make_post):
    post = make_post("Personal")
    client.get(permalink(post))
    sign_in(client)
    page = client.get(permalink(post))
    assert "Sign out" in page.text and "Post comment" in page.text
