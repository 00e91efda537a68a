"""Feeds and files for machines: Atom and RSS, sitemap.xml, robots.txt.

Feeds are built with feedgen; every feed holds the newest FEED_SIZE entries and costs the same
few queries however long the blog is. Their bytes depend only on the data (no "now" stamps),
so http_cache.py's ETag answers a repeated request with 304.
"""

from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, lazyload

from blog.extensions import db
from blog.markup import html_to_text
from blog.models import Comment, CommentStatus, Label, Page, Post
from blog.models.post import newest_first, visible_posts
from blog.reading.sidebar import archive_tree, label_counts
from blog.site_settings import get_settings
from blog.web import dates

FEED_SIZE = 25
TITLE_LENGTH = 80  # a comment entry's title is the start of its text, as on Blogger
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the updated time of a feed without entries
FORMATS = {"atom": "application/atom+xml", "rss": "application/rss+xml"}

bp = Blueprint("feeds", __name__)


@bp.get("/feeds/posts/default")
def posts():
    """Atom feed of posts (?alt=rss for RSS 2.0)."""
    blog = get_settings()
    feed = new_feed(blog.title, blog.description, url_for(".posts", _external=True), home_url())
    return respond(feed, [add_post(feed, post) for post in newest_posts(visible_posts())])


@bp.get("/feeds/posts/default/-/<path:name>")
def label_posts(name: str):
    """Feed of the posts with one label."""
    found = db.first_or_404(select(Label).where(Label.name == name))
    found_posts = newest_posts(visible_posts().where(Post.labels.contains(found)))
    if not found_posts:
        abort(404)  # a label that only drafts carry is not one readers know of
    blog = get_settings()
    feed = new_feed(
        gettext("%(blog)s - %(label)s", blog=blog.title, label=found.name),
        blog.description,
        url_for(".label_posts", name=found.name, _external=True),
        url_for("reading.label", name=found.name, _external=True),
    )
    return respond(feed, [add_post(feed, post) for post in found_posts])


@bp.get("/feeds/comments/default")
def comments():
    """Atom feed of recent comments."""
    blog = get_settings()
    feed = new_feed(
        gettext("%(blog)s - Comments", blog=blog.title),
        blog.description,
        url_for(".comments", _external=True),
        home_url(),
    )
    return respond(feed, [add_comment(feed, comment) for comment in newest_comments(published_comments())])


@bp.get("/feeds/<int:post_id>/comments/default")
def post_comments(post_id: int):
    """Atom feed of one post's comments."""
    post = db.first_or_404(visible_posts().where(Post.id == post_id))
    feed = new_feed(
        gettext("%(post)s - Comments", post=post.title),
        get_settings().title,
        url_for(".post_comments", post_id=post.id, _external=True),
        permalink(post),
    )
    found = newest_comments(published_comments().where(Comment.post_id == post.id))
    return respond(feed, [add_comment(feed, comment) for comment in found])


