"""Fast by construction: constant query counts and conditional GETs."""
from datetime import datetime

import pytest

from blog.extensions import db
from blog.models import Comment


def permalink(post) -> str:
    return f"/{post.year:04d}/{post.month:02d}/{post.slug}.html"


def add_comments(app, post, author, n):
    with app.app_context():
        top = None
        for i in range(n):
            comment = Comment(post_id=post.id, author_id=author.id, body_source=f"c{i}", body_html=f"<p>c{i}</p>",
                              parent_id=top.id if (top is not None and i % 5 == 4) else None)
            db.session.add(comment)
            db.session.flush()
            if i % 5 == 0:
                top = comment
        db.session.commit()


@pytest.mark.parametrize("signed_in", [False, True])
def test_post_page_query_count_does_not_grow_with_comments(app, client, auth, make_post, member, count_queries,
                                                             signed_in):
    posts = [make_post(f"Post {n}", when=datetime(2021, 1, n + 1), labels=["a", "b"]) for n in range(3)]
    add_comments(app, posts[1], member, 1)
    add_comments(app, posts[2], member, 200)
    if signed_in:
        auth.login()
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
    make_post("First", when=datetime(2021, 1, 1), labels=["x"])
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


def test_signed_in_pages_are_private(client, auth, member, make_post):
    make_post("Anything")
    auth.login()
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
