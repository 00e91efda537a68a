"""The command line: `db upgrade`, `users create` and `demo`, run through Flask's CLI runner."""

from datetime import datetime

import pytest
from sqlalchemy import func, inspect, select, table

from blog import create_app
from blog.commands.demo.content import ADMIN_PASSWORD, BLOG_TITLE, DEMO_DOMAIN
from blog.config import TestConfig
from blog.extensions import db
from blog.models import BlogSettings, Comment, Page, Post, PostStatus, User, utcnow
from blog.models.post import visible_posts
from tests.support.accounts import PASSWORD, make_user, sign_in
from tests.support.database import database_url

DEMO_ADMIN = f"admin@{DEMO_DOMAIN}"


def create_user(runner, email="new@example.test", name="New Person", role="member", password=PASSWORD):
    return runner.invoke(
        args=["users", "create", "--email", email, "--name", name, "--role", role, "--password", password]
    )


def users(app) -> list[tuple]:
    """Every account as it is stored, to compare before and after a command."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(select(User.__table__).order_by(User.id))]


def row_counts(app) -> dict[str, int]:
    """Rows in every table of the database, whichever feature made it."""
    with app.app_context():
        names = inspect(db.engine).get_table_names()
        return {name: db.session.scalar(select(func.count()).select_from(table(name))) for name in names}


# --- users create ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "author", "member"])
def test_users_create_makes_an_account_with_each_role(app, runner, role):
    result = create_user(runner, email=f"{role}@example.test", name=f"A {role}", role=role)
    assert result.exit_code == 0, result.output
    assert f"{role}@example.test" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == f"{role}@example.test"))
        assert (user.name, user.role) == (f"A {role}", role)
        assert user.check_password(PASSWORD) and not user.check_password("wrong password")


@pytest.mark.parametrize("email", ["taken@example.test", "Taken@Example.TEST"])
def test_users_create_refuses_a_duplicate_email_and_changes_nothing(app, runner, email):
    make_user(app, "taken@example.test", "First Owner", "member")
    before = users(app)
    result = create_user(runner, email=email, name="Impostor", role="admin", password="another password")
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert users(app) == before


@pytest.mark.parametrize(
    "args, message",
    [
        ({"role": "owner"}, "Invalid value for '--role'"),
        ({"password": "short"}, "at least 8 characters"),
        ({"email": "not-an-email"}, "not an email address"),
    ],
)
def test_users_create_rejects_bad_input(app, runner, args, message):
    result = create_user(runner, **args)
    assert result.exit_code != 0
    assert message in result.output
    assert users(app) == []


# --- db upgrade -----------------------------------------------------------------------------------


def test_db_upgrade_builds_the_schema_from_nothing_and_is_safe_to_repeat(tmp_path):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url(tmp_path))
    runner = app.test_cli_runner()
    try:
        first = runner.invoke(args=["db", "upgrade"])
        assert first.exit_code == 0, first.output
        make_user(app, "kept@example.test", "Kept")
        second = runner.invoke(args=["db", "upgrade"])
        assert second.exit_code == 0, second.output
        with app.app_context():
            assert {"users", "posts", "comments", "pages", "labels", "blog_settings"} <= set(
                inspect(db.engine).get_table_names()
            )
        assert [u[1] for u in users(app)] == ["kept@example.test"]
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


# --- demo -----------------------------------------------------------------------------------------


def test_demo_fills_an_empty_blog(app, runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_ADMIN in result.output and ADMIN_PASSWORD in result.output

    with app.app_context():
        visible = db.session.scalars(visible_posts()).all()
        assert len(visible) >= 18
        assert len({(p.year, p.month) for p in visible}) >= 5
        assert {p.year for p in visible} == {2025, 2026}
        assert all(p.published_at <= utcnow() for p in visible)
        assert sum(p.excerpt_html is not None for p in visible) >= 3  # jump breaks
        assert len({label.name for p in visible for label in p.labels}) >= 5
        bodies = " ".join(p.body_html for p in visible)
        for tag in ("<h2>", "<ul>", "<ol>", "<pre>", "<blockquote>", "<table>", '<a href="https://'):
            assert tag in bodies

        drafts = db.session.scalars(select(Post).where(Post.status == PostStatus.DRAFT)).all()
        scheduled = db.session.scalars(select(Post).where(Post.status == PostStatus.SCHEDULED)).all()
        assert len(drafts) == 1 and len(scheduled) == 1
        assert 25 <= (scheduled[0].published_at - utcnow()).days <= 31
        hidden = [drafts[0].title, scheduled[0].title]
        scheduled_url = f"/{scheduled[0].year}/{scheduled[0].month:02d}/{scheduled[0].slug}.html"

        accounts = db.session.scalars(select(User)).all()
        assert all(u.email.endswith("@" + DEMO_DOMAIN) for u in accounts)
        assert sorted(u.role for u in accounts) == ["admin", "author", "member", "member", "member"]
        admin = next(u for u in accounts if u.email == DEMO_ADMIN)
        assert admin.role == "admin" and admin.check_password(ADMIN_PASSWORD)

        comments = db.session.scalars(select(Comment)).all()
        by_id = {c.id: c for c in comments}
        replies = [c for c in comments if c.parent_id is not None]
        assert replies
        for reply in replies:
            parent = by_id[reply.parent_id]
            assert parent.parent_id is None and parent.post_id == reply.post_id
            assert reply.created_at > parent.created_at
        members = {f"{name}@{DEMO_DOMAIN}" for name in ("priya", "jonas", "maud")}
        assert {c.author.email for c in comments} >= members
        per_post = db.session.execute(select(Comment.post_id, func.count()).group_by(Comment.post_id)).all()
        assert max(n for _, n in per_post) >= 30
        assert all(by_id[c.id].created_at > by_id[c.id].post.published_at for c in comments)
        assert db.session.get(BlogSettings, 1).title == BLOG_TITLE

    home = client.get("/")
    assert home.status_code == 200
    assert BLOG_TITLE in home.text
    for title in hidden:
        assert title not in home.text
    assert client.get(scheduled_url).status_code == 404
    about = client.get("/p/about.html")
    assert about.status_code == 200 and "Millbrook" in about.text


def test_demo_twice_changes_nothing(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    before_counts, before_users = row_counts(app), users(app)
    with app.app_context():
        before_posts = db.session.execute(select(Post.__table__).order_by(Post.id)).all()

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert "already loaded" in again.output
    assert row_counts(app) == before_counts
    assert users(app) == before_users
    with app.app_context():
        assert db.session.execute(select(Post.__table__).order_by(Post.id)).all() == before_posts


def test_demo_keeps_a_password_changed_by_hand(app, runner):
    runner.invoke(args=["demo"])
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == DEMO_ADMIN))
        admin.set_password("my own new password")
        db.session.commit()
    runner.invoke(args=["demo"])
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == DEMO_ADMIN))
        assert admin.check_password("my own new password") and not admin.check_password(ADMIN_PASSWORD)


def test_demo_leaves_existing_users_pages_posts_and_settings_alone(app, runner, make_post, make_page):
    owner = make_user(app, "owner@example.test", "The Owner", "admin")
    # Someone already holds one of the demo's member addresses: the demo uses that account as it is.
    squatter = make_user(app, f"priya@{DEMO_DOMAIN}", "Not Priya", "author", password="a password of mine")
    # The same title and month as a demo post: the owner's keeps its permalink, the demo's gets another.
    post = make_post("A soup for grey Saturdays", body="Mine.", when=datetime(2025, 2, 1, 11), author=owner)
    make_page(title="About me", slug="about", body="The owner's own page.")
    with app.app_context():
        settings = db.session.get(BlogSettings, 1) or BlogSettings(id=1)
        settings.title = "The Owner's Blog"
        db.session.add(settings)
        db.session.commit()
        own_post = db.session.execute(select(Post.__table__).where(Post.id == post.id)).one()
    before = users(app)

    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert users(app)[: len(before)] == before
    with app.app_context():
        assert db.session.execute(select(Post.__table__).where(Post.id == post.id)).one() == own_post
        page = db.session.scalar(select(Page).where(Page.slug == "about"))
        assert (page.title, page.body_source) == ("About me", "The owner's own page.")
        # The owner's "About" and the demo's "Comment policy".
        assert db.session.scalar(select(func.count()).select_from(Page)) == 2
        assert db.session.get(BlogSettings, 1).title == "The Owner's Blog"
        assert db.session.get(User, squatter.id).check_password("a password of mine")
        assert db.session.scalar(select(func.count(Post.id)).where(Post.author_id == owner.id)) == 1
        soups = db.session.scalars(select(Post.slug).where(Post.title == "A soup for grey Saturdays")).all()
        assert sorted(soups) == ["a-soup-for-grey-saturdays", "a-soup-for-grey-saturdays-2"]


def test_demo_is_skipped_when_the_demo_admin_exists(app, runner):
    make_user(app, DEMO_ADMIN, "Demo Admin", "admin")
    before = row_counts(app)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0
    assert "already loaded" in result.output
    assert row_counts(app) == before


def test_the_printed_demo_admin_credentials_sign_in(runner, client):
    output = runner.invoke(args=["demo"]).output
    assert f"email {DEMO_ADMIN} and password {ADMIN_PASSWORD}" in output
    sign_in(client, DEMO_ADMIN, ADMIN_PASSWORD)
    assert "Sign out" in client.get("/").text
