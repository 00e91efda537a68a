"""A page of a thread rendered once per content version and shared by every viewer.

The comments of a page as every reader sees them (published ones, and the placeholders of removed
ones with replies) are the same for everyone; what differs is each comment's controls (Reply for
whoever may comment, Edit and Delete on one's own, Delete on all for admins). So the page of
comments is rendered once, with a marker where each comment's controls go, and kept in the page
cache's store under the content version; a viewer's page joins its pieces with the controls that
viewer gets: a Reply link rendered with the shared page, or, for their own comments (and for an
admin), the controls rendered for them. 200 comments are never rendered again for a viewer.

A viewer who sees comments others do not (their own held comments, an admin the whole queue) gets
the thread rendered for them alone, as before: rare, and always right. The server checks every
action again: a control left out here is never the authorization.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import select

from blog.comments.thread import Thread, load_thread
from blog.extensions import db
from blog.models import Comment, CommentStatus, Post
from blog.web.page_cache import cache


@dataclass(frozen=True)
class Slot:
    """What the controls of one comment depend on (policy.may_* read these attributes)."""

    id: int
    parent_id: int | None
    author_id: int | None
    status: str
    created_at: datetime


@dataclass
class SharedPage:
    thread: Thread  # its items are dropped: the pieces below hold them
    pieces: list[str]  # the rendered page of comments, cut where each slot's controls go
    slots: list[Slot]
    reply_controls: list[str]  # per slot, what a viewer who may comment (and owns none of them) gets


class ReplyOnly:
    """The viewer the shared Reply links are rendered for: may reply, edits and deletes nothing."""

    @staticmethod
    def may_reply(comment) -> bool:
        return comment.status == CommentStatus.PUBLISHED

    @staticmethod
    def may_edit(comment) -> bool:
        return False

    may_delete = may_edit


def sees_more_than_everyone(post: Post, viewer) -> bool:
    """Whether this viewer sees held comments on the post (their own; any, for an admin)."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    query = select(Comment.id).where(Comment.post_id == post.id, Comment.status == CommentStatus.PENDING)
    if not viewer.is_admin:
        query = query.where(Comment.author_id == viewer.id)
    return db.session.scalar(query.limit(1)) is not None


def shared_page(post: Post, page: int, per_page: int) -> SharedPage:
    """The page of the thread as everyone sees it, rendered once per content version."""
    version = current_app.extensions["content_versions"].current()
    # A private blog keeps nothing in the shared cache (it may be a Redis other things can read).
    if not current_app.config["PAGE_CACHE_ENABLED"] or version.private:
        return render_shared(post, page, per_page)
    key = f"thread:{version[0]}:{version[1]}:{post.id}:{page}:{per_page}"
    found = cache.get(key)
    if found is None:
        found = render_shared(post, page, per_page)
        cache.set(key, found)
    return found


def render_shared(post: Post, page: int, per_page: int) -> SharedPage:
    thread = load_thread(post, None, page, per_page)
    marker = f"<!--controls {secrets.token_hex(8)}-->"
    slots: list[Slot] = []

    def controls(comment: Comment) -> Markup:
        slots.append(
            Slot(comment.id, comment.parent_id, comment.author_id, comment.status, comment.created_at)
        )
        return Markup(marker)

    html = render_template("comments/_thread_items.html", thread=thread, actions=controls)
    pieces = html.split(marker)
    viewer = ReplyOnly()
    replies = [
        render_template("comments/_comment_actions.html", comment=slot, viewer=viewer) for slot in slots
    ]
    thread.items = []
    return SharedPage(thread, pieces, slots, replies)


def assemble(shared: SharedPage, viewer) -> Markup:
    """The shared page of comments with this viewer's controls in their places."""
    user = viewer.user
    me = user.id if getattr(user, "is_authenticated", False) else None
    admin = me is not None and user.is_admin
    allowed = viewer.permission.allowed
    out = [shared.pieces[0]]
    for slot, reply, piece in zip(shared.slots, shared.reply_controls, shared.pieces[1:], strict=True):
        if admin or (me is not None and slot.author_id == me):
            out.append(render_template("comments/_comment_actions.html", comment=slot, viewer=viewer))
        elif allowed:
            out.append(reply)
        out.append(piece)
    return Markup("".join(out))
