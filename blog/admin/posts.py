"""Posts in the admin area: the filterable list, the editor (new and edit), autosave and delete."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from sqlalchemy import select

from blog.admin.blueprint import bp
from blog.admin.forms import EmptyForm, PostForm, utc_to_local
from blog.admin.images import upload_context
from blog.admin.ownership import editable_post, own_posts
from blog.admin.post_list import PER_PAGE, STATUS_FILTERS, filtered_posts
from blog.admin.preview import preview_from_form, publishes_later
from blog.admin.saving import Action, allowed_actions, save_post, slug_problem
from blog.extensions import db
from blog.followers.sending import mail_due_posts
from blog.jobs import enqueue
from blog.models import Label, Post, PostStatus, utcnow
from blog.web import dates
from blog.web.htmx import vary_on_htmx, wants_partial

STALE = "This post was published or unpublished in the meantime, so nothing was saved. Check the buttons."


@bp.get("/posts")
def posts():
    """Posts, newest work first, filtered by status and title; authors see their own."""
    status = request.args.get("status", "all")
    if status not in STATUS_FILTERS:
        status = "all"
    q = request.args.get("q", "").strip()[:200]
    page = db.paginate(own_posts(filtered_posts(status, q)), per_page=PER_PAGE, error_out=True)
    context = {"page": page, "status": status, "q": q, "filters": STATUS_FILTERS, "now": utcnow()}
    # A history restore asks for the whole page, although it carries HX-Request.
    if wants_partial() and not request.headers.get("HX-History-Restore-Request"):
        return vary_on_htmx(make_response(render_template("admin/_post_table.html", **context)))
    return vary_on_htmx(make_response(render_template("admin/posts.html", **context)))


@bp.route("/posts/new", methods=["GET", "POST"])
def new_post():
    """The editor for a new post; its first save creates it."""
    return editor(None)


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
def edit_post(post_id: int):
    """The editor for a saved post: save, publish or schedule, update, unpublish, preview."""
    return editor(editable_post(post_id))


def editor(post: Post | None):
    """Show the editor, or apply the button pressed: redirect on success, 422 with the form kept on errors."""
    if request.method == "GET":
        return render_editor(post, PostForm(data=form_data(post)))
    form = PostForm()
    action = requested_action(post)
    if action not in allowed_actions(post):
        # A page loaded before the post was published (or unpublished) elsewhere: keep what was typed.
        return render_editor(post, form, STALE), 422
    if action == Action.PREVIEW:
        return render_editor(post, form)
    if form.validate():
        problem = slug_problem(post, form)
        if problem is None:
            target = post or Post(title="", slug="")
            flash(save_post(target, form, action))
            db.session.commit()
            if action == Action.PUBLISH:
                enqueue(mail_due_posts)  # followers get it now; a scheduled one when it comes due
            return redirect(url_for("admin.edit_post", post_id=target.id))
        form.slug.errors.append(problem)
    return render_editor(post, form), 422


def requested_action(post: Post | None) -> Action:
    """The button pressed; Enter in a field (or no button) means the first, safest one."""
    default = Action.DRAFT if post is None or post.status == PostStatus.DRAFT else Action.UPDATE
    try:
        return Action(request.form.get("action") or default)
    except ValueError:
        abort(400)


def form_data(post: Post | None) -> dict:
    if post is None:
        return {}
    return {
        "title": post.title,
        "body": post.body_source,
        "slug": post.slug,
        "labels": ", ".join(label.name for label in post.labels),
        "published_at": utc_to_local(post.published_at) if post.published_at else None,
        "comments_allowed": post.comments_allowed,
        "search_description": post.search_description,
    }


def render_editor(post: Post | None, form: PostForm, problem: str | None = None) -> str:
    return render_template(
        "admin/editor.html",
        kind="post",
        item=post,
        form=form,
        preview=preview_from_form(form, post),
        problem=problem,
        buttons=editor_buttons(post, form),
        now=utcnow(),
        **upload_context(),
        label_names=db.session.scalars(select(Label.name).order_by(Label.name).limit(500)).all(),
        utc_offset=int(dates.to_local(utcnow()).utcoffset().total_seconds() // 60),
    )


def editor_buttons(post: Post | None, form: PostForm) -> list[tuple[str, str, bool]]:
    """(action, label, primary) for each submit button; the first is what Enter does."""
    if post is None or post.status == PostStatus.DRAFT:
        return [
            (Action.DRAFT, "Save draft", False),
            (Action.PUBLISH, "Schedule" if publishes_later(form) else "Publish", True),
        ]
    return [(Action.UPDATE, "Update", True), (Action.UNPUBLISH, "Unpublish", False)]


@bp.post("/posts/<int:post_id>/autosave")
def autosave_post(post_id: int):
    """Save a draft in the background while the writer types (htmx); answers with the status line's text."""
    post = editable_post(post_id)
    form = PostForm()
    if post.status != PostStatus.DRAFT:
        return autosave_message("Not saved automatically: the post is published, use Update.", 422)
    problem = slug_problem(post, form) if form.validate() else first_error(form)
    if problem:
        return autosave_message(f"Not saved automatically: {problem}", 422)
    save_post(post, form, Action.DRAFT, autosave=True)
    db.session.commit()
    return autosave_message(f"Saved at {dates.to_local(utcnow()):%H:%M}")


def first_error(form: PostForm) -> str:
    return next((errors[0] for errors in form.errors.values() if errors), "check the form.")


def autosave_message(message: str, status: int = 200):
    return render_template("admin/_autosave_message.html", message=message), status


@bp.route("/posts/<int:post_id>/delete", methods=["GET", "POST"])
def delete_post(post_id: int):
    """Ask to confirm (a page, for browsers without JavaScript), then delete the post for good."""
    post = editable_post(post_id)
    if request.method == "GET":
        return render_template(
            "admin/confirm_delete.html",
            item=post,
            kind="post",
            form=EmptyForm(),
            cancel_url=url_for("admin.edit_post", post_id=post.id),
        )
    title = post.title
    db.session.delete(post)
    db.session.commit()
    flash(f"Deleted “{title}”.")
    if wants_partial():  # hx-post from the editor's Delete (after hx-confirm): leave the deleted post's page
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url_for("admin.posts")
        return response
    return redirect(url_for("admin.posts"))
