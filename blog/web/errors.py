"""Error pages: a real 404 page, and a plain 500 with nothing internal in it."""

from collections.abc import Callable

from flask import Flask, current_app, render_template
from werkzeug.exceptions import HTTPException

RESCUERS = "blog.not_found_rescuers"


def rescue_not_found(app: Flask, rescuer: Callable) -> None:
    """Let an area answer a URL the app does not know before it becomes a 404 (e.g. an imported
    blog's old paths answer 301): `rescuer()` returns a response, or None to let the 404 be."""
    app.extensions.setdefault(RESCUERS, []).append(rescuer)


def init_app(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(error: HTTPException):
        for rescuer in current_app.extensions.get(RESCUERS, ()):
            moved = rescuer()
            if moved is not None:
                return moved
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def server_error(error: Exception):
        return render_template("errors/500.html"), 500
