"""Error pages: a real 404 page, and a plain 500 with nothing internal in it."""
from flask import Flask, render_template
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(error: HTTPException):
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def server_error(error: Exception):
        return render_template("errors/500.html"), 500
