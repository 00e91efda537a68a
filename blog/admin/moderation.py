"""The comment moderation queue: tabs by status, grouped by post, with single and bulk actions and undo.

Every action works as a plain form post (Post/Redirect/Get; the notice and its Undo button wait in the
session for the next page) and, with htmx, in place: a single action removes its row, a bulk action or
an undo re-renders the queue; the notice and the tab counts ride along out of band."""

from flask import abort, redirect, request, session, url_for
from flask_babel import gettext, ngettext

from blog.admin import moderation_actions as mod
from blog.admin.blueprint import bp
from blog.comments.states import MoveRefused
from blog.extensions import db
from blog.models import CommentStatus
from blog.web.htmx import partial, wants_partial

NOTICE_KEY = "moderation_notice"


def chosen_status(source) -> CommentStatus:
    status = source.get("status", CommentStatus.PENDING)
    if status not in mod.TABS:
        abort(404)
    return CommentStatus(status)


def chosen_page(source) -> int:
    raw = source.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        abort(404)
    return int(raw)


def queue_context(status: str, page: int) -> dict:
    pagination = mod.queue_page(status, page)
    return {
        "status": status,
        "tabs": mod.TABS,
        "counts": mod.tab_counts(),
        "pagination": pagination,
        "groups": mod.group_by_post(list(pagination.items)),
        "actions": mod.actions_for(status),
        "page": pagination.page,
        "action_labels": mod.ACTION_LABELS,
        "empty_text": mod.EMPTY,
    }


@bp.get("/comments")
def comments():
    """The moderation queue for one tab (Awaiting moderation, Published or Spam)."""
    context = queue_context(chosen_status(request.args), chosen_page(request.args))
    if wants_partial():
        return partial("admin/_mod_queue.html", **context)
    return partial("admin/comments.html", notice=session.pop(NOTICE_KEY, None), **context)


@bp.post("/comments/<int:comment_id>/<any(approve, spam, delete):action>")
def moderate_comment(comment_id: int, action: str):
    """Approve, mark as spam or delete one comment."""
    return apply_and_answer(mod.comments_to_moderate([comment_id]), action, whole_queue=False)


@bp.post("/comments/bulk")
def bulk_moderate():
    """Apply one action to every ticked comment."""
    action = request.form.get("action", "")
    ids = [int(v) for v in request.form.getlist("ids") if v.isdigit()]
    if action not in mod.ACTIONS or not ids:
        return answer(
            gettext("Choose an action and tick at least one comment."), None, whole_queue=True, code=422
        )
    return apply_and_answer(mod.comments_to_moderate(ids), action, whole_queue=True)


def apply_and_answer(comments: list, action: str, whole_queue: bool):
    """Move the comments and say so; a refused move is answered with its reason and the whole queue."""
    try:
        token = mod.apply(comments, action)
    except MoveRefused as refused:
        return answer(refused.message, None, whole_queue=True, code=refused.status_code)
    db.session.commit()
    return answer(
        gettext("%(done)s %(comments)s.", done=mod.DONE[action], comments=plural(len(comments))),
        token,
        whole_queue=whole_queue,
    )


@bp.post("/comments/undo")
def undo_moderation():
    """Give the comments of the last action their previous status back."""
    try:
        restored = mod.undo(request.form.get("token", ""))
    except MoveRefused as refused:
        return answer(refused.message, None, whole_queue=True, code=refused.status_code)
    if restored is None:
        return answer(gettext("Too late to undo that."), None, whole_queue=True, code=422)
    db.session.commit()
    return answer(
        gettext("Undone: %(comments)s restored.", comments=plural(restored)), None, whole_queue=True
    )


def plural(n: int) -> str:
    return ngettext("%(num)d comment", "%(num)d comments", n)


def answer(message: str, token: str | None, whole_queue: bool, code: int = 200):
    """For htmx, the row gone or the queue re-rendered, with notice and counts; else a redirect."""
    status, page = chosen_status(request.form), chosen_page(request.form)
    notice = {"message": message, "token": token, "error": code >= 400}
    if not wants_partial() and code >= 400:
        # A refusal is answered with its status and the queue, not a redirect that would hide it.
        return partial("admin/comments.html", code, notice=notice, **queue_context(status, page))
    if not wants_partial():
        session[NOTICE_KEY] = notice
        return redirect(url_for("admin.comments", status=status, page=page if page > 1 else None))
    if whole_queue:
        return partial("admin/_mod_after_bulk.html", code, notice=notice, **queue_context(status, page))
    return partial(
        "admin/_mod_after_single.html",
        code,
        notice=notice,
        status=status,
        page=page,
        tabs=mod.TABS,
        counts=mod.tab_counts(),
    )
