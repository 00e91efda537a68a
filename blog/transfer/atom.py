"""Writing the blog as a Blogger-style Atom file (the Takeout feed.atom shape: blogger:type, blogger:status,
blogger:filename, blogger:parent, blogger:inReplyTo), streamed element by element.

What Blogger has no place for (a post's Markdown source, its old paths, a page's menu position)
travels in elements of our own namespace, which Blogger ignores and our importer reads back.
"""

import re
from collections.abc import Iterable
from datetime import datetime
from typing import BinaryIO

from lxml import etree

from blog.models import BodyFormat, CommentStatus, PostStatus
from blog.transfer.common import EXT_NS, CommentRecord, EntryRecord, LabelRecord, SettingsRecord, blog_id

ATOM = "http://www.w3.org/2005/Atom"
BLOGGER = "http://schemas.google.com/blogger/2018"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
NSMAP = {None: ATOM, "blogger": BLOGGER, "x": EXT_NS}
POST_STATUS = {PostStatus.DRAFT: "DRAFT", PostStatus.SCHEDULED: "SCHEDULED", PostStatus.PUBLISHED: "LIVE"}
COMMENT_STATUS = {
    CommentStatus.PUBLISHED: "LIVE",
    CommentStatus.PENDING: "PENDING",
    CommentStatus.SPAM: "SPAM",
    CommentStatus.REMOVED: "REMOVED",
}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry


def clean(value: str | None) -> str:
    return NOT_XML.sub("", value or "")


def stamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def a(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def b(name: str) -> str:
    return f"{{{BLOGGER}}}{name}"


def x(name: str) -> str:
    return f"{{{EXT_NS}}}{name}"


class Writer:
    """One open feed: leaves and entries go straight to the file, namespaces declared once on <feed>."""

    def __init__(self, xf):
        self.xf = xf

    def leaf(self, tag: str, value: str | None = "", **attributes) -> None:
        with self.xf.element(tag, {k: clean(v) for k, v in attributes.items()}):
            if value:
                self.xf.write(clean(value))

    def author(self, name: str, email: str) -> None:
        with self.xf.element(a("author")):
            self.leaf(a("name"), name or "Anonymous")
            if email:
                self.leaf(a("email"), email)
            self.leaf(b("type"), "BLOGGER" if email else "ANONYMOUS")

    def record(self, record) -> None:
        if isinstance(record, SettingsRecord):
            self.settings(record)
        elif isinstance(record, LabelRecord):
            self.leaf(x("label"), record.name)
        elif isinstance(record, EntryRecord):
            with self.xf.element(a("entry")):
                self.entry(record)
        elif isinstance(record, CommentRecord):
            with self.xf.element(a("entry")):
                self.comment(record)

    def settings(self, record: SettingsRecord) -> None:
        """The feed's title and subtitle, then the settings Blogger has no element for."""
        self.leaf(a("title"), record.title)
        self.leaf(a("subtitle"), record.description)
        for name in ("comment_policy", "language", "timezone"):
            self.leaf(x("setting"), getattr(record, name), name=name)

    def entry(self, record: EntryRecord) -> None:
        self.leaf(a("id"), record.origin)
        self.leaf(b("type"), record.kind.upper())
        self.leaf(b("status"), POST_STATUS.get(record.status, "LIVE"))
        self.author(record.author_name, record.author_email)
        self.leaf(a("title"), record.title, type="text")
        self.leaf(
            a("content"), record.body if record.body_format == BodyFormat.HTML else record.html, type="html"
        )
        self.leaf(b("created"), stamp(record.created_at))
        self.leaf(a("published"), stamp(record.published_at or record.created_at))
        self.leaf(a("updated"), stamp(record.updated_at))
        for label in record.labels:
            self.leaf(a("category"), scheme=LABEL_SCHEME, term=label)
        if record.path:
            self.leaf(b("filename"), record.path)
        if record.body_format != BodyFormat.HTML:
            self.leaf(x("source"), record.body, format=record.body_format)
        if not record.path:
            self.leaf(x("slug"), record.slug)
        if record.search_description:
            self.leaf(x("search-description"), record.search_description)
        if not record.comments_allowed:
            self.leaf(x("comments-allowed"), "false")
        if record.kind == "page":
            self.leaf(x("position"), str(record.position))
        for path in record.old_paths:
            self.leaf(x("old-path"), path)

    def comment(self, record: CommentRecord) -> None:
        self.leaf(a("id"), record.origin)
        self.leaf(b("type"), "COMMENT")
        self.leaf(b("status"), COMMENT_STATUS.get(record.status, "LIVE"))
        self.leaf(b("parent"), record.post_origin)
        if record.parent_origin:
            self.leaf(b("inReplyTo"), record.parent_origin)
        self.author(record.author_name, record.author_email)
        self.leaf(a("content"), record.body, type="html")
        self.leaf(a("published"), stamp(record.created_at))
        self.leaf(a("updated"), stamp(record.edited_at or record.created_at))
        if record.source is not None:
            self.leaf(x("source"), record.source, format=BodyFormat.MARKDOWN)
        if record.edited_at:
            self.leaf(x("edited"), stamp(record.edited_at))


def write(out: BinaryIO, records: Iterable, updated: datetime | None) -> None:
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(a("feed"), nsmap=NSMAP):
            writer = Writer(xf)
            writer.leaf(a("id"), f"tag:blogger.com,1999:blog-{blog_id()}")
            writer.leaf(a("updated"), stamp(updated) or "1970-01-01T00:00:00Z")
            writer.leaf(a("generator"), "blog engine export")
            for record in records:
                xf.write("\n")  # one line per element: a file people can read and diff
                writer.record(record)
            xf.write("\n")
