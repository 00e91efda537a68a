"""What every importer shares: the records readers produce, the summary, refusals, and small parsers.

A reader (blogger.py, wordpress.py, jsonl.py) turns a file into a stream of records in file
order; store.py writes them. Records are plain data, so the readers know nothing of the database.
"""

import hashlib
import hmac
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from flask import current_app

from blog.models import BodyFormat, CommentPolicy, CommentStatus, PostStatus

POST_PATH = re.compile(r"^/(\d{4})/(\d{2})/([^/?#]+)\.html$")
PAGE_PATH = re.compile(r"^/p/([^/?#]+)\.html$")
MAX_ORIGIN = 255
# Our own additions to an exported Atom file (Markdown sources, old paths...): Blogger ignores them,
# and importing our own export reads them back, so nothing is lost on the way out and in.
EXT_NS = "tag:blog-engine,2026:export"
COMMENT_POLICIES = tuple(CommentPolicy)


class ImportRefused(Exception):
    """The file cannot be imported; the message says why, in words for the person importing."""


@dataclass
class SettingsRecord:
    title: str | None = None
    description: str | None = None
    comment_policy: str | None = None
    language: str | None = None
    timezone: str | None = None


@dataclass
class EntryRecord:
    """A post or a page. `path` is its URL path on the old blog when it is to be kept exactly."""

    kind: str  # "post" | "page"
    origin: str
    title: str
    body: str
    body_format: str = BodyFormat.HTML  # HTML is sanitized on the way in; a file may name another format
    status: str = PostStatus.PUBLISHED  # a PostStatus, or whatever a file said (the store checks)
    published_at: datetime | None = None
    updated_at: datetime | None = None
    created_at: datetime | None = None
    path: str | None = None  # /YYYY/MM/slug.html or /p/slug.html, kept exactly
    slug: str | None = None  # a wish when there is no path to keep (WordPress's post_name)
    month: tuple[int, int] | None = None  # the (year, month) for a new permalink, if the old blog had one
    old_paths: list[str] = field(default_factory=list)  # earlier URLs that must redirect here
    labels: list[str] = field(default_factory=list)
    author_name: str = ""
    author_email: str = ""
    comments_allowed: bool = True
    search_description: str = ""
    position: int = 0  # pages: their place in the menu
    html: str | None = None  # on export: the body as HTML, for readers of the file that want HTML


@dataclass
class CommentRecord:
    origin: str
    post_origin: str
    body: str  # HTML, sanitized on the way in
    parent_origin: str | None = None
    source: str | None = None  # the Markdown it was written in, when the file carries it
    author_name: str = ""
    author_email: str = ""
    status: str = CommentStatus.PUBLISHED  # a CommentStatus, or whatever a file said (the store checks)
    created_at: datetime | None = None
    edited_at: datetime | None = None


@dataclass
class LabelRecord:
    name: str


@dataclass
class Skipped:
    """Something in the file that is deliberately not imported, and why."""

    reason: str


@dataclass
class Summary:
    posts: int = 0
    pages: int = 0
    comments: int = 0
    labels: int = 0
    redirects: int = 0
    settings: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def note(self, text: str) -> None:
        self.notes[text] += 1

    def lines(self) -> list[str]:
        """The summary as sentences, for the command line and the admin page."""
        out = [
            f"Imported {self.posts} post(s), {self.pages} page(s), {self.comments} comment(s), "
            f"{self.labels} new label(s) and {self.redirects} redirect(s)."
        ]
        if self.settings:
            out.append("Settings taken: " + ", ".join(self.settings) + ".")
        out += [f"Skipped {count}: {reason}." for reason, count in sorted(self.skipped.items())]
        out += [f"Note ({count}): {text}." for text, count in sorted(self.notes.items())]
        return out


def parse_iso(value: str | None) -> datetime | None:
    """An Atom/ISO 8601 time as naive UTC (a time without offset is taken as UTC)."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def parse_wp_time(gmt: str | None, local: str | None = None, rfc822: str | None = None) -> datetime | None:
    """WordPress times: the _gmt column, else the local one (zone unknown: taken as UTC), else pubDate."""
    for value in (gmt, local):
        value = (value or "").strip()
        if value and not value.startswith("0000"):
            parsed = parse_iso(value.replace(" ", "T"))
            if parsed is not None:
                return parsed
    try:
        moment = parsedate_to_datetime((rfc822 or "").strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def origin_key(value: str) -> str:
    """An origin id that fits its column: long ones are replaced by their digest."""
    value = value.strip()
    if len(value) <= MAX_ORIGIN:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def blog_id() -> str:
    """This blog's id in the Blogger-style entry ids it exports (stable for one secret key)."""
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), b"blog-export-id", "sha256").digest()
    return str(int.from_bytes(digest[:8], "big") % 10**18).rjust(18, "1")


def entry_id(kind: str, row_id: int) -> str:
    """The id of an exported row that has no origin of its own: kind is post, page or comment."""
    return f"tag:blogger.com,1999:blog-{blog_id()}.{kind}-{row_id}"


def own_row_id(kind: str, origin: str) -> int | None:
    """The row id when `origin` is an id this blog exported itself (re-importing finds the row)."""
    prefix = f"tag:blogger.com,1999:blog-{blog_id()}.{kind}-"
    rest = origin[len(prefix) :] if origin.startswith(prefix) else ""
    return int(rest) if rest.isdigit() else None


def clip(text: str | None, length: int) -> str:
    return (text or "").strip()[:length]
