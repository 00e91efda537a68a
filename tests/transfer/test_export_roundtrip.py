"""`flask export`: Atom (Blogger-compatible, the default) or JSON Lines. Export, import into an empty blog and
export again: the two files are the same, and so are the posts, pages, labels, comments, threads and URLs."""

from datetime import timedelta

import pytest
from lxml import etree
from sqlalchemy import delete, select

from blog.extensions import db
from blog.markup import render_comment
from blog.models import (
    BlogSettings,
    Comment,
    CommentStatus,
    Label,
    Page,
    PathRedirect,
    Post,
    PostRedirect,
    PostRevision,
    post_labels,
    utcnow,
)
from tests.support.transfer import fixture, run_import

ATOM = "{http://www.w3.org/2005/Atom}"


def add_comment(app, post, body, author=None, name="", parent=None, status=CommentStatus.PUBLISHED) -> int:
    with app.app_context():
        comment = Comment(
            post_id=post.id,
            author_id=author.id if author else None,
            author_name=name,
            body_source=body,
            body_html=render_comment(body),
            status=status,
            parent_id=parent,
            created_at=utcnow() - timedelta(hours=1),
        )
        db.session.add(comment)
        db.session.commit()
        return comment.id


@pytest.fixture
def blog(app, runner, admin, member, make_post, make_page):
    """A blog written here (Markdown, drafts, a schedule, a renamed post, threads) plus a WordPress import."""
    hello = make_post(
        "Hello world",
        body="Hello **world**.\n\n<!--more-->\n\nThe rest, with ünïcode ✓.",
        labels=["Alpha", "Béta"],
    )
    make_post("A draft", body="Not *yet*.", draft=True)
    make_post("Later", body="Scheduled.", when=utcnow() + timedelta(days=3), labels=["Alpha"])
    renamed = make_post("Renamed", body="Old name.")
    make_page(title="About", slug="about", body="About *me*.")
    make_page(title="Hidden", slug="hidden", body="Not yet.", published=False)
    top = add_comment(app, hello, "First! **bold**", author=member)
    add_comment(app, hello, "A reply from someone without an account", name="Visitor", parent=top)
    add_comment(app, hello, "Held for moderation", name="Maybe", status=CommentStatus.PENDING)
    add_comment(app, hello, "Removed", author=member, status=CommentStatus.REMOVED)
    with app.app_context():
        db.session.add(Label(name="Unused"))
        db.session.add(
            PostRedirect(year=renamed.year, month=renamed.month, slug="old-name", post_id=renamed.id)
        )
        post = db.session.get(Post, renamed.id)
        post.comments_allowed, post.search_description = False, "A renamed post."
        settings = db.session.get(BlogSettings, 1) or BlogSettings(id=1)
        settings.title, settings.description, settings.comment_policy = (
            "Round trip",
            "There and back",
            "anyone",
        )
        db.session.add(settings)
        db.session.commit()
    assert run_import(runner, "wordpress", fixture("wordpress.xml")).exit_code == 0
    return {"hello": hello, "renamed": renamed}


def export(runner, path, *extra) -> bytes:
    result = runner.invoke(args=["export", str(path), *extra])
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def empty_the_blog(app) -> None:
    """Delete every post, page, label, comment and setting; accounts stay (emails match them again)."""
    with app.app_context():
        for model in (Comment, PathRedirect, PostRedirect, PostRevision):
            db.session.execute(delete(model))
        db.session.execute(delete(post_labels))
        for model in (Post, Page, Label, BlogSettings):
            db.session.execute(delete(model))
        db.session.commit()


def second(moment):
    """Exports keep times to the second."""
    return moment.replace(microsecond=0) if moment else None


