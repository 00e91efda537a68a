"""Moving in and out: import from Blogger, WordPress or our own backup; export as Atom or JSON Lines."""

from flask import Flask

from . import cli, paths


def init_app(app: Flask) -> None:
    cli.init_app(app)
    paths.init_app(app)
