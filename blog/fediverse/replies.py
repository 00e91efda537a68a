"""Replies from the fediverse: a Note whose inReplyTo is one of our posts becomes a comment held
for moderation, whatever the comment policy (its author is not a member), sanitized like any
comment, shown under the remote author's name with a link to their profile and to the original.
A Delete by the same actor removes it here too."""

from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from blog.comments.notify import comment_posted
from blog.db import insert_missing
from blog.extensions import db
from blog.fediverse import urls
from blog.markup import html_to_text, sanitize_comment_html
from blog.models import Comment, CommentStatus, Post, RemoteActor, utcnow
from blog.models.post import visible_posts

ORIGIN = "ap:"  # comments.origin_id of a fediverse reply: "ap:" + the Note's id


def post_for(uri: str | None) -> Post | None:
    """The visible post whose id (its permalink) is uri, or None."""
    root = urls.base()
    if not uri or root is None or not uri.startswith(root + "/"):
        return None
    adapter = current_app.url_map.bind(urlsplit(root).netloc)
    try:
        endpoint, args = adapter.match(urlsplit(uri).path, method="GET")
    except HTTPException:
        return None
    if endpoint != "reading.post":
        return None
    return db.session.scalar(
        visible_posts().where(
            Post.year == args["year"], Post.month == args["month"], Post.slug == args["slug"]
        )
    )


def same_server(note_id: str, sender: RemoteActor) -> bool:
    return urlsplit(note_id).netloc.lower() == sender.host


def link(value) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | dict)), None)
    if isinstance(value, dict):
        value = value.get("href")
    return value[:500] if isinstance(value, str) and urlsplit(value).scheme in ("http", "https") else None


def receive_reply(note: dict, sender: RemoteActor) -> None:
    note_id = note.get("id")
    attributed = note.get("attributedTo")
    if isinstance(attributed, dict):
        attributed = attributed.get("id")
    if not isinstance(note_id, str) or attributed != sender.uri or not same_server(note_id, sender):
        return  # a Note we cannot pin on its sender
    in_reply_to = note.get("inReplyTo")
    post = post_for(in_reply_to if isinstance(in_reply_to, str) else None)
    if post is None or not post.comments_allowed:
        return
    html = sanitize_comment_html(note.get("content") if isinstance(note.get("content"), str) else "")
    if not html_to_text(html).strip():
        return
    stored = db.session.scalar(
        insert_missing(
            Comment.__table__,
            post_id=post.id,
            author_name=sender.display_name[:80],
            body_source=html_to_text(html),
            body_html=html,
            status=CommentStatus.PENDING.value,
            created_at=utcnow(),
            origin_id=(ORIGIN + note_id)[:255],
            remote_url=link(note.get("url")) or note_id[:500],
            remote_profile_url=sender.profile_url or sender.uri,
            remote_avatar_url=sender.icon_url if (sender.icon_url or "").startswith("https://") else None,
        ).returning(Comment.id)
    )
    if stored is not None:  # new (a repeat of the same Note stores nothing): tell the owner it waits
        comment_posted(db.session.get(Comment, stored), post)


def delete_reply(note_id: str, sender: RemoteActor) -> None:
    if not same_server(note_id, sender):
        return
    comment = db.session.scalar(select(Comment).where(Comment.origin_id == (ORIGIN + note_id)[:255]))
    # Only its author removes it (another account on the same server may not).
    if comment is not None and comment.remote_profile_url in (sender.profile_url, sender.uri):
        db.session.delete(comment)
