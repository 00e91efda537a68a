"""The Sidebar screen: sections shown, hidden and reordered (in place with htmx, as plain forms without),
on every public page at once; the About box; Popular posts in one query."""

import io
import re
from datetime import timedelta

from blog.extensions import db
from blog.models import Comment, CommentStatus, utcnow
from blog.theme.popular import popular_posts
from tests.support.content import permalink
from tests.support.web import HTMX
from tests.theme.conftest import png, post_multipart

SECTION = re.compile(r'<section class="widget[^"]*" id="(?:sidebar-)?([a-z-]+)"')


def sections(client, path="/") -> list[str]:
    return SECTION.findall(client.get(path).text)


def change(client, token, value, htmx=False):
    return client.post(
        "/admin/theme/sidebar/sections",
        data={"csrf_token": token, "change": value},
        headers=HTMX if htmx else {},
    )


def add_comments(app, post, author, n, days_ago=1, status=CommentStatus.PUBLISHED):
    with app.app_context():
        for i in range(n):
            db.session.add(
                Comment(
                    post_id=post.id,
                    author_id=author.id,
                    body_source=f"c{i}",
                    body_html=f"<p>c{i}</p>",
                    status=status,
                    created_at=utcnow() - timedelta(days=days_ago),
                )
            )
        db.session.commit()


def test_the_default_sidebar_is_the_one_the_blog_always_had(client, make_post):
    make_post("Labelled", labels=["soup"])
    assert sections(client) == ["archive", "labels", "follow-box", "feeds"]


def test_hiding_a_section_removes_it_from_every_public_page_at_once(app, client, admin_token, make_post):
    post = make_post("Labelled", labels=["soup"])
    reader = app.test_client()
    pages = ["/", permalink(post), "/search/label/soup", f"/{post.year}/"]
    for path in pages:
        assert "follow-box" in sections(reader, path)  # now in the page cache
    answer = change(client, admin_token, "hide:follow")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(
        "/admin/theme/sidebar#section-follow"
    )
    for path in pages:
        assert "Follow by email" not in reader.get(path).text, path
    change(client, admin_token, "show:follow")
    assert "follow-box" in sections(reader)


def test_moving_in_place_keeps_focus_on_the_button(client, admin_token, make_post):
    make_post("Labelled", labels=["soup"])
    answer = change(client, admin_token, "up:feeds", htmx=True)
    assert answer.status_code == 200 and "<html" not in answer.text
    assert 'value="up:feeds" data-focus' in answer.text  # still usable: focus stays on it
    assert 'data-announce="Subscribe (feeds) moved up."' in answer.text
    answer = change(client, admin_token, "up:labels", htmx=True)
    assert sections(client) == ["labels", "archive", "follow-box", "feeds"]
    # At the top "Move up" is disabled, so focus goes to "Move down"; Hide becomes Show.
    assert 'value="up:labels" disabled' in answer.text and 'value="down:labels" data-focus' in answer.text
    hidden = change(client, admin_token, "hide:labels", htmx=True)
    assert 'value="show:labels" data-focus' in hidden.text


def test_moves_stop_at_the_ends(client, admin_token):
    change(client, admin_token, "up:archive")
    assert sections(client)[0] == "archive"
    answer = change(client, admin_token, "up:nothing", htmx=True)
    assert answer.status_code == 422 and "could not be made" in answer.text


def test_reset_brings_the_default_sections_back(client, admin_token):
    change(client, admin_token, "hide:feeds")
    change(client, admin_token, "show:pages")
    client.post("/admin/theme/sidebar/reset", data={"csrf_token": admin_token})
    assert sections(client) == ["archive", "follow-box", "feeds"]


def test_pages_section_lists_the_static_pages(client, admin_token, make_page):
    make_page("Contact", "contact")
    change(client, admin_token, "show:pages")
    assert "pages" in sections(client) and 'href="/p/contact.html">Contact</a>' in client.get("/").text


def test_about_has_a_short_text_and_a_photo(app, client, admin_token):
    change(client, admin_token, "show:about")
    assert "about" not in sections(client)  # nothing to show yet
    data = {
        "csrf_token": admin_token,
        "about_text": "I cook and cycle.\n\nThis is where I write about both.",
        "about_photo_alt": "Me on my bicycle",
        "about_photo": (io.BytesIO(png((80, 80))), "me.png"),
    }
    assert post_multipart(client, "/admin/theme/sidebar/about", data).status_code == 302
    home = app.test_client().get("/").text
    assert "<p>I cook and cycle.</p><p>This is where I write about both.</p>" in home
    assert re.search(r'<img class="about-photo" src="/media/[0-9a-f]{32}\.png" alt="Me on my bicycle">', home)


def test_about_text_too_long_is_refused_with_the_text_kept(client, admin_token):
    answer = client.post(
        "/admin/theme/sidebar/about", data={"csrf_token": admin_token, "about_text": "x" * 1001}
    )
    assert answer.status_code == 422 and "x" * 1001 in answer.text


def test_popular_posts_by_comments_in_the_last_30_days(
    app, client, admin_token, make_post, member, count_queries
):
    quiet, busy, old = make_post("Quiet"), make_post("Busy"), make_post("Busy long ago")
    add_comments(app, quiet, member, 1)
    add_comments(app, busy, member, 3)
    add_comments(app, old, member, 9, days_ago=40)  # outside the window
    add_comments(app, quiet, member, 5, status=CommentStatus.PENDING)  # not on the blog
    change(client, admin_token, "show:popular")
    with app.test_request_context("/"), count_queries() as queries:
        rows = popular_posts()
    assert [(row.title, row.comments) for row in rows] == [("Busy", 3), ("Quiet", 1)]
    assert len(queries) == 1
    home = app.test_client().get("/").text
    assert re.search(r'Popular posts</h2>\s*<ol class="popular-posts">\s*<li><a href="[^"]+">Busy</a>', home)


def test_only_admins_change_the_layout(client, author, make_post):
    from tests.support.accounts import sign_in
    from tests.support.web import token_for

    sign_in(client, author.email)
    token = token_for(client, "/")
    assert change(client, token, "hide:archive").status_code == 403
    assert "archive" in sections(client)
