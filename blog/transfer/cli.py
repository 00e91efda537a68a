"""`flask import blogger|wordpress|jsonl FILE` and `flask export FILE [--format atom|jsonl]`."""

import os
import sys
import tempfile
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from blog.accounts import find_user_by_email
from blog.extensions import db
from blog.transfer.common import ImportRefused
from blog.transfer.export import FORMATS, format_for, write
from blog.transfer.importer import run_import, work_size


def import_file(path: Path, kind: str, author: str | None) -> None:
    """Import with a progress bar and a summary; a refusal exits 1 with its reason."""
    author_id = None
    if author:
        user = find_user_by_email(author)
        if user is None:
            raise click.BadParameter(f"there is no account with the email {author}", param_hint="--author")
        author_id = user.id
    try:
        # The bar goes to stderr, so the summary on stdout stays clean for scripts.
        with click.progressbar(
            length=work_size(path, kind), label=f"Importing {path.name}", file=sys.stderr
        ) as bar:
            summary = run_import(path, kind, progress=bar.update, default_author_id=author_id)
    except ImportRefused as refusal:
        raise click.ClickException(f"{refusal} Nothing was imported.") from None
    for line in summary.lines():
        click.echo(line)


def file_argument(function):
    return click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))(function)


def author_option(function):
    return click.option(
        "--author", metavar="EMAIL", help="Credit posts whose author has no account here to this account."
    )(function)


@click.group("import", cls=AppGroup)
def import_group():
    """Import a blog exported from Blogger, WordPress or this blog (re-importing adds no duplicates)."""


@import_group.command("blogger")
@file_argument
@author_option
def import_blogger(path: Path, author: str | None) -> None:
    """Import a Blogger export: the classic backup .xml or Takeout's feed.atom."""
    import_file(path, "blogger", author)


@import_group.command("wordpress")
@file_argument
@author_option
def import_wordpress(path: Path, author: str | None) -> None:
    """Import a WordPress export (WXR .xml); old permalinks redirect to the new ones."""
    import_file(path, "wordpress", author)


@import_group.command("jsonl")
@file_argument
@author_option
def import_jsonl(path: Path, author: str | None) -> None:
    """Import a JSON Lines backup made by `flask export`."""
    import_file(path, "jsonl", author)


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="atom (Blogger-compatible; the default) or jsonl (a complete backup; the default for .jsonl).",
)
@with_appcontext
def export_command(path: Path, fmt: str | None) -> None:
    """Export every post, page, label and comment to PATH."""
    fmt = format_for(path, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=".export-")
    try:
        with os.fdopen(fd, "wb") as out:
            counts = write(out, fmt)
        os.replace(partial, path)  # only a complete export ever carries the name
    except BaseException:
        os.unlink(partial)
        raise
    finally:
        db.session.rollback()
    click.echo(
        f"Exported {counts.get('post', 0)} post(s), {counts.get('page', 0)} page(s), "
        f"{counts.get('comment', 0)} comment(s) and {counts.get('label', 0)} label(s) to {path} ({fmt})."
    )


def init_app(app) -> None:
    app.cli.add_command(import_group)
    app.cli.add_command(export_command)
