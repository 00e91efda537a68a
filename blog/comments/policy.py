"""Who may comment, whose comments are held for moderation, and who may change a comment.

Pure decisions: no queries, no requests. The views and templates both ask these functions,
so the page only offers what the server will accept.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext

from blog.markup import count_links
from blog.models import BlogSettings, Comment, CommentPolicy, CommentStatus, Moderation, Post

MEMBERS_ONLY = lazy_gettext("Note: Only a member of this blog may post a comment.")
SIGNED_IN_ONLY = lazy_gettext("Only signed-in users may post a comment.")
CONFIRM_EMAIL = lazy_gettext("Confirm your email address (follow the link we sent you) to post a comment.")
CLOSED = lazy_gettext("Comments are closed.")
GUESTS_HELD = lazy_gettext(
    "Anyone may comment here. Comments appear once the blog's owner has approved them."
)


@dataclass(frozen=True)
class Permission:
    allowed: bool
    notice: str = ""  # said instead of the form
    detail: str = ""  # a second line under the notice
    sign_in: bool = False  # offer a "Sign in" link
    guest: bool = False  # posting without an account: a name is required, the comment is held

    def __post_init__(self):
        # The notices are lazy_gettext strings: written out here, in the language of the request.
        object.__setattr__(self, "notice", str(self.notice))
        object.__setattr__(self, "detail", str(self.detail))


ALLOWED = Permission(True)


def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_admin(user) -> bool:
    return is_signed_in(user) and user.is_admin


def needs_confirmation(user) -> bool:
    """A self-signed-up reader whose email address is not confirmed yet."""
    return not user.is_confirmed


def permission(user, post: Post, settings: BlogSettings) -> Permission:
    """May this person comment on this post, and if not, what do we tell them?"""
    policy = settings.comment_policy
    if policy == CommentPolicy.NOBODY or not post.comments_allowed:
        return Permission(False, CLOSED)
    signed_in = is_signed_in(user)
    if policy == CommentPolicy.MEMBERS:
        if signed_in and user.is_member:
            return ALLOWED
        return Permission(False, MEMBERS_ONLY, sign_in=not signed_in)
    if policy == CommentPolicy.SIGNED_IN:
        if not signed_in:
            return Permission(False, SIGNED_IN_ONLY, sign_in=True)
        if needs_confirmation(user):
            return Permission(False, SIGNED_IN_ONLY, detail=CONFIRM_EMAIL)
        return ALLOWED
    if policy == CommentPolicy.ANYONE:
        return ALLOWED if signed_in else Permission(True, GUESTS_HELD, guest=True)
    return Permission(False, CLOSED)  # an unknown setting fails closed


def should_hold(user, post: Post, settings: BlogSettings, html: str, now: datetime) -> bool:
    """Hold a comment for moderation? Staff are trusted; guests are always held."""
    if not is_signed_in(user):
        return True
    if user.is_staff:
        return False
    if needs_confirmation(user) or settings.moderation == Moderation.ALWAYS:
        return True
    old = post.published_at is not None and post.published_at < now - timedelta(days=settings.moderation_days)
    if settings.moderation == Moderation.OLDER_THAN and old:
        return True
    return count_links(html) > settings.hold_links_over


def may_edit(user, comment: Comment, settings: BlogSettings, now: datetime) -> bool:
    """Only the author edits, and only within the edit window."""
    return (
        is_signed_in(user)
        and comment.author_id == user.id
        and comment.status in (CommentStatus.PUBLISHED, CommentStatus.PENDING)
        and now - comment.created_at <= timedelta(minutes=settings.edit_window_minutes)
    )


def may_delete(user, comment: Comment) -> bool:
    """The author deletes their own comment; admins may delete any."""
    if not is_signed_in(user) or comment.status == CommentStatus.REMOVED:
        return False
    return comment.author_id == user.id or user.is_admin


def may_see(user, comment: Comment) -> bool:
    """Published comments (and placeholders) are public; held ones only for their author and admins."""
    if comment.status in (CommentStatus.PUBLISHED, CommentStatus.REMOVED):
        return True
    if comment.status == CommentStatus.PENDING:
        return is_admin(user) or (is_signed_in(user) and comment.author_id == user.id)
    return is_admin(user)