def state(app) -> dict:
    """What a reader and the admin see, without row ids."""
    with app.app_context():
        posts = {
            p.title: (
                p.body_source,
                p.body_format,
                p.body_html,
                p.status,
                second(p.published_at),
                second(p.created_at),
                second(p.updated_at),
                p.year,
                p.month,
                p.slug,
                [label.name for label in p.labels],
                p.comments_allowed,
                p.search_description,
            )
            for p in db.session.scalars(select(Post))
        }
        pages = {
            p.slug: (p.title, p.body_source, p.body_html, p.published, p.position)
            for p in db.session.scalars(select(Page))
        }
        comments = {}
        for c in db.session.scalars(select(Comment)):
            parent = db.session.get(Comment, c.parent_id) if c.parent_id else None
            comments[c.body_source] = (
                c.post.title,
                c.display_name,
                c.author_id,
                c.status,
                c.body_html,
                parent.body_source if parent else None,
                second(c.created_at),
            )
        labels = sorted(db.session.scalars(select(Label.name)))
        settings = db.session.get(BlogSettings, 1)
        return {
            "posts": posts,
            "pages": pages,
            "comments": comments,
            "labels": labels,
            "settings": (settings.title, settings.description, settings.comment_policy),
        }


@pytest.mark.parametrize(
    "name, extra",
    [
        ("blog.atom", ()),
        ("blog.xml", ()),
        ("blog.jsonl", ()),
        ("backup.txt", ("--format", "jsonl")),
        ("blog.data", ("--format", "atom")),
    ],
)
def test_export_then_import_into_an_empty_blog_then_export_gives_the_same_file(
    app, runner, blog, tmp_path, name, extra
):
    before = state(app)
    first = export(runner, tmp_path / name, *extra)
    empty_the_blog(app)
    result = run_import(runner, "jsonl" if first.startswith(b"{") else "blogger", tmp_path / name)
    assert result.exit_code == 0, result.output
    assert "Imported 7 post(s), 3 page(s), 7 comment(s), 7 new label(s) and 6 redirect(s)." in result.output
    second = export(runner, tmp_path / f"again-{name}", *extra)
    assert second == first
    assert state(app) == before


def test_the_atom_export_is_blogger_shaped(app, runner, blog, tmp_path):
    export(runner, tmp_path / "blog.atom")
    feed = etree.parse(tmp_path / "blog.atom").getroot()
    assert feed.tag == f"{ATOM}feed"
    kinds = [e.findtext("{http://schemas.google.com/blogger/2018}type") for e in feed.iter(f"{ATOM}entry")]
    assert kinds.count("POST") == 7 and kinds.count("PAGE") == 3 and kinds.count("COMMENT") == 7
    hello = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Hello world")
    post = blog["hello"]
    assert (
        hello.findtext("{http://schemas.google.com/blogger/2018}filename")
        == f"/{post.year:04d}/{post.month:02d}/{post.slug}.html"
    )
    # Blogger reads HTML, with its own jump-break marker.
    assert "<strong>world</strong>.</p>\n<!--more--><p>" in hello.findtext(f"{ATOM}content")
    assert sorted(c.get("term") for c in hello.iter(f"{ATOM}category")) == ["Alpha", "Béta"]


def test_urls_survive_the_round_trip(app, client, runner, blog, tmp_path):
    export(runner, tmp_path / "blog.atom")
    empty_the_blog(app)
    assert run_import(runner, "blogger", tmp_path / "blog.atom").exit_code == 0
    hello, renamed = blog["hello"], blog["renamed"]
    assert client.get(f"/{hello.year:04d}/{hello.month:02d}/{hello.slug}.html").status_code == 200
    moved = client.get(f"/{renamed.year:04d}/{renamed.month:02d}/old-name.html")
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"/{renamed.year:04d}/{renamed.month:02d}/{renamed.slug}.html"
    assert (
        client.get("/2019/05/12/my-first-tomatoes/").headers["Location"] == "/2019/05/my-first-tomatoes.html"
    )
    assert client.get("/p/about.html").status_code == 200 and client.get("/p/hidden.html").status_code == 404


def test_importing_its_own_export_back_adds_nothing(app, runner, blog, tmp_path):
    export(runner, tmp_path / "blog.atom")
    before = state(app)
    result = run_import(runner, "blogger", tmp_path / "blog.atom")
    assert "Imported 0 post(s), 0 page(s), 0 comment(s), 0 new label(s) and 0 redirect(s)." in result.output
    assert state(app) == before


def test_export_refuses_an_unknown_format(runner, tmp_path):
    result = runner.invoke(args=["export", str(tmp_path / "x.atom"), "--format", "csv"])
    assert result.exit_code == 2 and "csv" in result.output
