"""The one table of moderation moves: from which status a comment may go where, and who may take it.

Approve, spam and remove come from the moderation queue; restore puts back the status a comment had
before the last move (Undo in the queue, or a ban lifted). A comment that an admin or a ban took off
the blog (spam or removed) comes back only through an admin; one its writer deleted (the text is
gone) comes back through nobody. Every other change of status (a new comment held, an edit that
trips a rule) happens on a published or pending comment and never brings anything back."""

from enum import StrEnum

from flask_babel import gettext, lazy_gettext
from flask_login import current_user

from blog.models import Comment, CommentStatus, HiddenBy

PUBLISHED, PENDING, SPAM, REMOVED = (
    CommentStatus.PUBLISHED,
    CommentStatus.PENDING,
    CommentStatus.SPAM,
    CommentStatus.REMOVED,
)


class Move(StrEnum):
    APPROVE = "approve"
    SPAM = "spam"
    REMOVE = "remove"
    RESTORE = "restore"


# move -> {status it starts from: statuses it may lead to}. Anything not listed is refused.
TRANSITIONS: dict[Move, dict[str, frozenset[str]]] = {
    Move.APPROVE: {PENDING: frozenset({PUBLISHED}), SPAM: frozenset({PUBLISHED})},
    Move.SPAM: {PENDING: frozenset({SPAM}), PUBLISHED: frozenset({SPAM})},
    Move.REMOVE: {PENDING: frozenset({REMOVED}), PUBLISHED: frozenset({REMOVED}), SPAM: frozenset({REMOVED})},
    Move.RESTORE: {
        PUBLISHED: frozenset({PENDING, SPAM}),  # an approval undone
        SPAM: frozenset({PENDING, PUBLISHED}),  # a spam mark undone
        REMOVED: frozenset({PENDING, PUBLISHED, SPAM}),  # a removal undone, or a ban lifted
    },
}
OFF_THE_BLOG = (SPAM, REMOVED)
DONE = {
    Move.APPROVE: lazy_gettext("approved"),
    Move.SPAM: lazy_gettext("marked as spam"),
    Move.REMOVE: lazy_gettext("removed"),
    Move.RESTORE: lazy_gettext("restored"),
}
STATUS_WORDS = {
    PUBLISHED: lazy_gettext("published"),
    PENDING: lazy_gettext("awaiting moderation"),
    SPAM: lazy_gettext("marked as spam"),
    REMOVED: lazy_gettext("removed"),
}
ADMIN_ONLY = lazy_gettext(
    "Only an admin can bring back or change a comment that an admin or a ban took off the blog."
)
WRITER_DELETED = lazy_gettext("Its writer deleted this comment, so it cannot be brought back.")


class MoveRefused(Exception):
    """A move the table or the rules do not allow: 409 for the state, 403 for the person."""

    def __init__(self, message: str, status_code: int = 409):
        super().__init__(message)
        self.message = str(message)  # a lazy_gettext constant, written out in the request's language
        self.status_code = status_code


def moderator_kind(user=None) -> HiddenBy:
    """Whether the person moderating is an admin or a post's author."""
    user = user or current_user
    return HiddenBy.ADMIN if user.is_admin else HiddenBy.MODERATOR


def refusal(comment: Comment, move: Move, target: str, by: HiddenBy) -> MoveRefused | None:
    """Why this move is not allowed (None if it is)."""
    current = comment.status
    if target not in TRANSITIONS[move].get(current, ()):
        if current == target:
            return MoveRefused(gettext("This comment is already %(state)s.", state=STATUS_WORDS[target]))
        return MoveRefused(
            gettext(
                "A comment that is %(state)s cannot be %(done)s.",
                state=STATUS_WORDS[current],
                done=DONE[move],
            )
        )
    # Leaving spam or removed, even for the other one, could launder an admin's decision.
    if current in OFF_THE_BLOG:
        if comment.hidden_by == HiddenBy.COMMENTER:
            return MoveRefused(WRITER_DELETED)
        if comment.hidden_by != HiddenBy.MODERATOR and by not in (HiddenBy.ADMIN, HiddenBy.BAN):
            return MoveRefused(ADMIN_ONLY, 403)
    return None


def check(comments: list[Comment], move: Move, targets: dict[int, str], by: HiddenBy) -> None:
    """Refuse the whole batch if one comment may not make the move (nothing changes half-way)."""
    for comment in comments:
        refused = refusal(comment, move, targets[comment.id], by)
        if refused is not None:
            raise refused


def make(comment: Comment, target: str, by: HiddenBy) -> None:
    """Set a status already checked (or set by the writer, a ban or the hold), remembering who hid it."""
    comment.status = target
    comment.hidden_by = by if target in OFF_THE_BLOG else None
