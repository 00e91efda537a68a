"""Writing imported records into the database, inside the caller's one transaction.

Every row remembers where it came from (origin_id), so importing the same file again finds it
and adds nothing. Posts keep the path they had; a path another post already holds is skipped, not
taken. Comments go in batches (a few queries per batch, whatever the file size); a reply to a
reply joins its top-level ancestor, and a reply that comes before its parent in the file is
linked once the parent is in. Only ids are remembered between batches, in bounded caches, so
memory stays flat however large the file.
"""

import re
from collections import OrderedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slugify import slugify
from sqlalchemy import insert, select, update

from .. import dates
from ..extensions import db
from ..markup import HTML_JUMP_BREAK, html_to_text, sanitize_comment_html, sanitize_post_html
from ..models import (
    BlogSettings,
    Comment,
    CommentStatus,
    Label,
    Page,
    PathRedirect,
    Post,
    PostStatus,
    User,
    post_labels,
    utcnow,
)
from ..publishing import set_body, unique_slug
from .common import (
    COMMENT_POLICIES,
    PAGE_PATH,
    POST_PATH,
    CommentRecord,
    EntryRecord,
    LabelRecord,
    SettingsRecord,
    Skipped,
    Summary,
    clip,
    origin_key,
    own_row_id,
)
from .paths import normalize

BATCH = 500
# Ids remembered between batches: enough for a post's whole thread, small enough to keep memory flat
# (a reply whose parent fell out is found with one indexed query).
POST_CACHE = 2_000
COMMENT_CACHE = 5_000
COMMENT_STATUSES = {status.value for status in CommentStatus}
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


