"""flask assets compress: write the .br and .gz copies of the static files (precompressed.py).

The app also writes missing or stale copies when it starts; the command is for a deploy that
serves static files from nginx before the app has started, or a read-only install built ahead."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from blog.web.precompressed import compress_static


def init_app(app: Flask) -> None:
    app.cli.add_command(assets)


assets = AppGroup("assets", help="Static files.")


@assets.command("compress")
def compress() -> None:
    """Write the pre-compressed copies (.br, .gz) of the static files that lack a fresh one."""
    written = compress_static(Path(current_app.static_folder))
    click.echo(f"{written} compressed copies written.")
