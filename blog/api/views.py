"""The API's answers: posts (newest first; ?page=, ?label=, ?q=), one post, its comments, the static
pages and the labels. Only what a signed-out reader may see: drafts and scheduled posts that are
not due do not exist here, nor do held or removed comments."""

from datetime import UTC, datetime

from flask import abort, request, url_for
from sqlalchemy import select

from blog.api import schemas
from blog.api.blueprint import bp, respond
from blog.api.openapi import documented
from blog.extensions import db
from blog.models import Comment, CommentStatus, Label, Page, Post
from blog.models.post import newest_first, visible_posts
from blog.reading.fulltext import normalise_query, search_posts
from blog.reading.listing import comment_counts, page_number
from blog.reading.sidebar import label_counts
from blog.site_settings import get_settings

PAGE = {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}
LABEL = {"name": "label", "in": "query", "schema": {"type": "string"}}
QUERY = {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "words to search for"}
POST_ID = {"name": "post_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def iso(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).isoformat()


def author_of(user) -> dict:
    if user is None:
        return {"name": get_settings().title, "url": None}
    return {"name": user.name, "url": url_for("reading.profile", user_id=user.id, _external=True)}


def post_data(post: Post, comments: int) -> dict:
    return {
        "id": post.id,
        "title": post.title,
        "url": url_for("reading.post", year=post.year, month=post.month, slug=post.slug, _external=True),
        "published": iso(post.published_at),
        "updated": iso(max(post.updated_at, post.published_at)),
        "labels": sorted(label.name for label in post.labels),
        "html": post.body_html,
        "author": author_of(post.author),
        "comment_count": comments,
    }


def page_links(number: int, has_next: bool, **args) -> dict:
    """The paging fields: this page's number and the URLs of its neighbours (None at either end)."""
    args = {name: value for name, value in args.items() if value}

    def link(n: int) -> str:
        return url_for(
            request.endpoint, **(request.view_args or {}), **args, page=n if n > 1 else None, _external=True
        )

    return {
        "page": number,
        "next": link(number + 1) if has_next else None,
        "previous": link(number - 1) if number > 1 else None,
    }


def with_links(data: dict, schema) -> object:
    links = {rel: data[rel] for rel in ("next", "previous") if data.get(rel)}
    return respond(schema.dump(data), links)


@bp.get("/posts")
@documented(schemas.PostList, "Visible posts, newest first", PAGE, LABEL, QUERY)
def posts():
    """?label= keeps the posts with that label; ?q= searches (best match first) and may not be
    combined with ?label=; ?page= pages on. A page past the last is a 404."""
    number, per_page = page_number(), get_settings().posts_per_page
    label, q = request.args.get("label"), normalise_query(request.args.get("q", ""))
    if label and q:
        abort(400, "Give either label or q, not both.")
    if q:
        found = search_posts(q, number, per_page)
        rows, has_next = [hit.post for hit in found.hits], found.has_more
    else:
        query = visible_posts()
        if label:
            found_label = db.session.scalar(select(Label).where(Label.name == label))
            if found_label is None:
                abort(404, "No such label.")
            query = query.where(Post.labels.contains(found_label))
        rows = list(
            db.session.scalars(newest_first(query).limit(per_page + 1).offset((number - 1) * per_page))
        )
        has_next, rows = len(rows) > per_page, rows[:per_page]
    if number > 1 and not rows:
        abort(404, "No such page.")
    counts = comment_counts([post.id for post in rows])
    data = {
        "posts": [post_data(post, counts.get(post.id, 0)) for post in rows],
        **page_links(number, has_next, label=label, q=q),
    }
    return with_links(data, schemas.PostList())


def visible_post(post_id: int) -> Post:
    post = db.session.scalar(visible_posts().where(Post.id == post_id))
    if post is None:
        abort(404, "No such post.")
    return post


@bp.get("/posts/<int:post_id>")
@documented(schemas.Post, "One visible post", POST_ID)
def post(post_id: int):
    found = visible_post(post_id)
    return respond(schemas.Post().dump(post_data(found, comment_counts([found.id]).get(found.id, 0))))


@bp.get("/posts/<int:post_id>/comments")
@documented(schemas.CommentList, "A post's published comments, oldest first", POST_ID, PAGE)
def comments(post_id: int):
    found = visible_post(post_id)
    number, per_page = page_number(), get_settings().comments_per_page
    rows = list(
        db.session.scalars(
            select(Comment)
            .where(Comment.post_id == found.id, Comment.status == CommentStatus.PUBLISHED)
            .order_by(Comment.created_at, Comment.id)
            .limit(per_page + 1)
            .offset((number - 1) * per_page)
        )
    )
    if number > 1 and not rows:
        abort(404, "No such page.")
    permalink = url_for("reading.post", year=found.year, month=found.month, slug=found.slug, _external=True)
    data = {
        "comments": [
            {
                "id": c.id,
                "url": f"{permalink}#c{c.id}",
                "parent_id": c.parent_id,
                "author": {"name": c.display_name, "url": None},
                "published": iso(c.created_at),
                "updated": iso(c.edited_at or c.created_at),
                "html": c.body_html,
            }
            for c in rows[:per_page]
        ],
        **page_links(number, len(rows) > per_page),
    }
    return with_links(data, schemas.CommentList())


@bp.get("/pages")
@documented(schemas.PageList, "The published static pages, in menu order")
def pages():
    found = db.session.scalars(select(Page).where(Page.published).order_by(Page.position, Page.title))
    data = [
        {
            "id": page.id,
            "title": page.title,
            "url": url_for("reading.page", slug=page.slug, _external=True),
            "updated": iso(page.updated_at),
            "html": page.body_html,
        }
        for page in found
    ]
    return respond(schemas.PageList().dump({"pages": data}))


@bp.get("/labels")
@documented(schemas.LabelList, "Labels of visible posts, by name, with their counts")
def labels():
    data = [
        {
            "name": name,
            "count": count,
            "url": url_for("reading.label", name=name, _external=True),
            "posts": url_for("api.posts", label=name, _external=True),
        }
        for name, count in label_counts()
    ]
    return respond(schemas.LabelList().dump({"labels": data}))
