"""Writing imported comments in batches and threading them, one level deep as on Blogger.

A batch of comments costs a few queries whatever its size: one for the posts it names, one for
the comments already stored that it names (itself, for re-imports; its parents, for replies),
then the inserts. A reply to a reply joins its top-level ancestor; a reply that comes before its
parent in the file is linked at the end. Between batches only ids stay, in bounded caches, so
memory stays flat however large the file.
"""

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update

from blog.extensions import db
from blog.markup import html_to_text, sanitize_comment_html
from blog.models import Comment, CommentStatus, Post
from blog.transfer.common import CommentRecord, Summary, clip, origin_key, own_row_id

BATCH = 500
# Ids remembered between batches: enough for a post's whole thread, small enough to keep memory flat
# (a parent that fell out is found again with one indexed query).
POST_CACHE = 2_000
COMMENT_CACHE = 5_000
COMMENT_STATUSES = frozenset(CommentStatus)  # a plain string from a file is found in it too


class Bounded(OrderedDict):
    """A dict that forgets its oldest entries past a size: a cache, never the only copy."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        if len(self) > self.size:
            self.popitem(last=False)


class Threads:
    def __init__(self, summary: Summary, user_id: Callable[[str], int | None], now: datetime):
        self.summary = summary
        self.user_id = user_id
        self.now = now
        self.posts = Bounded(POST_CACHE)  # origin -> post id (None: not imported)
        self.comments = Bounded(COMMENT_CACHE)  # origin -> (id, top-level id, post id)
        self.batch: list[CommentRecord] = []
        self.unlinked: list[tuple[int, str, int]] = []  # (reply id, parent origin, post id)

    def add(self, record: CommentRecord) -> None:
        self.batch.append(record)
        if len(self.batch) >= BATCH:
            self.flush_comments()

    def finish(self) -> None:
        self.flush_comments()
        self.link_late_replies()

    def post_ids(self, origins: set[str]) -> dict[str, int | None]:
        """Post ids for the origins a batch of comments names: from the cache, else one query."""
        missing = [o for o in origins if o not in self.posts]
        if missing:
            for pid, origin in db.session.execute(
                select(Post.id, Post.origin_id).where(Post.origin_id.in_(missing))
            ):
                self.posts[origin] = pid
        own = {own_row_id("post", o): o for o in missing if o not in self.posts and own_row_id("post", o)}
        if own:
            query = select(Post.id).where(Post.id.in_(list(own)), Post.origin_id.is_(None))
            for (pid,) in db.session.execute(query):
                self.posts[own[pid]] = pid
        return {o: self.posts.get(o) for o in origins}

    def known_comments(self, origins: list[str]) -> None:
        """Put comments already stored (earlier imports, earlier batches) into the cache."""
        missing = [o for o in origins if o not in self.comments]
        if not missing:
            return
        rows = db.session.execute(
            select(Comment.origin_id, Comment.id, Comment.parent_id, Comment.post_id).where(
                Comment.origin_id.in_(missing)
            )
        )
        for origin, cid, parent_id, post_id in rows:
            self.comments[origin] = (cid, parent_id or cid, post_id)
        own = {
            own_row_id("comment", o): o
            for o in missing
            if o not in self.comments and own_row_id("comment", o)
        }
        if own:
            rows = db.session.execute(
                select(Comment.id, Comment.parent_id, Comment.post_id).where(
                    Comment.id.in_(list(own)), Comment.origin_id.is_(None)
                )
            )
            for cid, parent_id, post_id in rows:
                self.comments[own[cid]] = (cid, parent_id or cid, post_id)

    def flush_comments(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        origins = [origin_key(r.origin) for r in batch]
        posts = self.post_ids({origin_key(r.post_origin) for r in batch})
        self.known_comments(origins + [origin_key(r.parent_origin) for r in batch if r.parent_origin])
        made: list[tuple[CommentRecord, str, Comment]] = []
        seen: set[str] = set()
        for rec, origin in zip(batch, origins, strict=True):
            post_id = posts.get(origin_key(rec.post_origin))
            if origin in self.comments or origin in seen:
                self.summary.skip("comment already imported")
            elif not rec.origin:
                self.summary.skip("comment without an id")
            elif post_id is None:
                self.summary.skip("comment on a post that was not imported")
            else:
                seen.add(origin)
                made.append((rec, origin, self.new_comment(rec, origin, post_id)))
        db.session.flush()
        for rec, origin, comment in made:
            self.link_reply(rec, comment)
            self.comments[origin] = (comment.id, comment.parent_id or comment.id, comment.post_id)
        self.summary.comments += len(made)
        db.session.flush()
        for _rec, _origin, comment in made:
            db.session.expunge(comment)

    def new_comment(self, rec: CommentRecord, origin: str, post_id: int) -> Comment:
        body_html = sanitize_comment_html(rec.body)
        comment = Comment(
            post_id=post_id,
            author_id=self.user_id(rec.author_email),
            author_name=clip(rec.author_name, 80),
            body_source=rec.source if rec.source is not None else html_to_text(body_html),
            body_html=body_html,
            status=CommentStatus(rec.status) if rec.status in COMMENT_STATUSES else CommentStatus.PUBLISHED,
            created_at=rec.created_at or self.now,
            edited_at=rec.edited_at,
            origin_id=origin,
        )
        db.session.add(comment)
        return comment

    def link_reply(self, rec: CommentRecord, comment: Comment) -> None:
        """Thread a reply under its parent's top-level comment (one level, as on Blogger)."""
        if not rec.parent_origin:
            return
        parent = self.comments.get(origin_key(rec.parent_origin))
        if parent is None:
            # The parent may come later in the file: link it at the end.
            self.unlinked.append((comment.id, origin_key(rec.parent_origin), comment.post_id))
        elif parent[2] != comment.post_id:
            self.summary.note("reply to a comment on another post, kept as a top-level comment")
        elif parent[1] != comment.id:
            comment.parent_id = parent[1]

    def link_late_replies(self) -> None:
        for reply_id, parent_origin, post_id in self.unlinked:
            self.known_comments([parent_origin])
            parent = self.comments.get(parent_origin)
            if parent is None or parent[2] != post_id:
                self.summary.note("reply to a comment not in the file, kept as a top-level comment")
                continue
            row = db.session.execute(
                select(Comment.id, Comment.parent_id).where(Comment.id == parent[0])
            ).one()
            top = row.parent_id or row.id
            if top == reply_id:
                continue
            db.session.execute(update(Comment).where(Comment.id == reply_id).values(parent_id=top))
            # Replies already threaded under this one move up with it.
            db.session.execute(update(Comment).where(Comment.parent_id == reply_id).values(parent_id=top))
