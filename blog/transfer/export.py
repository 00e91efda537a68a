"""`flask export`: the blog as records (the same ones the importers produce), written as Atom or JSON Lines.

Rows are read in chunks and let go once written, so exporting a large blog takes little memory.
An exported row's id is the origin it was imported from, else a Blogger-style id of this blog;
importing the file elsewhere and exporting again therefore gives the same ids, and importing it
back here finds every row it already has.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.orm import aliased

from blog.extensions import db
from blog.markup import JUMP_TARGET
from blog.models import BlogSettings, Comment, Label, Page, PathRedirect, Post, PostRedirect, PostStatus
from blog.transfer.common import CommentRecord, EntryRecord, LabelRecord, SettingsRecord, entry_id

CHUNK = 200
FORMATS = ("atom", "jsonl")


def format_for(path: Path, chosen: str | None) -> str:
    """--format wins; else .jsonl means JSON Lines and anything else (.atom, .xml) Atom."""
    if chosen:
        return chosen
    return "jsonl" if path.suffix.lower() == ".jsonl" else "atom"


def write(out: BinaryIO, fmt: str) -> dict[str, int]:
    """Write the whole blog to `out`; returns how many of each kind went out."""
    from blog.transfer import atom, jsonl

    counts: dict[str, int] = defaultdict(int)

    def counted() -> Iterator:
        for record in records():
            kind = record.kind if isinstance(record, EntryRecord) else type(record).__name__
            counts[{"CommentRecord": "comment", "LabelRecord": "label"}.get(kind, kind)] += 1
            yield record

    (jsonl.write if fmt == "jsonl" else atom.write)(out, counted(), last_change())
    return {k: v for k, v in counts.items() if k in ("post", "page", "comment", "label")}


def last_change() -> datetime | None:
    """The newest change anywhere in the content: the feed's <updated>, the same on every export."""
    times = [
        db.session.scalar(select(func.max(column)))
        for column in (Post.updated_at, Page.updated_at, Comment.created_at, Comment.edited_at)
    ]
    return max((t for t in times if t is not None), default=None)


def records() -> Iterator:
    yield settings_record()
    for name in db.session.scalars(select(Label.name).order_by(Label.name)):
        yield LabelRecord(name=name)
    paths = old_paths()
    yield from post_records(paths)
    yield from page_records(paths)
    yield from comment_records()


def settings_record() -> SettingsRecord:
    settings = db.session.get(BlogSettings, 1) or BlogSettings(title="My Blog", description="")
    return SettingsRecord(
        title=settings.title,
        description=settings.description or "",
        comment_policy=settings.comment_policy,
        language=settings.language,
        timezone=settings.timezone,
    )


def old_paths() -> dict[tuple[str, int], list[str]]:
    """Earlier URLs that redirect to a post or page (imported paths, renamed permalinks)."""
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    for path, post_id, page_id in db.session.execute(
        select(PathRedirect.path, PathRedirect.post_id, PathRedirect.page_id)
    ):
        found[("post", post_id) if post_id is not None else ("page", page_id)].append(path)
    for year, month, slug, post_id in db.session.execute(
        select(PostRedirect.year, PostRedirect.month, PostRedirect.slug, PostRedirect.post_id)
    ):
        found[("post", post_id)].append(f"/{year:04d}/{month:02d}/{slug}.html")
    return found


def chunked(query) -> Iterator:
    """Rows of a query a chunk at a time; each chunk leaves the session once handed out."""
    last = 0
    while True:
        rows = db.session.scalars(
            query.where(query.column_descriptions[0]["entity"].id > last).limit(CHUNK)
        ).all()
        if not rows:
            return
        for row in rows:
            yield row
            db.session.expunge(row)
        last = rows[-1].id


def post_records(paths) -> Iterator[EntryRecord]:
    for post in chunked(select(Post).order_by(Post.id)):
        html = (
            post.body_html.replace(JUMP_TARGET, "<!--more-->", 1)
            if post.excerpt_html is not None
            else post.body_html
        )
        yield EntryRecord(
            kind="post",
            origin=post.origin_id or entry_id("post", post.id),
            title=post.title,
            body=post.body_source,
            body_format=post.body_format,
            html=html,
            status=str(post.status),
            published_at=post.published_at,
            updated_at=post.updated_at,
            created_at=post.created_at,
            path=f"/{post.year:04d}/{post.month:02d}/{post.slug}.html" if post.has_permalink else None,
            slug=post.slug,
            old_paths=sorted(paths.get(("post", post.id), [])),
            labels=[label.name for label in post.labels],
            author_name=post.author.name if post.author else "",
            author_email=post.author.email if post.author else "",
            comments_allowed=post.comments_allowed,
            search_description=post.search_description,
        )


def page_records(paths) -> Iterator[EntryRecord]:
    for page in chunked(select(Page).order_by(Page.id)):
        yield EntryRecord(
            kind="page",
            origin=page.origin_id or entry_id("page", page.id),
            title=page.title,
            body=page.body_source,
            body_format=page.body_format,
            html=page.body_html,
            status=PostStatus.PUBLISHED if page.published else PostStatus.DRAFT,
            published_at=page.created_at,
            updated_at=page.updated_at,
            created_at=page.created_at,
            path=f"/p/{page.slug}.html",
            slug=page.slug,
            old_paths=sorted(paths.get(("page", page.id), [])),
            position=page.position,
            author_name=page.author.name if page.author else "",
            author_email=page.author.email if page.author else "",
        )


def comment_records() -> Iterator[CommentRecord]:
    """Comments post by post, each top-level comment before its replies."""
    parent = aliased(Comment)
    thread = func.coalesce(Comment.parent_id, Comment.id)
    is_reply = case((Comment.parent_id.is_(None), 0), else_=1)
    order = (Comment.post_id, thread, is_reply, Comment.id)
    last = (0, 0, 0, 0)
    while True:
        query = (
            select(Comment, Post.origin_id, parent.origin_id, *order)
            .join(Post, Post.id == Comment.post_id)
            .outerjoin(parent, parent.id == Comment.parent_id)
            .where(tuple_(*order) > tuple_(*last))
            .order_by(*order)
            .limit(CHUNK)
        )
        rows = db.session.execute(query).all()
        if not rows:
            return
        for row in rows:
            yield comment_record(row[0], row[1], row[2])
            db.session.expunge(row[0])
        last = tuple(rows[-1][3:])


def comment_record(comment: Comment, post_origin: str | None, parent_origin: str | None) -> CommentRecord:
    author = comment.author
    return CommentRecord(
        origin=comment.origin_id or entry_id("comment", comment.id),
        post_origin=post_origin or entry_id("post", comment.post_id),
        body=comment.body_html,
        parent_origin=(parent_origin or entry_id("comment", comment.parent_id))
        if comment.parent_id
        else None,
        source=comment.body_source,
        author_name=author.name if author else comment.author_name,
        author_email=author.email if author else "",
        status=str(comment.status),
        created_at=comment.created_at,
        edited_at=comment.edited_at,
    )
