"""The answers comment views give: a fragment for htmx, a page or a redirect (303) without it."""

import re

from flask import Response, current_app, flash, redirect, request
from flask_babel import gettext
from flask_login import current_user

from blog.comments.section import FormView, Section, thread_url
from blog.comments.thread import page_of
from blog.models import Comment, CommentPolicy, Post
from blog.site_settings import get_settings
from blog.web.htmx import is_htmx, partial, vary_on_htmx, wants_partial

# Forms a message may be shown in: an id the htmx request names (HX-Trigger) must look like one of ours.
FORM_ID = re.compile(r"^(comment-form|reply-form-\d+|edit-form-\d+)$")


def section_response(section: Section, status: int = 200) -> Response:
    return partial("comments/_section.html", status, section=section)


def page_response(title: str, post: Post, status: int = 200, **context) -> Response:
    """The no-JS page for a form (reply, edit, a rejected comment, a preview); never cached."""
    if "view" in context:
        context["view"].inline = False
    response = partial("comments/compose.html", status, title=title, post=post, **context)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def form_response(view: FormView, title: str, post: Post, status: int = 200, **context) -> Response:
    """A form with its errors or preview: the partial in place for htmx, else a page of its own."""
    if wants_partial():
        response = partial("comments/_form.html", status, view=view, post=post, autofocus=status == 200)
        if status in (409, 422) and view.kind != "edit":
            # The form posts to the whole section; an invalid one only replaces itself.
            response.headers["HX-Retarget"] = f"#{view.id}"
            response.headers["HX-Reswap"] = "outerHTML"
        response.headers["Cache-Control"] = "private, no-store"
        return response
    return page_response(title, post, status, view=view, **context)


def comment_url(comment: Comment, post: Post, per_page: int) -> str:
    """The permalink of the page that shows this comment, with #c<id>."""
    return thread_url(post, page_of(comment, current_user, per_page), f"c{comment.id}")


def see_other(url: str, message: str | None = None) -> Response:
    if message:
        flash(str(message))
    return vary_on_htmx(redirect(url, 303))


def problem(message: str, status: int, post: Post | None = None, headers: dict | None = None) -> Response:
    """Say what went wrong: next to the form that asked (htmx), or on a small page."""
    if wants_partial():
        trigger = request.headers.get("HX-Trigger", "")
        target = f"{trigger}-message" if FORM_ID.match(trigger) else "comments-status"
        response = partial("comments/_message.html", status, message_id=target, message=message)
        response.headers["HX-Retarget"] = f"#{target}"
        response.headers["HX-Reswap"] = "outerHTML"
    else:
        response = partial("comments/problem.html", status, message=message, post=post)
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "private, no-store"
    return response


def sign_in_first() -> Response:
    """Send a signed-out person to sign in and back (Flask-Login's handler: htmx gets HX-Redirect
    instead of a sign-in page swapped into the comment box)."""
    return vary_on_htmx(current_app.login_manager.unauthorized())


def csrf_failed(_error) -> Response:
    """An expired or missing CSRF token: sign in again if the session is gone, else say to reload."""
    signed_out = not current_user.is_authenticated
    if signed_out and is_htmx() and get_settings().comment_policy != CommentPolicy.ANYONE:
        return sign_in_first()
    return problem(
        gettext(
            "This page has expired (its security token is missing or out of date). "
            "Copy your text, reload the page and try again."
        ),
        400,
    )
