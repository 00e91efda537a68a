"""Helpers shared by the import and export tests: fixture files, running the commands, snapshots."""

from pathlib import Path

from sqlalchemy import inspect, select, text

from blog.extensions import db
from blog.models import Comment, Post

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "transfer"


def fixture(name: str) -> Path:
    return FIXTURES / name


def run_import(runner, kind: str, path: Path, *extra: str):
    return runner.invoke(args=["import", kind, str(path), *extra])


def snapshot(app) -> dict:
    """Every row of every table (bar the migration marker), to show that a refused import changed nothing."""
    with app.app_context():
        db.session.remove()
        names = sorted(set(inspect(db.engine).get_table_names()) - {"alembic_version"})
        return {
            name: sorted(repr(tuple(row)) for row in db.session.execute(text(f'SELECT * FROM "{name}"')))
            for name in names
            if not name.startswith("posts_fts")
        }


def post_by_origin(app, origin: str) -> Post | None:
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.origin_id == origin))
        if post is not None:
            db.session.refresh(post)
            _ = post.labels
            db.session.expunge(post)
        return post


def comment_by_origin(app, origin: str) -> Comment:
    with app.app_context():
        comment = db.session.scalar(select(Comment).where(Comment.origin_id == origin))
        assert comment is not None, origin
        db.session.expunge(comment)
        return comment
