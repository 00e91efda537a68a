"""Reading Blogger exports: the classic backup (entries typed by a kind category) and Takeout's feed.atom
(entries typed by blogger:type). Both are Atom feeds; one reader understands both, entry by entry.

Comments may come before the posts they belong to, so the file is read twice: first the blog's
settings, posts and pages, then the comments.
"""

import html
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from blog.markup import sanitize_comment_html
from blog.models import BodyFormat, CommentPolicy, CommentStatus, PostStatus
from blog.transfer.common import (
    EXT_NS,
    CommentRecord,
    EntryRecord,
    LabelRecord,
    SettingsRecord,
    Skipped,
    clip,
    parse_iso,
)
from blog.transfer.xmlsafe import child, child_text, children, events, local, namespace, release, text

KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
NOREPLY = "noreply@blogger.com"
TRASHED = {"SOFT_TRASHED", "TRASHED", "DELETED", "PERMANENTLY_DELETED"}
COMMENT_STATUS = {
    "LIVE": CommentStatus.PUBLISHED,
    "PENDING": CommentStatus.PENDING,
    "DRAFT": CommentStatus.PENDING,
    "SPAM": CommentStatus.SPAM,
    "REMOVED": CommentStatus.REMOVED,
}
# Blogger's "who can comment" setting, in the spellings its exports have used.
ACCESS = {
    "ANYONE": CommentPolicy.ANYONE,
    "ANONYMOUS": CommentPolicy.ANYONE,
    "PUBLIC": CommentPolicy.ANYONE,
    "REGISTERED": CommentPolicy.SIGNED_IN,
    "USERS": CommentPolicy.SIGNED_IN,
    "GOOGLE": CommentPolicy.SIGNED_IN,
    "OPENID": CommentPolicy.SIGNED_IN,
    "USERS_WITH_GOOGLE_ACCOUNTS": CommentPolicy.SIGNED_IN,
    "MEMBERS": CommentPolicy.MEMBERS,
    "BLOG_MEMBERS": CommentPolicy.MEMBERS,
    "BLOGGERS": CommentPolicy.MEMBERS,
    "AUTHORS": CommentPolicy.MEMBERS,
    "NOBODY": CommentPolicy.NOBODY,
    "NONE": CommentPolicy.NOBODY,
    "HIDE": CommentPolicy.NOBODY,
}
COMMENT_ID = re.compile(r"/comments/default/(\d+)")
BLOG_OF = re.compile(r"^(tag:blogger\.com,1999:blog-[^.]+)\.")


def read(raw: BinaryIO, phase: str, progress: Callable[[int], None] | None = None) -> Iterator:
    """Records of one phase: "content" (settings, labels, posts, pages) or "comments"."""
    settings = SettingsRecord()
    for event, element in events(raw, progress):
        if event != "end":
            continue
        name, parent = local(element.tag), element.getparent()
        if name != "entry":
            if parent is not None and parent.getparent() is None and phase == "content":
                if name == "label" and namespace(element.tag) == EXT_NS:
                    yield LabelRecord(name=clip(text(element), 100))
                else:
                    feed_setting(settings, element)
            continue
        if parent is not None and parent.getparent() is None:
            record = entry(element, phase, settings)
            if record is not None:
                yield record
            release(element)
    if phase == "content":
        yield settings


def feed_setting(settings: SettingsRecord, element) -> None:
    """The feed's own title and subtitle, and settings our own export adds."""
    name = local(element.tag)
    if name == "title" and settings.title is None:
        settings.title = text(element).strip()
    elif name == "subtitle" and settings.description is None:
        settings.description = text(element).strip()
    elif name == "setting" and namespace(element.tag) == EXT_NS:
        key, value = element.get("name", ""), text(element).strip()
        if key in ("comment_policy", "language", "timezone") and value:
            setattr(settings, key, value)


def kind_of(element) -> str:
    """post, page, comment, settings, template (or '' when unknown)."""
    typed = child(element, "type")
    if typed is not None and local(typed.tag) == "type" and namespace(typed.tag) != EXT_NS:
        return text(typed).strip().lower()
    for category in children(element, "category"):
        if category.get("scheme") == KIND_SCHEME:
            return category.get("term", "").rsplit("#", 1)[-1].lower()
    return ""


def entry(element, phase: str, settings: SettingsRecord):
    kind = kind_of(element)
    if phase == "comments":
        return comment(element) if kind == "comment" else None
    if kind in ("post", "page"):
        return post_or_page(element, kind)
    if kind == "settings":
        return blogger_setting(element, settings)
    if kind == "template":
        return Skipped("Blogger template (this blog keeps its own theme)")
    if kind == "comment":
        return None
    return Skipped(f"entry of unknown kind {kind or '(none)'!r}")


def blogger_setting(element, settings: SettingsRecord):
    """The classic backup's settings entries (tag:...settings.BLOG_NAME and so on)."""
    key = child_text(element, "id").rsplit(".", 1)[-1].upper()
    value = child_text(element, "content")
    if key == "BLOG_NAME":
        settings.title = value
    elif key == "BLOG_DESCRIPTION":
        settings.description = value
    elif key == "BLOG_COMMENTS_ALLOWED" and value.lower() == "false":
        settings.comment_policy = CommentPolicy.NOBODY
    elif "COMMENT_ACCESS" in key or "COMMENT_PERMISSION" in key:
        if ACCESS.get(value.upper()) and settings.comment_policy != CommentPolicy.NOBODY:
            settings.comment_policy = ACCESS[value.upper()]
    else:
        return Skipped("Blogger setting with no counterpart here")
    return None


