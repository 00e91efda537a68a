"""Serving uploaded images at /media/<name>: the stored type, nosniff, and a year of caching
(a name is random and its file never changes)."""

import re

from flask import Blueprint, abort, send_from_directory

from blog.uploads import CONTENT_TYPES, upload_folder

bp = Blueprint("media", __name__)

NAME = re.compile(r"[0-9a-f]{32}\.(png|jpg|gif|webp)")
YEAR = 365 * 24 * 3600


@bp.get("/media/<name>")
def image(name: str):
    """One uploaded image; any name that upload did not generate is a 404."""
    match = NAME.fullmatch(name)
    if match is None:
        abort(404)
    content_type = CONTENT_TYPES[match.group(1)]
    response = send_from_directory(upload_folder(), name, mimetype=content_type, max_age=YEAR)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the file may not run anything, whatever a browser thinks it is.
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
