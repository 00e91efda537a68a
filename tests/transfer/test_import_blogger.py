"""`flask import blogger`: both Blogger export formats, with drafts, pages, labels, unicode, nested replies
and HTML bodies that carry scripts. Every post keeps its /YYYY/MM/slug.html, every page its /p/slug.html."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.markup import JUMP_TARGET, sanitize_post_html
from blog.models import Comment, Label, Page, Post, PostStatus
from tests.support.accounts import make_user
from tests.support.content import settings
from tests.support.transfer import comment_by_origin, fixture, post_by_origin, run_import

CLASSIC = "tag:blogger.com,1999:blog-7001"
TAKEOUT = "tag:blogger.com,1999:blog-4242"


@pytest.fixture
def mia(app):
    return make_user(app, "mia@example.test", "Mia Member")


@pytest.fixture
def classic(app, runner, mia):
    result = run_import(runner, "blogger", fixture("blogger-classic.xml"))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def takeout(app, runner, mia):
    result = run_import(runner, "blogger", fixture("blogger-takeout.atom"))
    assert result.exit_code == 0, result.output
    return result


def test_classic_backup_summary_counts_what_came_in_and_what_was_skipped(classic):
    assert "Imported 3 post(s), 1 page(s), 4 comment(s), 2 new label(s)" in classic.output
    assert "Settings taken: title, description, comment policy." in classic.output
    assert "Skipped 1: Blogger template (this blog keeps its own theme)." in classic.output


def test_classic_posts_keep_their_exact_paths_and_times(app, client, classic):
    night = post_by_origin(app, f"{CLASSIC}.post-9002")
    assert (night.year, night.month, night.slug) == (2021, 2, "night-train-to-zurich")
    # Published 2021-02-28 23:30 at -08:00: 07:30 UTC the next day, yet the URL keeps Blogger's month.
    assert night.published_at == datetime(2021, 3, 1, 7, 30)
    assert night.updated_at == datetime(2021, 3, 2, 17, 15)
    page = client.get("/2021/02/night-train-to-zurich.html")
    assert page.status_code == 200
    assert "Night train to Zürich — über alles" in page.text
    assert client.get("/2020/12/ferry-days_24.html").status_code == 200


def test_classic_html_bodies_are_sanitized_and_render_as_they_would_if_typed(app, client, classic):
    night = post_by_origin(app, f"{CLASSIC}.post-9002")
    assert night.body_format == "html"
    for hostile in ("<script", "onclick", "javascript:", "onerror", "steal()"):
        assert hostile not in night.body_html
    before, after = night.body_source.split("<!--more-->")
    assert night.excerpt_html == sanitize_post_html(before)
    assert night.body_html == sanitize_post_html(before) + JUMP_TARGET + sanitize_post_html(after)
    assert "寝台列車" in night.body_html and "<b>Grüezi!</b>" in night.body_html
    shown = client.get("/2021/02/night-train-to-zurich.html").text
    assert "<script>alert" not in shown and "steal()" not in shown


def test_classic_drafts_labels_pages_and_settings(app, client, classic):
    draft = post_by_origin(app, f"{CLASSIC}.post-9003")
    assert draft.status == PostStatus.DRAFT and draft.year is None and draft.published_at is None
    assert "Kraków" not in client.get("/").text
    about = client.get("/p/about.html")
    assert about.status_code == 200 and "slow travel" in about.text
    assert "evil.example" not in about.text and '<form action="https://evil' not in about.text
    trains = client.get("/search/label/Trains")
    assert "Ferry days" in trains.text and "Night train" in trains.text
    assert client.get("/search/label/Zürich").status_code == 200
    blog = settings(app)
    assert (blog.title, blog.description, blog.comment_policy) == (
        "Lena's Travels ✈",
        "Trains, boats and cafés.",
        "anyone",
    )


def test_classic_comments_keep_threads_authors_and_times(app, client, classic, mia):
    top = comment_by_origin(app, f"{CLASSIC}.post-8001")
    reply = comment_by_origin(app, f"{CLASSIC}.post-8003")
    deeper = comment_by_origin(app, f"{CLASSIC}.post-8004")  # a reply to the reply, listed first
    second = comment_by_origin(app, f"{CLASSIC}.post-8002")
    assert top.parent_id is None and second.parent_id is None
    assert reply.parent_id == top.id
    assert deeper.parent_id == top.id  # one level, as on Blogger: it joins its top-level ancestor
    assert deeper.author_id == mia.id  # the email matched a member
    assert reply.author_id is None and reply.author_name == "Jonas"
    assert top.created_at == datetime(2021, 3, 1, 18, 0)
    assert "onerror" not in reply.body_html and "<img" not in reply.body_html
    page = client.get("/2021/02/night-train-to-zurich.html").text
    assert "Kai" in page and "Schöne Grüße" in page and "Mia Member" in page


def test_takeout_feed_posts_drafts_trash_and_pages(app, client, takeout):
    assert "Imported 2 post(s), 1 page(s), 3 comment(s), 2 new label(s)" in takeout.output
    assert "Skipped 1: post in Blogger's trash." in takeout.output
    assert "Skipped 1: comment in Blogger's trash." in takeout.output
    bread = post_by_origin(app, f"{TAKEOUT}.post-101")
    assert (bread.year, bread.month, bread.slug) == (2022, 5, "sauerteig-fur-anfanger")
    assert bread.created_at == datetime(2022, 4, 30, 8, 0)
    assert sorted(label.name for label in bread.labels) == ["Brot", "Grundlagen"]
    page = client.get("/2022/05/sauerteig-fur-anfanger.html")
    assert page.status_code == 200 and "Sauerteig für Anfänger 🍞" in page.text
    for hostile in ("<iframe", "hx-get", "data-x", "style="):
        assert hostile not in bread.body_html
    secret = post_by_origin(app, f"{TAKEOUT}.post-102")
    assert secret.status == PostStatus.DRAFT and secret.year is None
    assert post_by_origin(app, f"{TAKEOUT}.post-103") is None
    assert client.get("/2022/03/thrown-away.html").status_code == 404
    assert client.get("/p/impressum.html").status_code == 200
    assert settings(app).title == "Küchenlabor"


def test_takeout_replies_before_their_parents_and_three_deep_are_threaded(app, takeout, mia):
    parent = comment_by_origin(app, f"{TAKEOUT}.post-701")
    early = comment_by_origin(app, f"{TAKEOUT}.post-711")
    deep = comment_by_origin(app, f"{TAKEOUT}.post-712")
    assert parent.parent_id is None
    assert early.parent_id == parent.id and deep.parent_id == parent.id
    assert parent.author_id == mia.id  # MIA@example.test: emails match whatever their case
    assert 'rel="nofollow ugc noopener"' in parent.body_html and "onclick" not in parent.body_html


def test_reimporting_the_same_file_adds_nothing(app, runner, classic):
    with app.app_context():
        before = [
            db.session.scalar(select(func.count()).select_from(m)) for m in (Post, Page, Comment, Label)
        ]
    again = run_import(runner, "blogger", fixture("blogger-classic.xml"))
    assert again.exit_code == 0, again.output
    assert "Imported 0 post(s), 0 page(s), 0 comment(s), 0 new label(s)" in again.output
    assert "Skipped 3: post already imported." in again.output
    assert "Skipped 4: comment already imported." in again.output
    with app.app_context():
        assert [
            db.session.scalar(select(func.count()).select_from(m)) for m in (Post, Page, Comment, Label)
        ] == before


def test_a_path_another_post_holds_is_skipped_with_its_reason(app, runner, make_post):
    with app.app_context():
        mine = Post(
            title="Mine",
            slug="ferry-days_24",
            year=2020,
            month=12,
            status=PostStatus.PUBLISHED,
            published_at=datetime(2020, 12, 1),
        )
        db.session.add(mine)
        db.session.commit()
    result = run_import(runner, "blogger", fixture("blogger-classic.xml"))
    assert result.exit_code == 0, result.output
    assert "post whose URL /2020/12/ferry-days_24.html another post here already has" in result.output
    assert "Imported 2 post(s)" in result.output


def test_unmatched_post_authors_can_be_credited_to_an_account(app, runner, admin):
    result = run_import(runner, "blogger", fixture("blogger-takeout.atom"), "--author", admin.email)
    assert result.exit_code == 0, result.output
    assert post_by_origin(app, f"{TAKEOUT}.post-101").author_id == admin.id
    unknown = run_import(
        runner, "blogger", fixture("blogger-takeout.atom"), "--author", "nobody@example.test"
    )
    assert unknown.exit_code != 0 and "no account" in unknown.output
