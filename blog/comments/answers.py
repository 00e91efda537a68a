"""The htmx answers to a new comment, a reply and a delete: the one comment they change, where it
belongs, plus out-of-band updates (the count heading, a fresh form, the status line).

Re-rendering the whole section (up to 200 comments) for every post made each answer tens of KB and
tens of milliseconds; these answers stay under 2 KB whatever the thread's length. Without
JavaScript the views still answer with a redirect (see views.py)."""

from flask import Response, request
from flask_babel import gettext
from flask_login import current_user

from blog.comments.section import Viewer, comment_form_view, thread_url, viewer_for
from blog.comments.thread import has_shown_replies, position_of, published_count
from blog.models import Comment, Post
from blog.web.htmx import partial


def posted(post: Post, comment: Comment, message: str, per_page: int) -> Response:
    """A new top-level comment appended to the list, or a reply to its thread's replies."""
    viewer = viewer_for(post)
    # The new comment takes the focus and says the message through the page's live region (site.js).
    context = {"post": post, "comment": comment, "viewer": viewer, "message": message, "focus": True}
    context["announce"] = message
    context["count"] = published_count(post)
    if comment.parent_id is not None:
        return _reply(comment, context)
    position = position_of(comment, current_user)
    page = position // max(1, per_page) + 1
    shown = request.form.get("shown_page", "")
    if shown.isascii() and shown.isdigit() and int(shown) < page:
        # The page the reader looks at does not reach the thread's end: appending the comment
        # there would put it out of order (and twice once "Load more" brings its page).
        context["link"] = thread_url(post, page, f"c{comment.id}")
        response = _answer(placement="elsewhere", **context)
        response.headers["HX-Reswap"] = "none"
        return response
    context["number"] = position + 1
    context["form_view"] = comment_form_view(post)
    return _answer(placement="thread", **context)


def _reply(comment: Comment, context: dict) -> Response:
    top_id = comment.parent_id
    if has_shown_replies(top_id, current_user, but=comment.id):
        # The thread has a list of replies already: add to it, and close the reply form.
        response = _answer(placement="reply", top_id=top_id, number=None, **context)
        response.headers["HX-Retarget"] = f"#r{top_id}"
        response.headers["HX-Reswap"] = "beforeend"
        return response
    return _answer(placement="first-reply", top_id=top_id, number=None, **context)


def deleted(post: Post, comment: Comment | None, gone_id: int, viewer: Viewer | None = None) -> Response:
    """The placeholder left by a comment with replies, or nothing where a deleted comment was.

    gone_id names the element to remove: the comment's own (its <li>), or its parent thread's when
    the parent was a placeholder that had no other reply left."""
    context = {"post": post, "count": published_count(post), "message": gettext("Comment deleted.")}
    if comment is not None:
        number = position_of(comment, current_user) + 1
        return _answer(placement="placeholder", comment=comment, number=number, viewer=viewer, **context)
    response = _answer(placement="gone", **context)
    response.headers["HX-Retarget"] = "closest li" if gone_id is None else f"#t{gone_id}"
    return response


def _answer(**context) -> Response:
    response = partial("comments/_answer.html", **context)
    response.headers["Cache-Control"] = "private, no-store"
    return response
