"""What the blog holds: posts and pages made directly in the database, reading them back, the settings."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import BlogSettings, Page, Post, PostRevision, utcnow
from blog.publishing import publish, set_body, set_labels
from blog.site_settings import ensure_settings
from tests.support.database import detached


@pytest.fixture
def make_post(app, admin):
    """make_post(title, body=..., when=datetime, labels=[...], draft=False) -> Post (naive UTC times)."""

    def make(
        title="A post",
        body="Some **text**.",
        when: datetime | None = None,
        labels=(),
        draft=False,
        author=None,
    ) -> Post:
        with app.app_context():
            post = Post(title=title, slug="", author_id=(author or admin).id)
            set_body(post, body)
            set_labels(post, list(labels))
            db.session.add(post)
            if not draft:
                publish(post, when or utcnow() - timedelta(minutes=1))
            db.session.commit()
            return detached(post)

    return make


@pytest.fixture
def make_page(app):
    def make(title="About", slug="about", body="About this blog.", published=True) -> Page:
        with app.app_context():
            page = Page(title=title, slug=slug, published=published)
            set_body(page, body)
            db.session.add(page)
            db.session.commit()
            return detached(page)

    return make


def permalink(post) -> str:
    return f"/{post.year:04d}/{post.month:02d}/{post.slug}.html"


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


def set_settings(app, **values) -> None:
    """Change the blog's settings (the Settings screen's values: timezone, comment_policy, ...)."""
    with app.app_context():
        settings = ensure_settings()
        for name, value in values.items():
            setattr(settings, name, value)
        db.session.commit()


def settings(app) -> BlogSettings:
    with app.app_context():
        found = ensure_settings()
        db.session.expunge(found)
        return found
