"""The framework's floor: a trivial Flask endpoint, served with the same gunicorn settings as the blog."""

from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def hello():
        """A few bytes of text: no template, no database."""
        return "Hello, world!\n"

    return app
