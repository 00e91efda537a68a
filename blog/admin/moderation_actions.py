"""Moderating comments: who may touch which, the queue's queries, applying an action and undoing it.

Admins moderate every comment; an author moderates the comments on their own posts (that is the
comment section they answer for), and never anyone else's. Undo travels as a signed, short-lived
token holding the previous statuses: it restores only comments still in the state the action left."""

from dataclasses import dataclass, field

from flask import abort, after_this_request, current_app
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager

from blog.admin.audit_log import record
from blog.comments import states
from blog.comments.notify import reply_published
from blog.extensions import db
from blog.models import Comment, CommentStatus, Post

TABS = {
    CommentStatus.PENDING: lazy_gettext("Awaiting moderation"),
    CommentStatus.PUBLISHED: lazy_gettext("Published"),
    CommentStatus.SPAM: lazy_gettext("Spam"),
}
ACTIONS = {"approve": CommentStatus.PUBLISHED, "spam": CommentStatus.SPAM, "delete": CommentStatus.REMOVED}
MOVES = {"approve": states.Move.APPROVE, "spam": states.Move.SPAM, "delete": states.Move.REMOVE}
DONE = {
    "approve": lazy_gettext("Approved"),
    "spam": lazy_gettext("Marked as spam"),
    "delete": lazy_gettext("Deleted"),
}
ACTION_LABELS = {
    "approve": lazy_gettext("Approve"),
    "spam": lazy_gettext("Mark as spam"),
    "delete": lazy_gettext("Delete"),
}
EMPTY = {
    CommentStatus.PENDING: lazy_gettext("No comments are awaiting moderation."),
    CommentStatus.PUBLISHED: lazy_gettext("No published comments."),
    CommentStatus.SPAM: lazy_gettext("No comments marked as spam."),
}
UNDO_SECONDS = 10 * 60
PER_PAGE = 50


@dataclass
class PostGroup:
    post: Post
    comments: list[Comment] = field(default_factory=list)


def actions_for(status: str) -> list[str]:
    """The actions that make sense on a tab: nothing moves a comment to where it already is."""
    return [name for name, target in ACTIONS.items() if target != status]


def scoped(query: Select) -> Select:
    """Restrict a comment query (already joined to Post) to what the signed-in person may moderate."""
    if current_user.is_admin:
        return query
    return query.where(Post.author_id == current_user.id)


def queue_page(status: str, page: int):
    """One page of the tab's comments, newest first, with their posts loaded in the same query."""
    query = scoped(
        select(Comment)
        .join(Comment.post)
        .options(contains_eager(Comment.post))
        .where(Comment.status == status)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    )
    pagination = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False, count=True)
    if page > 1 and page > (pagination.pages or 1):
        pagination = db.paginate(query, page=pagination.pages or 1, per_page=PER_PAGE, error_out=False)
    return pagination


def group_by_post(comments: list[Comment]) -> list[PostGroup]:
    """Comments grouped under their post, posts in the order their newest comment comes."""
    groups: dict[int, PostGroup] = {}
    for comment in comments:
        groups.setdefault(comment.post_id, PostGroup(comment.post)).comments.append(comment)
    return list(groups.values())


def tab_counts() -> dict[str, int]:
    query = scoped(
        select(Comment.status, func.count())
        .join(Comment.post)
        .where(Comment.status.in_(list(TABS)))
        .group_by(Comment.status)
    )
    counts = dict.fromkeys(TABS, 0)
    counts.update({status: n for status, n in db.session.execute(query)})
    return counts


def comments_to_moderate(ids: list[int], missing_ok: bool = False) -> list[Comment]:
    """The comments with these ids; 404 if one does not exist (unless missing_ok), 403 if one is not
    the person's to moderate."""
    unique = sorted(set(ids))
    found = list(
        db.session.scalars(
            select(Comment)
            .join(Comment.post)
            .options(contains_eager(Comment.post))
            .where(Comment.id.in_(unique))
        )
    )
    if len(found) != len(unique) and not missing_ok:
        abort(404)
    if not current_user.is_admin and any(c.post.author_id != current_user.id for c in found):
        abort(403)
    return found


def apply(comments: list[Comment], action: str) -> str:
    """Give the comments the action's status, log it, and return the undo token (the caller commits).

    Raises states.MoveRefused, changing nothing, if one comment may not make the move."""
    status = ACTIONS[action]
    by = states.moderator_kind()
    states.check(comments, MOVES[action], dict.fromkeys([c.id for c in comments], status), by)
    previous = [[c.id, c.status] for c in comments]
    approved_replies = [
        c
        for c in comments
        if c.status == CommentStatus.PENDING and c.parent_id is not None and status == CommentStatus.PUBLISHED
    ]
    for comment in comments:
        states.make(comment, status, by)
    if approved_replies:
        tell_watchers_after_commit(approved_replies)
    target = comments[0] if len(comments) == 1 else None
    record(f"comment.{action}", target, ids=[c.id for c in comments], previous=dict(previous))
    return _serializer().dumps({"u": current_user.id, "s": str(status), "c": previous})


def tell_watchers_after_commit(replies: list[Comment]) -> None:
    """A held reply that is now published reaches the people who asked to hear of replies;
    the mail goes once the view has committed, never from inside the write transaction."""
    ids = [reply.id for reply in replies]

    @after_this_request
    def send(response):
        if response.status_code < 400:
            for reply in db.session.scalars(select(Comment).where(Comment.id.in_(ids))):
                reply_published(reply, reply.post)
        return response


def undo(token: str) -> int | None:
    """Put back the statuses an action changed; returns how many comments were restored, None if too late."""
    try:
        data = _serializer().loads(token, max_age=UNDO_SECONDS)
    except SignatureExpired:
        return None
    except BadSignature:
        abort(400)
    if data.get("u") != current_user.id:
        abort(403)
    previous = {int(cid): str(status) for cid, status in data.get("c", [])}
    if not previous:
        return 0
    # A comment deleted since (with its post), or moved on by someone else, is not restored.
    restored = [c for c in comments_to_moderate(list(previous), missing_ok=True) if c.status == data["s"]]
    if not restored:
        raise states.MoveRefused(gettext("Nothing to undo: these comments have changed since."))
    by = states.moderator_kind()
    states.check(restored, states.Move.RESTORE, previous, by)
    for comment in restored:
        states.make(comment, previous[comment.id], by)
    record(
        "comment.undo",
        restored[0] if len(restored) == 1 else None,
        ids=[c.id for c in restored],
        restored={c.id: c.status for c in restored},
    )
    return len(restored)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="comment-moderation-undo")
