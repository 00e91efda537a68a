"""The posts list: filters and pages; who sees and edits which posts (authors their own, admins
all), and the "Edit post" link on the public site."""

import re
from datetime import timedelta

from blog.models import utcnow
from tests.support.accounts import make_author, sign_in
from tests.support.admin import NEW_POST as NEW
from tests.support.admin import edit_url, post_fields, post_id_from
from tests.support.content import load_post, permalink
from tests.support.web import HTMX, csrf_from, token_for


def test_the_list_filters_by_status_and_title(app, client, admin_token, make_post):
    make_post("Published apple")
    make_post("Draft apple", draft=True)
    make_post("Scheduled pear", when=utcnow() + timedelta(days=3))
    make_post("Published pear")

    def titles(**args):
        text = client.get("/admin/posts", query_string=args).text
        return sorted(re.findall(r'/admin/posts/\d+/edit">([^<]+)</a>', text))

    assert titles() == ["Draft apple", "Published apple", "Published pear", "Scheduled pear"]
    assert titles(status="draft") == ["Draft apple"]
    assert titles(status="scheduled") == ["Scheduled pear"]
    assert titles(status="published") == ["Published apple", "Published pear"]
    assert titles(q="APPLE") == ["Draft apple", "Published apple"]
    assert titles(q="pear", status="published") == ["Published pear"]
    assert titles(q="%") == []
    fragment = client.get("/admin/posts", query_string={"q": "pear"}, headers=HTMX)
    assert "<html" not in fragment.text and fragment.text.lstrip().startswith('<div id="post-table"')
    assert "HX-Request" in fragment.headers["Vary"]


def test_the_list_is_paginated(client, admin_token, make_post):
    for n in range(23):
        make_post(f"Post {n:02d}", draft=True)
    first = client.get("/admin/posts")
    assert first.text.count('/edit">Post ') == 20 and "Next page" in first.text
    second = client.get("/admin/posts?page=2")
    assert second.text.count('/edit">Post ') == 3 and "Previous page" in second.text
    assert client.get("/admin/posts?page=9").status_code == 404


def test_authors_see_and_edit_only_their_own_posts(app, client, make_post, admin):
    author = make_author(app)
    other = make_author(app, "other@example.test", "Otto Other")
    mine = make_post("Mine", author=author)
    theirs = make_post("Theirs", author=other)
    sign_in(client, author.email)
    token = token_for(client, "/")
    listing = client.get("/admin/posts").text
    assert "Mine" in listing and "Theirs" not in listing
    assert client.get(edit_url(mine.id)).status_code == 200
    refused = [
        client.get(edit_url(theirs.id)),
        client.post(edit_url(theirs.id), data=post_fields(token, "update", title="Hijacked")),
        client.post(f"/admin/posts/{theirs.id}/autosave", data=post_fields(token, title="Hijacked")),
        client.get(f"/admin/posts/{theirs.id}/revisions"),
        client.get(f"/admin/posts/{theirs.id}/delete"),
        client.post(f"/admin/posts/{theirs.id}/delete", data={"csrf_token": token}),
        client.post(f"/admin/preview/post?post_id={theirs.id}", data=post_fields(token)),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    # A draft preview is simply not there for anyone but its author and admins.
    assert client.get(f"/admin/posts/{theirs.id}/preview").status_code == 404
    assert load_post(app, theirs.id).title == "Theirs"
    # Pages are for admins only.
    assert client.get("/admin/pages").status_code == 403
    assert client.get("/admin/pages/new").status_code == 403


def test_an_author_writes_and_publishes_their_own_post(app, client):
    author = make_author(app)
    sign_in(client, author.email)
    token = token_for(client, "/")
    post = load_post(app, post_id_from(client.post(NEW, data=post_fields(token, "publish", title="By Ann"))))
    assert post.author_id == author.id and post.status == "published"


def test_admins_edit_every_post(app, client, make_post, admin_token):
    author = make_author(app)
    theirs = make_post("Author's", author=author)
    response = client.post(
        edit_url(theirs.id), data=post_fields(admin_token, "update", title="Fixed typo", slug=theirs.slug)
    )
    assert response.status_code == 302
    post = load_post(app, theirs.id)
    assert post.title == "Fixed typo" and post.author_id == author.id


def test_edit_post_link_only_for_its_author_and_admins(app, client, make_post, member):
    author = make_author(app)
    other = make_author(app, "other@example.test", "Otto Other")
    post = make_post("Linked", author=author)
    link = f'href="/admin/posts/{post.id}/edit">Edit post</a>'
    anonymous = client.get(permalink(post))
    assert link not in anonymous.text and "Cache-Control" in anonymous.headers
    assert client.get(permalink(post)).text == anonymous.text  # the same page for every reader
    for email, shown in (
        (member.email, False),
        (other.email, False),
        (author.email, True),
        ("admin@example.test", True),
    ):
        sign_in(client, email)
        assert (link in client.get(permalink(post)).text) is shown, email
        client.post("/signout", data={"csrf_token": csrf_from(client.get("/").text)})
