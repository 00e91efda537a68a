"""Writing imported records into the database, inside the caller's one transaction.

Every row remembers where it came from (origin_id), so importing the same file again finds it
and adds nothing. Posts keep the path they had; a path another post already holds is skipped, not
taken. Comments are written by threads.py, settings by settings.py.
"""

from sqlalchemy import insert, select

from blog.extensions import db
from blog.markup import sanitize_post_html, split_at_html_jump_break
from blog.models import BodyFormat, Label, Page, PathRedirect, Post, PostStatus, User, post_labels, utcnow
from blog.publishing import free_slug, page_slug_taken, set_body, slug_of, unique_slug
from blog.transfer.common import (
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
from blog.transfer.paths import normalize
from blog.transfer.settings import apply_settings
from blog.transfer.threads import Threads
from blog.web import dates

# The editor takes 200,000 characters of Markdown (admin/forms.py MAX_BODY); imported HTML is wordier
# (Blogger writes inline styles), so an imported body may be five times that. A longer one is skipped
# and named in the summary, rather than failing the whole import or storing a page nobody can load.
MAX_IMPORTED_BODY = 1_000_000


def too_long(rec: EntryRecord) -> str | None:
    if len(rec.body or "") <= MAX_IMPORTED_BODY:
        return None
    return f"{rec.kind} whose body is longer than {MAX_IMPORTED_BODY:,} characters"


def html_source(body: str) -> str:
    """An imported HTML body as stored: sanitized, with its jump break kept as <!--more-->."""
    return "<!--more-->".join(sanitize_post_html(part) for part in split_at_html_jump_break(body))


class Store:
    """Posts, pages, labels and old paths as they come; comments and settings handed on."""

    def __init__(self, summary: Summary, default_author_id: int | None = None):
        self.summary = summary
        self.default_author_id = default_author_id
        self.zone = dates.blog_zone()
        self.now = utcnow()
        self.users = {email.lower(): uid for uid, email in db.session.execute(select(User.id, User.email))}
        self.labels = {name: lid for lid, name in db.session.execute(select(Label.id, Label.name))}
        self.threads = Threads(summary, self.user_id, self.now)
        self.posts = self.threads.posts  # origin -> post id (None: not imported), shared with the comments
        self.settings_record: SettingsRecord | None = None

    def handle(self, record) -> None:
        if isinstance(record, EntryRecord):
            self.post(record) if record.kind == "post" else self.page(record)
        elif isinstance(record, CommentRecord):
            self.threads.add(record)
        elif isinstance(record, LabelRecord):
            if record.name:
                self.label_id(record.name)
        elif isinstance(record, SettingsRecord):
            self.settings_record = record
        elif isinstance(record, Skipped):
            self.summary.skip(record.reason)

    def finish(self) -> None:
        self.threads.finish()
        if self.settings_record is not None:
            apply_settings(self.settings_record, self.summary)
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
        if reason := too_long(rec):
            self.posts[origin] = None
            self.summary.skip(reason)
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
            slug = rec.slug if rec.slug is not None else slug_of(rec.title)
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
        set_body(post, html_source(rec.body) if post.body_format == BodyFormat.HTML else rec.body)
        db.session.add(post)
        db.session.flush()
        self.attach_labels(post.id, rec.labels)
        if year is not None:
            self.add_redirects(old_paths, f"/{year:04d}/{month:02d}/{post.slug}.html", post_id=post.id)
        self.posts[origin] = post.id
        self.summary.posts += 1
        db.session.expunge(post)  # written already: letting go keeps memory flat

    def timing(self, rec: EntryRecord) -> tuple[PostStatus, object]:
        """The post's status and publish time: a live post dated in the future is scheduled."""
        if rec.status == PostStatus.DRAFT:
            return PostStatus.DRAFT, rec.published_at if rec.path else None
        published_at = rec.published_at or rec.updated_at or rec.created_at or self.now
        if rec.status == PostStatus.SCHEDULED or published_at > self.now:
            return PostStatus.SCHEDULED, published_at
        return PostStatus.PUBLISHED, published_at

    def page(self, rec: EntryRecord) -> None:
        origin = origin_key(rec.origin)
        if self.existing(Page, "page", origin) is not None:
            self.summary.skip("page already imported")
            return
        if reason := too_long(rec):
            self.summary.skip(reason)
            return
        kept = PAGE_PATH.match(rec.path or "")
        old_paths = list(rec.old_paths) + ([rec.path] if rec.path and not kept else [])
        if kept:
            slug = kept.group(1)
            if page_slug_taken(slug):
                self.summary.skip(f"page whose URL {rec.path} another page here already has")
                return
        else:
            slug = free_slug(slug_of(rec.slug or rec.title, "page"), page_slug_taken)
        page = Page(
            title=clip(rec.title, 200),
            slug=slug[:200],
            published=rec.status != PostStatus.DRAFT,
            position=rec.position,
            author_id=self.user_id(rec.author_email) or self.default_author_id,
            created_at=rec.created_at or rec.published_at or self.now,
            updated_at=rec.updated_at or rec.published_at or self.now,
            body_format=body_format(rec),
            origin_id=origin,
        )
        set_body(page, html_source(rec.body) if page.body_format == BodyFormat.HTML else rec.body)
        db.session.add(page)
        db.session.flush()
        self.add_redirects(old_paths, f"/p/{page.slug}.html", page_id=page.id)
        self.summary.pages += 1
        db.session.expunge(page)


def body_format(rec: EntryRecord) -> BodyFormat:
    return BodyFormat.MARKDOWN if rec.body_format == BodyFormat.MARKDOWN else BodyFormat.HTML
