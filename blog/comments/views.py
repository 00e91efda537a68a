"""The comment section: list, post, reply, edit, delete, preview; htmx fragments and no-JS fallbacks."""

from flask import Blueprint, abort, redirect, request
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm import lazyload

from blog.comments import answers, notify, policy
from blog.comments.forms import EditForm, form_class, new_key
from blog.comments.responses import (
    comment_url,
    csrf_failed,
    form_response,
    page_response,
    problem,
    section_response,
    see_other,
    sign_in_first,
    thread_url,
)
from blog.comments.section import (
    build_section,
    comment_form_view,
    edit_form_view,
    reply_form_view,
    requested_page,
    viewer_for,
)
from blog.comments.service import (
    Draft,
    Flooded,
    KeyReused,
    TextChanged,
    delete_comment,
    edit_comment,
    post_comment,
)
from blog.comments.thread import page_of, position_of
from blog.extensions import db, limiter
from blog.markup import render_comment
from blog.models import Comment, CommentStatus, Post
from blog.models.post import visible_posts
from blog.site_settings import get_settings
from blog.web.forms import EmptyForm
from blog.web.htmx import partial, vary_on_htmx, wants_partial

bp = Blueprint("comments", __name__)
bp.register_error_handler(CSRFError, csrf_failed)
# Guests (the "anyone" policy) have no account to count against: limit them per address.
GUEST_LIMIT = limiter.limit(
    "5 per minute", methods=["POST"], exempt_when=lambda: current_user.is_authenticated
)


def get_post_or_404(post_id: int) -> Post:
    """A post readers can see: drafts and scheduled posts are not found."""
    return db.first_or_404(visible_posts().where(Post.id == post_id).options(lazyload(Post.labels)))


def get_comment_or_404(comment_id: int) -> tuple[Comment, Post]:
    """A comment the viewer may see, on a visible post."""
    comment = db.get_or_404(Comment, comment_id)
    if not policy.may_see(current_user, comment):
        abort(404)
    return comment, get_post_or_404(comment.post_id)


@bp.get("/posts/<int:post_id>/comments")
def section(post_id: int):
    """The comment section alone (htmx: load more, page switch); a plain GET goes to the post."""
    post = get_post_or_404(post_id)
    if not wants_partial():
        return vary_on_htmx(redirect(thread_url(post, requested_page())))
    return section_response(build_section(post))


@bp.get("/comments/<int:comment_id>")
def show(comment_id: int):
    """A comment's permalink: the page of the thread that shows it (htmx: the comment alone)."""
    comment, post = get_comment_or_404(comment_id)
    if not wants_partial():
        return vary_on_htmx(redirect(comment_url(comment, post, get_settings().comments_per_page)))
    number = position_of(comment, current_user) + 1 if comment.parent_id is None else None
    return partial("comments/_comment.html", comment=comment, number=number, viewer=viewer_for(post))


@bp.get("/posts/<int:post_id>/comments/new")
def compose(post_id: int):
    """The comment form on its own (guests open it with "Write a comment"; it carries a CSRF token)."""
    post = get_post_or_404(post_id)
    refusal = refuse(post)
    return refusal or form_response(
        comment_form_view(post), gettext("Comment on “%(title)s”", title=post.title), post
    )


@bp.post("/posts/<int:post_id>/comments")
@GUEST_LIMIT
def create(post_id: int):
    """Post a comment (or preview it)."""
    return submit(get_post_or_404(post_id))


@bp.route("/comments/<int:comment_id>/reply", methods=["GET", "POST"])
@GUEST_LIMIT
def reply(comment_id: int):
    """The reply form (GET), or post a reply (one level deep: a reply to a reply joins its thread)."""
    parent, post = get_comment_or_404(comment_id)
    if parent.status != CommentStatus.PUBLISHED:
        abort(404)
    if request.method == "POST":
        return submit(post, parent)
    refusal = refuse(post)
    title = gettext("Reply to %(name)s", name=parent.display_name)
    return refusal or form_response(reply_form_view(parent), title, post, comment=parent)


def refuse(post: Post):
    """The answer for someone the comment policy excludes, or None if they may comment."""
    permission = viewer_for(post).permission
    if permission.allowed:
        return None
    if permission.sign_in:
        return sign_in_first()
    return problem(" ".join(filter(None, [permission.notice, permission.detail])), 403, post)


