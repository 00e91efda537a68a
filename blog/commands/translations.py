"""flask translations compile: write the .mo files of the translations from their .po (catalogs.py).

The app also writes missing or stale ones when it starts; the command is for a read-only install
built ahead, or to see at once that the catalogs compile."""

import click
from flask import Flask
from flask.cli import AppGroup

from blog.web.catalogs import compile_catalogs


def init_app(app: Flask) -> None:
    app.cli.add_command(translations)


translations = AppGroup("translations", help="The blog's own words in other languages.")


@translations.command("compile")
def compile_() -> None:
    """Write the compiled catalogs (.mo) that are missing or older than their .po."""
    written = compile_catalogs()
    click.echo(f"{written} catalogs compiled.")