@bp.get("/sitemap.xml")
def sitemap():
    """Every public page a search engine should know of, with its last change where we know it."""
    return Response(render_template("feeds/sitemap.xml", urls=sitemap_urls()), mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    """Crawl everything but the private and per-query pages, and find the sitemap."""
    return Response(render_template("feeds/robots.txt"), mimetype="text/plain")


# Building feeds ---------------------------------------------------------------------------------


def feed_format() -> str:
    """'atom' or 'rss' from ?alt=; any other value is a page that does not exist."""
    alt = request.args.get("alt", "atom")
    if alt not in FORMATS:
        abort(404)
    return alt


def new_feed(title: str, description: str, feed_url: str, page_url: str) -> FeedGenerator:
    """A feed with its title, language and links; feed_url is the Atom URL, which also serves as its id."""
    alt = feed_format()
    feed = FeedGenerator()
    # RSS <author> must be an email address, which we never publish: dc:creator carries the name.
    feed.load_extension("dc", atom=False, rss=True)
    feed.id(feed_url)
    feed.title(title)
    feed.subtitle(description or title)  # RSS requires a description
    feed.language(get_settings().language or "en")
    feed.link(href=feed_url if alt == "atom" else f"{feed_url}?alt=rss", rel="self", type=FORMATS[alt])
    feed.link(href=page_url, rel="alternate", type="text/html")  # added last: it becomes RSS <link>
    return feed


def respond(feed: FeedGenerator, updated_times: list[datetime]) -> Response:
    """The feed as Atom or RSS, dated by its newest entry so the same data gives the same bytes."""
    feed.updated(max(updated_times, default=EPOCH))
    if feed_format() == "rss":
        return Response(feed.rss_str(pretty=True), mimetype=FORMATS["rss"])
    return Response(feed.atom_str(pretty=True), mimetype=FORMATS["atom"])


def add_post(feed: FeedGenerator, post: Post) -> datetime:
    """Append a post with its full content; returns its updated time."""
    link = permalink(post)
    name = post.author.name if post.author is not None else get_settings().title
    # publish() stamps updated_at when it schedules, which can be before the post goes out.
    updated = aware(max(post.updated_at, post.published_at))
    entry = feed.add_entry(order="append")
    entry.guid(link, permalink=True)
    entry.title(post.title)
    entry.link(href=link, rel="alternate", type="text/html")
    entry.content(post.body_html, type="html")
    entry.published(aware(post.published_at))
    entry.updated(updated)
    entry.author(name=name)
    entry.dc.dc_creator(name)
    entry.comments(f"{link}#comments")
    for label in post.labels:
        entry.category(term=label.name)
    return updated


def add_comment(feed: FeedGenerator, comment: Comment) -> datetime:
    """Append a comment, linked to its place on the post page; returns its updated time."""
    link = f"{permalink(comment.post)}#c{comment.id}"
    updated = aware(comment.edited_at or comment.created_at)
    entry = feed.add_entry(order="append")
    entry.guid(link, permalink=True)
    entry.title(short_title(comment) or comment.display_name)
    entry.link(href=link, rel="alternate", type="text/html")
    entry.content(comment.body_html, type="html")
    entry.published(aware(comment.created_at))
    entry.updated(updated)
    entry.author(name=comment.display_name)
    entry.dc.dc_creator(comment.display_name)
    return updated


def short_title(comment: Comment) -> str:
    text = html_to_text(comment.body_html)
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rstrip() + "…"


# Queries ----------------------------------------------------------------------------------------


def newest_posts(query: Select) -> list[Post]:
    """The newest visible posts of a query; authors come joined, labels in one more query."""
    return list(db.session.scalars(newest_first(query).limit(FEED_SIZE)))


def published_comments() -> Select:
    """Published comments on visible posts, each with its post (for the permalink) in the same query."""
    return (
        select(Comment)
        .join(Comment.post)
        .where(visible_posts().whereclause, Comment.status == CommentStatus.PUBLISHED)
        .options(contains_eager(Comment.post).options(lazyload(Post.author), lazyload(Post.labels)))
    )


def newest_comments(query: Select) -> list[Comment]:
    newest = query.order_by(Comment.created_at.desc(), Comment.id.desc()).limit(FEED_SIZE)
    return list(db.session.scalars(newest))


def sitemap_urls() -> list[tuple[str, str | None]]:
    """(absolute URL, W3C last-modified time or None) for the home page, posts, pages, labels and months."""
    rows = db.session.execute(
        newest_first(visible_posts()).with_only_columns(
            Post.year, Post.month, Post.slug, Post.published_at, Post.updated_at
        )
    ).all()
    post_urls = [
        (url_for("reading.post", year=y, month=m, slug=slug, _external=True), dates.iso(max(pub, updated)))
        for y, m, slug, pub, updated in rows
    ]
    pages = db.session.execute(select(Page.slug, Page.updated_at).where(Page.published).order_by(Page.slug))
    return [
        (home_url(), post_urls[0][1] if post_urls else None),
        *post_urls,
        *((url_for("reading.page", slug=s, _external=True), dates.iso(updated)) for s, updated in pages),
        *((url_for("reading.label", name=name, _external=True), None) for name, _count in label_counts()),
        *(
            (url_for("reading.month_archive", year=year.year, month=month, _external=True), None)
            for year in archive_tree()
            for month, _count in year.months
        ),
    ]


# Small helpers ----------------------------------------------------------------------------------


def permalink(post: Post) -> str:
    return url_for("reading.post", year=post.year, month=post.month, slug=post.slug, _external=True)


def home_url() -> str:
    return url_for("reading.index", _external=True)


def aware(moment: datetime) -> datetime:
    """Stored times are naive UTC; feedgen wants them aware."""
    return moment.replace(tzinfo=UTC)
