"""`flask import wordpress`: posts, pages, categories and tags, comments with their parents, authors; every
old WordPress link answers 301 with the post's or page's address here."""

from datetime import datetime

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Label, Page, PathRedirect, Post, PostStatus
from tests.support.accounts import make_user
from tests.support.content import settings
from tests.support.transfer import comment_by_origin, fixture, post_by_origin, run_import

WP = "wordpress:https://garden.example.org"


@pytest.fixture
def greta(app):
    return make_user(app, "greta@example.test", "Greta", role="author")


@pytest.fixture
def imported(app, runner, greta):
    result = run_import(runner, "wordpress", fixture("wordpress.xml"))
    assert result.exit_code == 0, result.output
    return result


def test_summary_counts_and_reasons(imported):
    assert "Imported 3 post(s), 1 page(s), 3 comment(s), 4 new label(s) and 5 redirect(s)." in imported.output
    assert "Skipped 1: WordPress attachment (only posts and pages are imported)." in imported.output
    assert (
        "Skipped 1: WordPress pingback (pingbacks and trackbacks are not comments here)." in imported.output
    )
    assert "Skipped 1: WordPress comment in the trash." in imported.output
    assert "Skipped 1: WordPress post with status trash." in imported.output


def test_posts_get_our_permalinks_from_wordpress_dates_and_slugs(app, client, imported, greta):
    tomatoes = post_by_origin(app, f"{WP}#post-123")
    assert (tomatoes.year, tomatoes.month, tomatoes.slug) == (2019, 5, "my-first-tomatoes")
    assert tomatoes.published_at == datetime(2019, 5, 12, 10, 0)
    assert tomatoes.updated_at == datetime(2019, 5, 13, 10, 0)
    assert tomatoes.author_id == greta.id  # dc:creator's email matched an account
    assert sorted(label.name for label in tomatoes.labels) == ["Tomatoes", "Vegetables", "日本"]
    compost = post_by_origin(app, f"{WP}#post-130")
    assert compost.author_id is None and compost.comments_allowed is False
    draft = post_by_origin(app, f"{WP}#post-140")
    assert draft.status == PostStatus.DRAFT and draft.year is None
    assert client.get("/2019/05/my-first-tomatoes.html").status_code == 200


def test_classic_editor_paragraphs_and_block_content_render_like_wordpress(app, imported):
    tomatoes = post_by_origin(app, f"{WP}#post-123")
    assert tomatoes.body_html.startswith("<p>They came up at last.<br>\nRed and round.</p>")
    assert '<p>Second paragraph with <a href="https://example.com"' in tomatoes.body_html
    assert "<script" not in tomatoes.body_html and "onmouseover" not in tomatoes.body_html
    assert tomatoes.excerpt_html is not None and "Cherry" not in tomatoes.excerpt_html
    compost = post_by_origin(app, f"{WP}#post-130")
    assert "<p>Compost is <strong>gold</strong>.</p>" in compost.body_html


@pytest.mark.parametrize(
    "old, new",
    [
        ("/2019/05/12/my-first-tomatoes/", "/2019/05/my-first-tomatoes.html"),
        ("/2019/05/12/my-first-tomatoes", "/2019/05/my-first-tomatoes.html"),
        ("/?p=123", "/2019/05/my-first-tomatoes.html"),
        ("/?p=130", "/2019/07/compost.html"),
        ("/about/", "/p/about.html"),
        ("/?page_id=2", "/p/about.html"),
    ],
)
def test_old_wordpress_links_redirect_permanently(client, imported, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == new


def test_unknown_paths_and_drafts_stay_404_or_home(client, imported):
    assert client.get("/2019/05/12/no-such-post/").status_code == 404
    # A draft's plain link, or an unknown one: the home page, at its one URL (see blog/canonical.py).
    for url in ("/?p=140", "/?p=999"):
        response = client.get(url)
        assert response.status_code == 301 and response.headers["Location"] == "/"
    assert client.post("/2019/05/12/my-first-tomatoes/").status_code == 404


def test_a_redirect_stops_when_its_post_is_unpublished(app, client, imported):
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.origin_id == f"{WP}#post-123"))
        post.status = PostStatus.DRAFT
        db.session.commit()
    assert client.get("/2019/05/12/my-first-tomatoes/").status_code == 404


def test_comments_keep_parents_authors_and_sanitized_bodies(app, imported, greta):
    first = comment_by_origin(app, f"{WP}#comment-10")
    answer = comment_by_origin(app, f"{WP}#comment-11")  # listed before its parent
    third = comment_by_origin(app, f"{WP}#comment-12")  # answers the answer
    assert first.parent_id is None
    assert answer.parent_id == first.id and third.parent_id == first.id
    assert answer.author_id == greta.id and first.author_id is None and first.author_name == "Tom"
    assert answer.body_html == "<p>Thanks all!</p>\n<p>Second line </p>"
    assert first.created_at == datetime(2019, 5, 12, 11, 0)


def test_pages_labels_and_settings(app, client, imported):
    with app.app_context():
        page = db.session.scalar(select(Page).where(Page.origin_id == f"{WP}#post-2"))
        assert (page.slug, page.position, page.published) == ("about", 3, True)
        names = set(db.session.scalars(select(Label.name)))
        assert {"Vegetables", "Tomatoes", "日本", "Unused category"} <= names and "Uncategorized" not in names
        assert db.session.scalar(select(PathRedirect).where(PathRedirect.path == "/about")).page_id == page.id
    assert "A small plot in the city." in client.get("/p/about.html").text
    blog = settings(app)
    assert (blog.title, blog.description, blog.language) == (
        "Garden Notes 🌱",
        "Weeds, seeds and naïve hopes",
        "en-GB",
    )


def test_reimport_adds_nothing(app, runner, imported):
    again = run_import(runner, "wordpress", fixture("wordpress.xml"))
    assert "Imported 0 post(s), 0 page(s), 0 comment(s), 0 new label(s) and 0 redirect(s)." in again.output
    assert "Skipped 3: post already imported." in again.output


def test_a_page_slug_already_taken_here_gets_a_free_one_and_the_old_link_follows(
    app, client, runner, make_page, greta
):
    make_page(title="Mine", slug="about")
    result = run_import(runner, "wordpress", fixture("wordpress.xml"))
    assert result.exit_code == 0, result.output
    assert client.get("/about/").headers["Location"] == "/p/about-2.html"
    assert "Mine" in client.get("/p/about.html").text
