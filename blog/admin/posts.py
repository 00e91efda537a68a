"""Posts in the admin area: the filterable list, the post kind of the shared editor, and autosave."""

from flask import render_template, request
from flask_babel import gettext
from sqlalchemy import select

from blog.admin import editor
from blog.admin.blueprint import bp
from blog.admin.forms import Action, PostForm, utc_to_local
from blog.admin.ownership import editable_post, own_posts
from blog.admin.post_list import PER_PAGE, STATUS_FILTERS, filtered_posts
from blog.admin.preview import publishes_later
from blog.admin.saving import save_post, slug_problem
from blog.extensions import db
from blog.fediverse.outbox import federate_posts
from blog.followers.sending import mail_due_posts
from blog.jobs import enqueue
from blog.models import Label, Post, PostStatus, utcnow
from blog.stats.report import views_of_posts
from blog.web import dates
from blog.web.htmx import page_or_fragment


@bp.get("/posts")
def posts():
    """Posts, newest work first, filtered by status and title; authors see their own."""
    status = request.args.get("status", "all")
    if status not in STATUS_FILTERS:
        status = "all"
    q = request.args.get("q", "").strip()[:200]
    page = db.paginate(own_posts(filtered_posts(status, q)), per_page=PER_PAGE, error_out=True)
    context = {"page": page, "status": status, "q": q, "filters": STATUS_FILTERS, "now": utcnow()}
    context["views"] = views_of_posts(page.items)
    return page_or_fragment("admin/posts.html", "admin/_post_table.html", **context)


def is_draft(post: Post | None) -> bool:
    return post is None or post.status == PostStatus.DRAFT


def form_data(post: Post) -> dict:
    return {
        "title": post.title,
        "body": post.body_source,
        "slug": post.slug,
        "labels": ", ".join(label.name for label in post.labels),
        "published_at": utc_to_local(post.published_at) if post.published_at else None,
        "comments_allowed": post.comments_allowed,
        "search_description": post.search_description,
    }


def save(post: Post | None, form: PostForm, action: Action) -> tuple[Post, str] | None:
    problem = slug_problem(post, form)
    if problem is not None:
        form.slug.errors.append(problem)
        return None
    target = post or Post(title="", slug="")
    return target, save_post(target, form, action)


def context(form: PostForm) -> dict:
    """What a post's extra fields need: label suggestions, the blog's UTC offset for the date input."""
    return {
        "now": utcnow(),
        "label_names": db.session.scalars(select(Label.name).order_by(Label.name).limit(500)).all(),
        "utc_offset": int(dates.to_local(utcnow()).utcoffset().total_seconds() // 60),
    }


POST = editor.Kind(
    name="post",
    form=PostForm,
    load=editable_post,
    is_draft=is_draft,
    form_data=form_data,
    save=save,
    context=context,
    publish_label=lambda form: gettext("Schedule") if publishes_later(form) else gettext("Publish"),
    # Followers get it now; a scheduled post when it comes due (the worker's periodic job).
    published=lambda: enqueue(mail_due_posts),
    # Create, Update or Delete for the fediverse's followers, each once (blog/fediverse/outbox.py).
    changed=lambda: enqueue(federate_posts),
)


@bp.route("/posts/new", methods=["GET", "POST"])
def new_post():
    return editor.new(POST)


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
def edit_post(post_id: int):
    return editor.edit(POST, post_id)


@bp.route("/posts/<int:post_id>/delete", methods=["GET", "POST"])
def delete_post(post_id: int):
    return editor.delete(POST, post_id)


@bp.post("/posts/<int:post_id>/autosave")
def autosave_post(post_id: int):
    """Save a draft in the background while the writer types (htmx); answers with the status line's text."""
    post = editable_post(post_id)
    form = PostForm()
    if post.status != PostStatus.DRAFT:
        return autosave_message(gettext("Not saved automatically: the post is published, use Update."), 422)
    problem = slug_problem(post, form) if form.validate() else first_error(form)
    if problem:
        return autosave_message(gettext("Not saved automatically: %(problem)s", problem=problem), 422)
    save_post(post, form, Action.DRAFT, autosave=True)
    db.session.commit()
    return autosave_message(gettext("Saved at %(time)s", time=dates.to_local(utcnow()).strftime("%H:%M")))


def first_error(form: PostForm) -> str:
    return next((errors[0] for errors in form.errors.values() if errors), gettext("check the form."))


def autosave_message(message: str, status: int = 200):
    return render_template("admin/_autosave_message.html", message=message), status
