"""Feeds and files for machines: Atom and RSS, sitemap.xml, robots.txt."""
from flask import Blueprint, abort

bp = Blueprint("feeds", __name__)


@bp.get("/feeds/posts/default")
def posts():
    """Atom feed of posts (?alt=rss for RSS 2.0)."""
    abort(404)


@bp.get("/feeds/posts/default/-/<path:name>")
def label_posts(name: str):
    """Feed of the posts with one label."""
    abort(404)


@bp.get("/feeds/comments/default")
def comments():
    """Atom feed of recent comments."""
    abort(404)


@bp.get("/feeds/<int:post_id>/comments/default")
def post_comments(post_id: int):
    """Atom feed of one post's comments."""
    abort(404)
