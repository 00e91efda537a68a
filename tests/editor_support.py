"""Helpers shared by the editor, image and admin access tests."""

from conftest import Auth, csrf_from, make_user
from sqlalchemy import select

from blog.extensions import db
from blog.models import BlogSettings, Post, PostRevision
from blog.site_settings import ensure_settings

HTMX = {"HX-Request": "true"}


def sign_in(client, email: str) -> str:
    """Sign in and return a CSRF token for the session."""
    response = Auth(client).login(email=email)
    assert response.status_code == 302, response.text
    return csrf_from(client.get("/").text)


def make_author(app, email="author@example.test", name="Ann Author"):
    return make_user(app, email, name, "author")


def post_fields(token: str, action: str = "draft", **fields) -> dict:
    """A complete editor submission: every field the form has, overridden by fields."""
    data = {
        "csrf_token": token,
        "action": action,
        "title": "A title",
        "body": "Some *text*.",
        "labels": "",
        "slug": "",
        "published_at": "",
        "comments_allowed": "y",
        "search_description": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def load_post(app, post_id: int | None = None, title: str | None = None) -> Post:
    with app.app_context():
        query = select(Post).where(Post.id == post_id) if post_id else select(Post).where(Post.title == title)
        post = db.session.scalar(query)
        if post is not None:
            post.labels  # noqa: B018 (load before detaching)
            db.session.expunge(post)
        return post


def revisions_of(app, post_id: int) -> list[PostRevision]:
    with app.app_context():
        found = db.session.scalars(
            select(PostRevision).where(PostRevision.post_id == post_id).order_by(PostRevision.id)
        ).all()
        db.session.expunge_all()
        return list(found)


def set_timezone(app, zone: str) -> None:
    with app.app_context():
        ensure_settings()
        db.session.get(BlogSettings, 1).timezone = zone
        db.session.commit()


def permalink(post) -> str:
    return f"/{post.year:04d}/{post.month:02d}/{post.slug}.html"


def post_id_from(response) -> int:
    """The id in a redirect to /admin/posts/<id>/edit."""
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").split("/")[-2])
