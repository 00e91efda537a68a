"""Previews: the live one beside the editor (htmx, as you type) and a saved draft's page as it will look.

Both render through markup.render_body (as publishing.set_body does) and the reading templates' own partials, so
what the writer sees is what readers will get."""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from flask import render_template, request
from flask_login import current_user

from blog.admin.blueprint import bp, require_admin
from blog.admin.forms import MAX_BODY, EditorForm, PageForm, PostForm, split_labels
from blog.admin.ownership import editable_page, editable_post
from blog.markup import render_body
from blog.models import Page, Post, User, utcnow
from blog.publishing import slug_of
from blog.web import dates


class LabelName(NamedTuple):
    name: str


@dataclass
class PreviewPost:
    """What reading/_post_article.html needs of a post, for one that is not (or not yet) published."""

    id: int | str
    title: str
    body_html: str
    excerpt_html: str | None
    body_text: str
    author: User | None
    labels: list[LabelName]
    published_at: datetime
    year: int
    month: int
    slug: str


@dataclass
class PreviewPage:
    title: str
    body_html: str


def preview_post(
    title: str, body: str, labels: list[str], when: datetime | None, post: Post | None
) -> PreviewPost:
    # An imported post keeps its HTML body; a written one is Markdown.
    rendered = render_body(body[:MAX_BODY], getattr(post, "body_format", None))
    when = when or (post.published_at if post is not None else None) or utcnow()
    local = dates.to_local(when)
    fixed = post is not None and post.has_permalink
    return PreviewPost(
        id=post.id if post is not None and post.id else "preview",
        title=title,
        body_html=rendered.html,
        excerpt_html=rendered.excerpt_html,
        body_text=rendered.text,
        author=post.author if post is not None and post.author is not None else current_user,
        labels=[LabelName(name) for name in labels],
        published_at=when,
        year=post.year if fixed else local.year,
        month=post.month if fixed else local.month,
        slug=(post.slug if fixed else "") or slug_of(title, "post"),
    )


def preview_from_form(form: EditorForm, item: Post | Page | None) -> PreviewPost | PreviewPage:
    """The live preview of what the editor holds right now (valid or not)."""
    title, body = (form.title.data or "").strip(), form.body.data or ""
    if isinstance(form, PageForm):
        return PreviewPage(
            title=title, body_html=render_body(body[:MAX_BODY], getattr(item, "body_format", None)).html
        )
    # A half-typed date parses as None: the preview then uses the stored or the current time.
    return preview_post(title, body, split_labels(form.labels.data), form.publish_time, item)


def preview_from_post(post: Post) -> PreviewPost:
    return preview_post(post.title, post.body_source, [label.name for label in post.labels], None, post)


@bp.post("/preview/post")
def live_preview_post():
    """The post preview beside the editor, re-rendered as the writer types (htmx fragment).
    ?post_id= names the post being edited, for its author and fixed permalink."""
    post_id = request.args.get("post_id", type=int)
    post = editable_post(post_id) if post_id else None
    preview = preview_from_form(PostForm(), post)
    return render_template("admin/_live_preview.html", preview=preview, kind="post", item=post)


@bp.post("/preview/page")
def live_preview_page():
    """The static page preview beside the page editor (htmx fragment)."""
    require_admin()
    preview = preview_from_form(PageForm(), None)
    return render_template("admin/_live_preview.html", preview=preview, kind="page")


@bp.get("/posts/<int:post_id>/preview")
def preview_saved_post(post_id: int):
    """A saved post (usually a draft) shown as readers will see it once published."""
    post = editable_post(post_id, hide_foreign=True)
    return render_template("admin/post_preview.html", post=post, preview=preview_from_post(post))


@bp.get("/pages/<int:page_id>/preview")
def preview_saved_page(page_id: int):
    """A saved static page shown as readers will see it."""
    page = editable_page(page_id)
    return render_template("admin/page_preview.html", page=page)


def publishes_later(form: PostForm) -> bool:
    """True when the form's publish date lies ahead: the Publish button then reads Schedule."""
    when = form.publish_time if not form.published_at.errors else None
    return when is not None and when > utcnow()
