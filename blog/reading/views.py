"""What readers see: the home page, permalinks, archives, labels, static pages and profiles."""

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from blog.comments.section import build_section
from blog.extensions import db
from blog.models import Label, Page, Post, User, utcnow
from blog.models.post import visible_posts
from blog.reading.listing import paged_posts
from blog.reading.redirects import redirect_to_current
from blog.site_settings import get_settings

bp = Blueprint("reading", __name__)


@bp.get("/")
def index():
    """The newest published posts, under their date headers."""
    page = paged_posts(visible_posts(), get_settings().posts_per_page)
    return render_template("reading/index.html", page=page)


@bp.get("/<int(fixed_digits=4):year>/<int(fixed_digits=2):month>/<slug>.html")
def post(year: int, month: int, slug: str):
    """One post, its neighbours and its comments."""
    now = utcnow()
    found = db.session.scalar(
        visible_posts(now).where(Post.year == year, Post.month == month, Post.slug == slug)
    )
    if found is None:
        # A post renamed after publishing still answers at its old URL (see redirects.py).
        return redirect_to_current(year, month, slug) or abort(404)
    return render_template(
        "reading/post.html",
        post=found,
        newer=neighbour(now, Post.published_at > found.published_at, Post.published_at.asc()),
        older=neighbour(now, Post.published_at < found.published_at, Post.published_at.desc()),
        section=build_section(found),
    )


def neighbour(now, condition, order):
    """The title and permalink parts of the next post in one direction, or None."""
    query = visible_posts(now).where(condition).order_by(order, Post.id).limit(1)
    return db.session.execute(query.with_only_columns(Post.title, Post.year, Post.month, Post.slug)).first()


@bp.get("/<int(fixed_digits=4):year>/")
def year_archive(year: int):
    """Every post of one year."""
    page = paged_posts(visible_posts().where(Post.year == year), get_settings().posts_per_page)
    if not page.posts:
        abort(404)
    return render_template("reading/archive.html", page=page, year=year, month=None)


@bp.get("/<int(fixed_digits=4):year>/<int(fixed_digits=2):month>/")
def month_archive(year: int, month: int):
    """Every post of one month."""
    page = paged_posts(
        visible_posts().where(Post.year == year, Post.month == month), get_settings().posts_per_page
    )
    if not page.posts:
        abort(404)
    return render_template("reading/archive.html", page=page, year=year, month=month)


@bp.get("/search/label/<path:name>")
def label(name: str):
    """Every post with one label."""
    found = db.first_or_404(select(Label).where(Label.name == name))
    query = visible_posts().where(Post.labels.contains(found))
    page = paged_posts(query, get_settings().posts_per_page)
    return render_template("reading/label.html", page=page, label=found)


@bp.get("/p/<slug>.html")
def page(slug: str):
    """A static page."""
    found = db.first_or_404(select(Page).where(Page.slug == slug, Page.published))
    return render_template("reading/page.html", static_page=found)


@bp.get("/profile/<int:user_id>")
def profile(user_id: int):
    """An author's name, short bio and posts."""
    person = db.get_or_404(User, user_id)
    page = paged_posts(visible_posts().where(Post.author_id == person.id), get_settings().posts_per_page)
    if not person.is_staff and not page.posts:
        abort(404)
    return render_template("reading/profile.html", person=person, page=page)