def ext(element, name: str):
    """Our own export's extension element, if any."""
    for item in element:
        if local(item.tag) == name and namespace(item.tag) == EXT_NS:
            return item
    return None


def ext_text(element, name: str) -> str | None:
    found = ext(element, name)
    return None if found is None else text(found)


def author_of(element) -> tuple[str, str]:
    """(name, email) of an entry's author; Blogger's placeholder address counts as none."""
    author = child(element, "author")
    if author is None:
        return "", ""
    email = child_text(author, "email")
    return child_text(author, "name"), ("" if email.lower() == NOREPLY else email)


def content_html(element) -> str:
    """The entry's content as HTML, whatever Atom content type it uses."""
    content = child(element, "content")
    if content is None:
        return ""
    kind = (content.get("type") or "html").lower()
    if kind == "text":
        return html.escape(text(content)).replace("\n", "<br>\n")
    return text(content)


def old_path(element, kind: str) -> str | None:
    """The path the entry had on Blogger: blogger:filename (Takeout), else the alternate link."""
    filename = child(element, "filename")
    if filename is not None and text(filename).strip():
        return unquote(text(filename).strip())
    for link in children(element, "link"):
        if link.get("rel") == "alternate" and link.get("href"):
            path = unquote(urlsplit(link.get("href")).path)
            if (kind == "page") == path.startswith("/p/"):
                return path
    return None


def status_of(element, kind: str) -> PostStatus | None:
    """Draft, scheduled or published; None for entries in Blogger's trash."""
    typed_status = child_text(element, "status").upper()
    if typed_status in TRASHED:
        return None
    if typed_status == "DRAFT":
        return PostStatus.DRAFT
    if typed_status == "SCHEDULED":
        return PostStatus.SCHEDULED
    control = child(element, "control")
    if control is not None and child_text(control, "draft").lower() == "yes":
        return PostStatus.DRAFT
    return PostStatus.PUBLISHED


def post_or_page(element, kind: str):
    status = status_of(element, kind)
    if status is None:
        return Skipped(f"{kind} in Blogger's trash")
    name, email = author_of(element)
    source = ext(element, "source")
    record = EntryRecord(
        kind=kind,
        origin=child_text(element, "id"),
        title=child_text(element, "title"),
        body=text(source) if source is not None else content_html(element),
        body_format=source.get("format", BodyFormat.MARKDOWN) if source is not None else BodyFormat.HTML,
        status=status,
        published_at=parse_iso(child_text(element, "published")),
        updated_at=parse_iso(child_text(element, "updated")),
        created_at=parse_iso(child_text(element, "created")),
        path=old_path(element, kind),
        labels=[
            c.get("term", "").strip()
            for c in children(element, "category")
            if c.get("scheme") != KIND_SCHEME and c.get("term", "").strip()
        ],
        author_name=name,
        author_email=email,
        comments_allowed=(ext_text(element, "comments-allowed") or "true").strip() != "false",
        search_description=(ext_text(element, "search-description") or "").strip(),
        slug=ext_text(element, "slug"),
        old_paths=[
            text(item).strip()
            for item in element
            if local(item.tag) == "old-path" and namespace(item.tag) == EXT_NS
        ],
    )
    position = ext_text(element, "position")
    if position and position.strip().lstrip("-").isdigit():
        record.position = int(position)
    if not record.origin:
        return Skipped(f"{kind} without an id")
    return record


def parent_comment(element, origin: str) -> str | None:
    """The comment this one answers: blogger:inReplyTo (Takeout), else the classic rel="related" link."""
    in_reply_to = child_text(element, "inReplyTo")
    if in_reply_to:
        return in_reply_to
    blog = BLOG_OF.match(origin)
    for link in children(element, "link"):
        found = COMMENT_ID.search(link.get("href", "")) if link.get("rel") == "related" else None
        if found and blog:
            return f"{blog.group(1)}.post-{found.group(1)}"
    return None


def post_of_comment(element) -> str:
    """The post a comment belongs to: blogger:parent (Takeout), else thr:in-reply-to's ref (classic)."""
    parent = child_text(element, "parent")
    if parent:
        return parent
    for item in element:
        if local(item.tag) == "in-reply-to" and item.get("ref"):
            return item.get("ref").strip()
    return ""


def comment(element):
    origin = child_text(element, "id")
    status_text = child_text(element, "status").upper() or "LIVE"
    if status_text in TRASHED:
        return Skipped("comment in Blogger's trash")
    status = COMMENT_STATUS.get(status_text)
    if status is None:
        return Skipped(f"comment with status {status_text}")
    name, email = author_of(element)
    source = ext(element, "source")
    return CommentRecord(
        origin=origin,
        post_origin=post_of_comment(element),
        parent_origin=parent_comment(element, origin),
        body=sanitize_comment_html(content_html(element)),
        source=text(source) if source is not None else None,
        author_name=name,
        author_email=email,
        status=status,
        created_at=parse_iso(child_text(element, "published")),
        edited_at=parse_iso(ext_text(element, "edited")),
    )
