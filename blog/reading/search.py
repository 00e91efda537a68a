"""The search page, /search?q=WORDS: a thin view over fulltext.search_posts()."""

from flask import Blueprint, abort, render_template, request

from blog.reading.fulltext import normalise_query, search_posts
from blog.reading.listing import page_number
from blog.site_settings import get_settings

bp = Blueprint("search", __name__)


@bp.get("/search")
def results():
    """Visible posts matching ?q=, best match first, matched words highlighted; ?page= pages on."""
    q = normalise_query(request.args.get("q", ""))
    number = page_number()
    found = search_posts(q, number, get_settings().posts_per_page) if q else None
    if found is not None and number > 1 and not found.hits:
        abort(404)  # past the last page, as on the other lists
    return render_template("search/results.html", q=q, results=found)
