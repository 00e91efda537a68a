"""Mail about comments: the blog's owner hears of new and held comments; members who ticked
"Email me replies" hear of replies in their thread and can stop with a signed one-click link."""

from flask import current_app
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select

from blog.extensions import db
from blog.jobs import enqueue, job
from blog.mail import send_mail
from blog.models import Comment, CommentStatus, Post, Role, User
from blog.site_settings import get_settings
from blog.web.hosts import link_root, url_for_path
from blog.web.i18n import in_blog_language

UNSUBSCRIBE_SALT = "comment-replies-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int, thread_id: int) -> str:
    """No expiry: an old email's link must still work."""
    return _serializer().dumps({"u": user_id, "t": thread_id})


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    try:
        data = _serializer().loads(token)
        return int(data["u"]), int(data["t"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def owner_addresses() -> list[str]:
    """The notification address in the settings, else every active admin."""
    if get_settings().notify_email:
        return [get_settings().notify_email]
    return list(db.session.scalars(select(User.email).where(User.role == Role.ADMIN, User.active)))


def comment_link(comment: Comment, root: str) -> str:
    return root + url_for_path("comments.show", comment_id=comment.id)


def comment_posted(comment: Comment, post: Post) -> None:
    """Tell the owner about a new comment, or one waiting for approval, and reply watchers about a
    reply: one job, whose mails the worker writes. Writing them here cost a comment post about 40% of
    its time (the profile in docs/BENCHMARKS.md), inside the request, for work nobody waits on."""
    root = link_root()
    if root is None:
        return
    enqueue(mail_about_comment, comment.id, root, comment.status == CommentStatus.PENDING)


@job(retries=3)
def mail_about_comment(comment_id: int, root: str, held: bool) -> None:
    """The mails comment_posted() stands for (held: as the comment was when it was posted)."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:  # deleted before the worker came to it: nothing to tell
        return
    post = db.session.get(Post, comment.post_id)
    with in_blog_language():
        subject = (
            gettext("Comment awaiting moderation on “%(title)s”", title=post.title)
            if held
            else gettext("New comment on “%(title)s”", title=post.title)
        )
        body = (
            gettext("%(name)s wrote on “%(title)s”:", name=comment.display_name, title=post.title)
            + f"\n\n{comment.body_source}\n\n"
            + (gettext("It is held for moderation.") + "\n" if held else "")
            + f"{comment_link(comment, root)}\n"
        )
    own = comment.author.email if comment.author is not None else None
    for address in owner_addresses():
        if address != own:
            send_mail(address, subject, body)
    if not held and comment.parent_id is not None:
        reply_published(comment, post, root)


def reply_published(reply: Comment, post: Post, root: str | None = None) -> None:
    """Mail everyone who asked to hear of replies in this thread (once each, never the replier).

    Call this too when a held reply is approved (root: where links start; else the request's)."""
    root = root or link_root()
    if root is None:
        return
    thread_id = reply.parent_id or reply.id
    watchers = db.session.scalars(
        select(User)
        .join(Comment, Comment.author_id == User.id)
        .where(
            or_(Comment.id == thread_id, Comment.parent_id == thread_id),
            Comment.notify_replies,
            Comment.status.in_([CommentStatus.PUBLISHED, CommentStatus.PENDING]),
            User.active,
            User.notify_replies,  # the account-wide choice on the profile page wins
        )
        .distinct()
    ).all()
    for user in watchers:
        if user.id == reply.author_id:
            continue
        stop = root + url_for_path("comments.unsubscribe", token=unsubscribe_token(user.id, thread_id))
        with in_blog_language():
            send_mail(
                user.email,
                gettext("New reply on “%(title)s”", title=post.title),
                gettext("%(name)s replied:", name=reply.display_name)
                + f"\n\n{reply.body_source}\n\n{comment_link(reply, root)}\n\n"
                + gettext(
                    "You get this because you asked for emails about replies. Stop them with one click:"
                )
                + f"\n{stop}\n",
            )


def stop_replies(user_id: int, thread_id: int) -> None:
    """Clear the "Email me replies" flag on the person's comments in that thread; the caller commits."""
    for comment in db.session.scalars(
        select(Comment).where(
            Comment.author_id == user_id, or_(Comment.id == thread_id, Comment.parent_id == thread_id)
        )
    ):
        comment.notify_replies = False