def submit(post: Post, parent: Comment | None = None):
    """Validate, preview or store a new comment or reply, and answer in the right shape."""
    refusal = refuse(post)
    if refusal:
        return refusal
    form = form_class(reply=parent is not None, guest=not policy.is_signed_in(current_user))()
    view = reply_form_view(parent, form) if parent else comment_form_view(post, form)
    title = (
        gettext("Reply to %(name)s", name=parent.display_name)
        if parent
        else gettext("Comment on “%(title)s”", title=post.title)
    )
    if not form.validate():
        return form_response(view, title, post, 422, comment=parent)
    if "preview" in request.form:
        return preview(view, title, post, comment=parent)
    draft = Draft(
        form.body.data,
        form.key.data,
        getattr(form, "name", None) and form.name.data or "",
        bool(form.notify and form.notify.data),
    )
    try:
        comment, _ = post_comment(post, current_user, draft, parent)
    except Flooded as flood:
        wait = flood.retry_after
        return problem(
            ngettext(
                "You are commenting too fast. Wait %(num)d second and try again.",
                "You are commenting too fast. Wait %(num)d seconds and try again.",
                wait,
            ),
            429,
            post,
            {"Retry-After": str(wait)},
        )
    except KeyReused:
        return problem(gettext("This form was already used. Reload the page and try again."), 409, post)
    except TextChanged:
        # The text stays in the box with a fresh key: posting again stores it as a new comment.
        form.key.data = new_key()
        form.body.errors = [TEXT_CHANGED]
        return form_response(view, title, post, 409, comment=parent)
    return posted(post, comment)


TEXT_CHANGED = lazy_gettext(
    "This form was already used to post another text, so this one was not posted. "
    "It is still here: post it again to add it as a new comment."
)


def preview(view, title: str, post: Post, **context):
    """Show the text as it will look, through the same renderer; nothing is stored."""
    view.preview_html = render_comment(view.form.body.data)
    if wants_partial():
        return partial("comments/_preview.html", view=view)
    return page_response(title, post, view=view, **context)


def posted(post: Post, comment: Comment):
    """After a post: the refreshed section with focus on the comment (htmx), else a redirect to it."""
    held = comment.status == CommentStatus.PENDING
    per_page = get_settings().comments_per_page
    if not policy.is_signed_in(current_user):
        message = gettext("Thank you. Your comment will appear once it has been approved.")
        if wants_partial():
            # A guest's comment is held: the section again, with the message and no comment added.
            section = build_section(post, status=message, focus="comments-status", announce=message)
            response = section_response(section)
            response.headers.update({"HX-Retarget": "#comments", "HX-Reswap": "outerHTML"})
            return response
        return see_other(thread_url(post), message)
    message = gettext("Your comment is awaiting moderation.") if held else gettext("Your comment was posted.")
    if wants_partial():
        return answers.posted(post, comment, message, per_page)
    return see_other(comment_url(comment, post, per_page), message)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit(comment_id: int):
    """Edit your own comment within the edit window; it then shows "(edited)"."""
    comment, post = get_comment_or_404(comment_id)
    if not policy.is_signed_in(current_user):
        return sign_in_first()
    if comment.author_id != current_user.id:
        return problem(gettext("You can only edit your own comments."), 403, post)
    viewer = viewer_for(post)
    if not viewer.may_edit(comment):
        return problem(
            ngettext(
                "Comments can only be edited for %(num)d minute after posting.",
                "Comments can only be edited for %(num)d minutes after posting.",
                viewer.settings.edit_window_minutes,
            ),
            403,
            post,
        )
    form = EditForm() if request.method == "POST" else None
    view = edit_form_view(comment, form)
    if form is None:
        return form_response(view, gettext("Edit your comment"), post, comment=comment)
    if not form.validate():
        return form_response(view, gettext("Edit your comment"), post, 422, comment=comment)
    if "preview" in request.form:
        return preview(view, gettext("Edit your comment"), post, comment=comment)
    edit_comment(comment, post, current_user, form.body.data)
    message = gettext("Your comment was updated.")
    if comment.status == CommentStatus.PENDING:
        message += " It is awaiting moderation."
    if wants_partial():
        number = position_of(comment, current_user) + 1 if comment.parent_id is None else None
        return partial(
            "comments/_comment.html",
            comment=comment,
            number=number,
            viewer=viewer_for(post),
            focus=True,
            announce=message,
        )
    return see_other(comment_url(comment, post, viewer.settings.comments_per_page), message)


@bp.post("/comments/<int:comment_id>/delete")
def delete(comment_id: int):
    """Delete a comment (yours, or any as an admin); one with replies leaves a placeholder."""
    comment, post = get_comment_or_404(comment_id)
    if not policy.is_signed_in(current_user):
        return sign_in_first()
    if not policy.may_delete(current_user, comment):
        return problem(gettext("You can only delete your own comments."), 403, post)
    page = page_of(comment, current_user, get_settings().comments_per_page)
    gone_parent = delete_comment(comment)
    if wants_partial():
        if comment in db.session and comment.status == CommentStatus.REMOVED:
            return answers.deleted(post, comment, None, viewer_for(post))
        return answers.deleted(post, None, gone_parent)
    return see_other(thread_url(post, page), gettext("The comment was deleted."))


@bp.route("/comments/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """Stop reply emails for one thread: the signed link in the email is the proof, no sign-in needed."""
    found = notify.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    form = EmptyForm()
    done = form.validate_on_submit()
    if done:
        notify.stop_replies(*found)
        db.session.commit()
    response = partial("comments/unsubscribe.html", form=form, done=done)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.errorhandler(429)
def too_many(_error):
    """Flask-Limiter's answer for guests, shown like our own flood message."""
    return problem(gettext("Too many comments from your address. Wait a minute and try again."), 429)
