"""Moving in and out: import from Blogger, WordPress or our own backup; export as Atom or JSON Lines."""

from flask import Flask

from blog.transfer import paths


def init_app(app: Flask) -> None:
    paths.init_app(app)  # old WordPress /?p=123 links; its commands are registered in blog.commands