class Bounded(OrderedDict):
    """A dict that forgets its oldest entries past a size: a cache, never the only copy."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        if len(self) > self.size:
            self.popitem(last=False)


def html_source(body: str) -> str:
    """An imported HTML body as stored: sanitized, with its jump break kept as <!--more-->."""
    return "<!--more-->".join(sanitize_post_html(part) for part in HTML_JUMP_BREAK.split(body, maxsplit=1))


class Store:
    def __init__(self, summary: Summary, default_author_id: int | None = None):
        self.summary = summary
        self.default_author_id = default_author_id
        self.zone = dates.blog_zone()
        self.now = utcnow()
        self.users = {email.lower(): uid for uid, email in db.session.execute(select(User.id, User.email))}
        self.labels = {name: lid for lid, name in db.session.execute(select(Label.id, Label.name))}
        self.posts = Bounded(POST_CACHE)  # origin -> post id (None: not imported)
        self.comments = Bounded(COMMENT_CACHE)  # origin -> (id, top-level id, post id)
        self.batch: list[CommentRecord] = []
        self.unlinked: list[tuple[int, str, int]] = []  # (reply id, parent origin, post id)
        self.settings_record: SettingsRecord | None = None

    def handle(self, record) -> None:
        if isinstance(record, EntryRecord):
            self.post(record) if record.kind == "post" else self.page(record)
        elif isinstance(record, CommentRecord):
            self.batch.append(record)
            if len(self.batch) >= BATCH:
                self.flush_comments()
        elif isinstance(record, LabelRecord):
            if record.name:
                self.label_id(record.name)
        elif isinstance(record, SettingsRecord):
            self.settings_record = record
        elif isinstance(record, Skipped):
            self.summary.skip(record.reason)

    def finish(self) -> None:
        self.flush_comments()
        self.link_late_replies()
        if self.settings_record is not None:
            self.apply_settings(self.settings_record)
        db.session.flush()

    # --- people and labels -------------------------------------------------------------

    def user_id(self, email: str) -> int | None:
        return self.users.get(email.strip().lower()) if email else None

    def label_id(self, name: str) -> int:
        if name not in self.labels:
            label = Label(name=name)
            db.session.add(label)
            db.session.flush()
            self.labels[name] = label.id
            self.summary.labels += 1
        return self.labels[name]

    def attach_labels(self, post_id: int, names: list[str]) -> None:
        wanted = list(dict.fromkeys(clip(n, 100) for n in names if n.strip()))
        if wanted:
            db.session.execute(
                insert(post_labels), [{"post_id": post_id, "label_id": self.label_id(n)} for n in wanted]
            )

    def add_redirects(self, paths: list[str], new_path: str, post_id=None, page_id=None) -> None:
        for old in paths:
            key = normalize(old)
            if (
                key is None
                or key == new_path
                or db.session.scalar(select(PathRedirect.id).where(PathRedirect.path == key)) is not None
            ):
                continue
            moved = PathRedirect(path=key, post_id=post_id, page_id=page_id)
            db.session.add(moved)
            db.session.flush()
            db.session.expunge(moved)
            self.summary.redirects += 1

    # --- posts and pages -----------------------------------------------------------------

    def existing(self, model, kind: str, origin: str) -> int | None:
        """The row this entry was imported as before, or the row of this blog it was exported from.
        (A row that came in by import always has its origin; only the blog's own rows have none.)"""
        found = db.session.scalar(select(model.id).where(model.origin_id == origin))
        own = own_row_id(kind, origin)
        if found is None and own is not None:
            found = db.session.scalar(select(model.id).where(model.id == own, model.origin_id.is_(None)))
        return found

    def post(self, rec: EntryRecord) -> None:
        origin = origin_key(rec.origin)
        found = self.existing(Post, "post", origin)
        if found is not None:
            self.posts[origin] = found
            self.summary.skip("post already imported")
            return
        status, published_at = self.timing(rec)
        old_paths = list(rec.old_paths)
        kept = POST_PATH.match(rec.path or "")
        if rec.path and not kept:
            old_paths.append(rec.path)
        year = month = None
        if kept:
            year, month, slug = int(kept.group(1)), int(kept.group(2)), kept.group(3)
            taken = select(Post.id).where(Post.year == year, Post.month == month, Post.slug == slug)
            if db.session.scalar(taken) is not None:
                self.posts[origin] = None
                self.summary.skip(f"post whose URL {rec.path} another post here already has")
                return
        elif status != PostStatus.DRAFT:
            if rec.month:
                year, month = rec.month
            else:
                moment = dates.to_local(published_at, self.zone)
                year, month = moment.year, moment.month
            slug = unique_slug(rec.slug or rec.title, year, month)
        else:
            # A draft's slug is only a wish until it is published; our own exports carry it as it was.
            slug = rec.slug if rec.slug is not None else slugify(rec.title, max_length=80, word_boundary=True)
        post = Post(
            title=clip(rec.title, 300),
            slug=slug[:200],
            year=year,
            month=month,
            status=status,
            published_at=published_at,
            created_at=rec.created_at or rec.published_at or self.now,
            updated_at=rec.updated_at or rec.published_at or self.now,
            author_id=self.user_id(rec.author_email) or self.default_author_id,
            comments_allowed=rec.comments_allowed,
            search_description=clip(rec.search_description, 300),
            body_format=body_format(rec),
            origin_id=origin,
        )
        set_body(post, html_source(rec.body) if post.body_format == "html" else rec.body)
        db.session.add(post)
        db.session.flush()
        self.attach_labels(post.id, rec.labels)
        if year is not None:
            self.add_redirects(old_paths, f"/{year:04d}/{month:02d}/{post.slug}.html", post_id=post.id)
        self.posts[origin] = post.id
        self.summary.posts += 1
        db.session.expunge(post)  # written already: letting go keeps memory flat

    def timing(self, rec: EntryRecord) -> tuple[str, object]:
        """The post's status and publish time: a live post dated in the future is scheduled."""
        if rec.status == "draft":
            return PostStatus.DRAFT, rec.published_at if rec.path else None
        published_at = rec.published_at or rec.updated_at or rec.created_at or self.now
        if rec.status == "scheduled" or published_at > self.now:
            return PostStatus.SCHEDULED, published_at
        return PostStatus.PUBLISHED, published_at

    def page(self, rec: EntryRecord) -> None:
        origin = origin_key(rec.origin)
        if self.existing(Page, "page", origin) is not None:
            self.summary.skip("page already imported")
            return
        kept = PAGE_PATH.match(rec.path or "")
        old_paths = list(rec.old_paths) + ([rec.path] if rec.path and not kept else [])
        if kept:
            slug = kept.group(1)
            if db.session.scalar(select(Page.id).where(Page.slug == slug)) is not None:
                self.summary.skip(f"page whose URL {rec.path} another page here already has")
                return
        else:
            slug = self.free_page_slug(
                slugify(rec.slug or rec.title, max_length=80, word_boundary=True) or "page"
            )
        page = Page(
            title=clip(rec.title, 200),
            slug=slug[:200],
            published=rec.status != "draft",
            position=rec.position,
            author_id=self.user_id(rec.author_email) or self.default_author_id,
            created_at=rec.created_at or rec.published_at or self.now,
            updated_at=rec.updated_at or rec.published_at or self.now,
            body_format=body_format(rec),
            origin_id=origin,
        )
        set_body(page, html_source(rec.body) if page.body_format == "html" else rec.body)
        db.session.add(page)
        db.session.flush()
        self.add_redirects(old_paths, f"/p/{page.slug}.html", page_id=page.id)
        self.summary.pages += 1
        db.session.expunge(page)

    def free_page_slug(self, base: str) -> str:
        slug, n = base, 1
        while db.session.scalar(select(Page.id).where(Page.slug == slug)) is not None:
            n += 1
            slug = f"{base}-{n}"
        return slug

    # --- comments ------------------------------------------------------------------------

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
        for rec, origin in zip(batch, origins):
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
            status=rec.status if rec.status in COMMENT_STATUSES else CommentStatus.PUBLISHED,
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

    # --- settings --------------------------------------------------------------------------

    def apply_settings(self, rec: SettingsRecord) -> None:
        settings = db.session.get(BlogSettings, 1)
        if settings is None:
            settings = BlogSettings(id=1)
            db.session.add(settings)
        taken = self.summary.settings
        if rec.title:
            settings.title = clip(rec.title, 200)
            taken.append("title")
        if rec.description is not None and (rec.description or rec.title):
            settings.description = rec.description.strip()
            taken.append("description")
        if rec.comment_policy in COMMENT_POLICIES:
            settings.comment_policy = rec.comment_policy
            taken.append("comment policy")
        if rec.language and LANGUAGE.match(rec.language):
            settings.language = rec.language[:16]
            taken.append("language")
        if rec.timezone and valid_zone(rec.timezone):
            settings.timezone = rec.timezone
            taken.append("timezone")


def body_format(rec: EntryRecord) -> str:
    return "markdown" if rec.body_format == "markdown" else "html"


def valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
