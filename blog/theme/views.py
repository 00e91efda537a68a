"""The theme's stylesheet at /theme/<variant>-<hash>.css, from the blog's own origin."""

from flask import Blueprint, Response, abort

from blog.theme.current import get_theme
from blog.theme.stylesheet import VARIANTS, css_and_digest

bp = Blueprint("theme", __name__)
YEAR = 365 * 24 * 3600


@bp.get("/theme/<variant>-<digest>.css")
def stylesheet(variant: str, digest: str):
    """The theme's CSS. Its URL names the hash of its text: that one is kept a year; a page still
    naming an older hash (a cached copy) gets today's CSS, which nobody may keep."""
    if variant not in VARIANTS:
        abort(404)
    css, current = css_and_digest(get_theme(), variant)
    response = Response(css, mimetype="text/css")
    if digest == current:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
