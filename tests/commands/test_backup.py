"""`flask backup PATH` then changes then `flask restore PATH --yes` gives the same blog back,
on SQLite and (when DATABASE_URL names one and pg_dump is installed) on PostgreSQL."""

import os
import stat
import tarfile
from datetime import timedelta
from pathlib import Path

import click
import pytest
from sqlalchemy import delete, inspect, select, text

from blog.commands import backup
from blog.extensions import db
from blog.models import BlogSettings, Comment, Image, Post, utcnow
from tests.support.accounts import make_user

PNG = bytes.fromhex(  # a 1x1 transparent PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea73581e40000000049454e44ae426082"
)


@pytest.fixture
def app_config(tmp_path):
    # STATS_ENABLED off: the snapshots read pages, and a counted view would make the day's stats salt.
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads"), "STATS_ENABLED": False}


@pytest.fixture(autouse=True)
def postgres_tools(app):
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            try:
                backup.postgres_tool("pg_dump")
                backup.postgres_tool("pg_restore")
            except click.ClickException:
                pytest.skip("pg_dump/pg_restore are not installed")


def add_image(app, name: str, uploader_id: int) -> None:
    """An uploaded image as the editor stores it: a file in the upload folder and its row."""
    with app.app_context():
        backup.upload_folder().mkdir(parents=True, exist_ok=True)
        (backup.upload_folder() / name).write_bytes(PNG)
        db.session.add(
            Image(
                name=name, content_type="image/png", width=1, height=1, size=len(PNG), uploaded_by=uploader_id
            )
        )
        db.session.commit()


@pytest.fixture
def blog(app, make_post, admin, member):
    """A small blog: posts with labels, comments and a reply, changed settings, an uploaded image."""
    first = make_post("First post", "Hello **world**.", when=utcnow() - timedelta(days=40), labels=["news"])
    second = make_post("Second post", "More text.", labels=["news", "misc"])
    make_post("A draft", draft=True)
    with app.app_context():
        parent = Comment(
            post_id=first.id,
            author_id=member.id,
            body_source="Nice",
            body_html="<p>Nice</p>",
            idempotency_key="a" * 32,
        )
        db.session.add(parent)
        db.session.flush()
        db.session.add_all(
            [
                Comment(
                    post_id=first.id,
                    author_id=admin.id,
                    parent_id=parent.id,
                    body_source="Thanks",
                    body_html="<p>Thanks</p>",
                    idempotency_key="b" * 32,
                ),
                Comment(
                    post_id=second.id, author_id=member.id, body_source="Second!", body_html="<p>Second!</p>"
                ),
            ]
        )
        settings = db.session.get(BlogSettings, 1) or BlogSettings(id=1)
        settings.title = "Backed-up blog"
        db.session.add(settings)
        db.session.commit()
    add_image(app, "0" * 32 + ".png", admin.id)
    return first


def snapshot(app, client, post) -> dict:
    """Every row of every table, the uploaded files, and the home and post pages as a reader sees them."""
    with app.app_context():
        tables = {}
        for name in sorted(inspect(db.engine).get_table_names()):
            rows = db.session.execute(text(f'SELECT * FROM "{name}"')).all()
            tables[name] = sorted((tuple(row) for row in rows), key=repr)
        db.session.remove()
        files = {p.name: p.read_bytes() for p in backup.upload_folder().iterdir()}
    home = client.get("/")
    page = client.get(f"/{post.year:04d}/{post.month:02d}/{post.slug}.html")
    assert home.status_code == page.status_code == 200
    return {"tables": tables, "files": files, "home": home.text, "post": page.text}


def change_everything(app, make_post, member, post) -> None:
    make_post("Written after the backup")
    with app.app_context():
        db.session.execute(delete(Comment).where(Comment.idempotency_key == "b" * 32))
        db.session.get(BlogSettings, 1).title = "Changed title"
        db.session.get(Post, post.id).title = "Renamed"
        for image in db.session.scalars(select(Image)):
            (backup.upload_folder() / image.name).unlink()
            db.session.delete(image)
        db.session.commit()
    make_user(app, "late@example.test", "Late Member")
    add_image(app, "1" * 32 + ".png", member.id)


def test_restore_gives_back_the_same_blog(app, client, runner, blog, make_post, member, tmp_path):
    before = snapshot(app, client, blog)
    path = tmp_path / "backups" / "blog.tar"

    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 uploaded image(s)" in result.output

    change_everything(app, make_post, member, blog)
    changed = snapshot(app, client, blog)
    for part in ("tables", "files", "home", "post"):
        assert changed[part] != before[part], part  # the test could fail

    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    after = snapshot(app, client, blog)
    assert after["tables"] == before["tables"]
    assert after["files"] == before["files"]
    assert after["home"] == before["home"]
    assert after["post"] == before["post"]
    # And the restored blog takes new writes (sequences / autoincrement carried over).
    make_post("After the restore")
    with app.app_context():
        assert db.session.scalar(select(Post.id).where(Post.title == "After the restore"))


def test_backup_is_one_tar_file_with_a_checked_database(app, runner, blog, tmp_path):
    path = tmp_path / "blog.tar"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    with tarfile.open(path) as archive:
        names = archive.getnames()
    assert names[0] in ("database.sqlite3", "database.pgdump")
    assert f"uploads/{'0' * 32}.png" in names


def test_backup_is_readable_by_its_owner_alone_whatever_the_umask(runner, blog, tmp_path):
    previous = os.umask(0)
    try:
        result = runner.invoke(args=["backup", str(tmp_path / "private.tar")])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "private.tar").stat().st_mode) == 0o600


def test_the_nightly_backup_unit_sets_a_private_umask():
    unit = (Path(__file__).resolve().parents[2] / "deploy" / "blog-backup.service").read_text()
    assert "\nUMask=0077\n" in unit


def test_backup_never_overwrites_a_file(runner, blog, tmp_path):
    path = tmp_path / "taken.tar"
    path.write_text("something else")
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code != 0
    assert "exists" in result.output
    assert path.read_text() == "something else"


@pytest.mark.parametrize("content", [b"not a backup at all", b""])
def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(
    app, client, runner, blog, tmp_path, content
):
    before = snapshot(app, client, blog)
    path = tmp_path / "bogus.tar"
    path.write_bytes(content)
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code != 0
    assert "not a backup" in result.output or "holds no database" in result.output
    assert snapshot(app, client, blog) == before


def test_restore_refuses_a_damaged_sqlite_backup(app, client, runner, blog, tmp_path):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("a SQLite backup")
    damaged = tmp_path / "database.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    path = tmp_path / "damaged.tar"
    with tarfile.open(path, "w") as archive:
        archive.add(damaged, arcname="database.sqlite3")
    before = snapshot(app, client, blog)
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code != 0
    assert "damaged" in result.output
    assert snapshot(app, client, blog) == before


def test_restore_asks_first(runner, blog, tmp_path):
    path = tmp_path / "blog.tar"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    result = runner.invoke(args=["restore", str(path)], input="n\n")
    assert result.exit_code == 1
    assert "Continue?" in result.output
