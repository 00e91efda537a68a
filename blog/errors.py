"""Error pages: a real 404 page, and a plain 500 with nothing internal in it."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from .transfer.paths import old_path_redirect


def init_app(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(error: HTTPException):
        # An imported blog's old URL (e.g. WordPress's /2019/05/12/my-post/) answers 301 with the new one.
        moved = old_path_redirect()
        if moved is not None:
            return moved
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def server_error(error: Exception):
        return render_template("errors/500.html"), 500
