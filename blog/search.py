"""Full-text search over published posts."""
from flask import Blueprint, render_template, request

bp = Blueprint("search", __name__)


@bp.get("/search")
def results():
    """Search results for ?q=."""
    query = request.args.get("q", "").strip()[:200]
    return render_template("search/results.html", q=query, results=[])
