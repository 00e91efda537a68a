"""Reading WordPress's export (WXR): an RSS feed whose items are posts and pages with their comments.

Authors, categories and tags come first in the channel, then one item per post, page or
attachment; each item carries its own comments, so one pass is enough. Content is stored the
way WordPress shows it: classic-editor text gets its paragraphs (a small wpautop), block-editor
content is HTML already.
"""

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from blog.markup import sanitize_comment_html
from blog.models import BodyFormat, CommentStatus, PostStatus
from blog.transfer.common import (
    CommentRecord,
    EntryRecord,
    ImportRefused,
    LabelRecord,
    SettingsRecord,
    Skipped,
    clip,
    parse_wp_time,
)
from blog.transfer.xmlsafe import child_text, children, events, local, namespace, release, text

STATUS = {
    "publish": PostStatus.PUBLISHED,
    "future": PostStatus.SCHEDULED,
    "draft": PostStatus.DRAFT,
    "pending": PostStatus.DRAFT,
    "private": PostStatus.DRAFT,
}
COMMENT_STATUS = {
    "1": CommentStatus.PUBLISHED,
    "approve": CommentStatus.PUBLISHED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
}
BLOCK = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|blockquote|"
    "address|math|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|"
    "nav|figure|figcaption|details|menu|summary|iframe|video|audio|object"
)
STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{BLOCK})[\s/>]", re.IGNORECASE)
# Not `[^\]]*`: from every unclosed "[caption" that would scan to the end of the post (quadratic).
# Stopping at the next "[" keeps it linear; a caption's attributes hold no brackets.
CAPTION = re.compile(r"\[/?caption[^\[\]]*\]", re.IGNORECASE)
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
LOCAL_DATE = re.compile(r"^(\d{4})-(\d{2})-\d{2}")


def autop(content: str) -> str:
    """WordPress's classic editor stores paragraphs as blank lines; make them <p> and <br> as it does."""
    content = CAPTION.sub("", content.replace("\r\n", "\n").replace("\r", "\n"))
    if "<!-- wp:" in content or not content.strip():
        return content.strip()
    out = []
    for chunk in re.split(r"\n\s*\n", content.strip()):
        chunk = chunk.strip()
        if STARTS_WITH_BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"[ \t]*\n[ \t]*", "<br>\n", chunk) + "</p>")
    return "\n".join(out)


class Channel:
    """What the channel says before its items: the site's address and its authors."""

    def __init__(self):
        self.base = ""
        self.wxr = False
        self.authors: dict[str, tuple[str, str]] = {}  # login -> (display name, email)

    def origin(self, kind: str, wp_id: str) -> str:
        return f"wordpress:{self.base}#{kind}-{wp_id}"


def read(raw: BinaryIO, phase: str, progress: Callable[[int], None] | None = None) -> Iterator:
    """Records in file order; WordPress needs one pass, so the "comments" phase has nothing."""
    if phase != "content":
        return
    channel, settings = Channel(), SettingsRecord()
    for event, element in events(raw, progress):
        parent = element.getparent()
        if event != "end" or parent is None or local(parent.tag) != "channel":
            continue
        name = local(element.tag)
        if name == "item":
            if not channel.wxr:
                raise ImportRefused(
                    "This RSS file is not a WordPress export (WXR): it has no wp:wxr_version."
                )
            yield from item(element, channel)
        elif name == "wxr_version":
            channel.wxr = True
        elif name in ("base_blog_url", "base_site_url", "link") and not channel.base:
            channel.base = text(element).strip().rstrip("/")
        elif name == "title" and not namespace(element.tag):
            settings.title = text(element).strip()
        elif name == "description" and not namespace(element.tag):
            settings.description = text(element).strip()
        elif name == "language" and not namespace(element.tag):
            settings.language = text(element).strip()
        elif name == "author":
            channel.authors[child_text(element, "author_login")] = (
                child_text(element, "author_display_name") or child_text(element, "author_login"),
                child_text(element, "author_email"),
            )
        elif name == "category" and child_text(element, "category_nicename") != "uncategorized":
            yield LabelRecord(name=clip(child_text(element, "cat_name"), 100))
        elif name == "tag":
            yield LabelRecord(name=clip(child_text(element, "tag_name"), 100))
        release(element)
    if not channel.wxr:
        raise ImportRefused("This file is not a WordPress export (WXR).")
    yield settings


def item(element, channel: Channel) -> Iterator:
    kind = child_text(element, "post_type") or "post"
    wp_status = child_text(element, "status")
    if kind not in ("post", "page"):
        yield Skipped(f"WordPress {kind} (only posts and pages are imported)")
        return
    if wp_status not in STATUS:
        yield Skipped(f"WordPress {kind} with status {wp_status or '(none)'}")
        return
    record = entry(element, kind, channel)
    yield record
    for node in children(element, "comment"):
        yield comment(node, record, channel)


def labels_of(element) -> list[str]:
    return [
        text(c).strip()
        for c in children(element, "category")
        if c.get("domain") in ("category", "post_tag")
        and c.get("nicename") != "uncategorized"
        and text(c).strip()
    ]


def content_of(element) -> str:
    """content:encoded (an item also has excerpt:encoded, with the same local name)."""
    for node in children(element, "encoded"):
        if namespace(node.tag) == CONTENT_NS:
            return text(node).strip()
    return ""


def entry(element, kind: str, channel: Channel) -> EntryRecord:
    wp_id = child_text(element, "post_id")
    login = child_text(element, "creator")
    name, email = channel.authors.get(login, (login, ""))
    link = child_text(element, "link")
    status = STATUS[child_text(element, "status")]
    if child_text(element, "post_password"):
        status = PostStatus.DRAFT  # no password-protected posts here: keep it private
    local_date = LOCAL_DATE.match(child_text(element, "post_date"))
    published = parse_wp_time(
        child_text(element, "post_date_gmt"), child_text(element, "post_date"), child_text(element, "pubDate")
    )
    kept_path = unquote(urlsplit(link).path) if link else None
    return EntryRecord(
        kind=kind,
        origin=channel.origin("post", wp_id),
        title=child_text(element, "title"),
        body=autop(content_of(element)),
        body_format=BodyFormat.HTML,
        status=status,
        published_at=published,
        updated_at=parse_wp_time(
            child_text(element, "post_modified_gmt"), child_text(element, "post_modified")
        ),
        created_at=published,
        path=kept_path if status != PostStatus.DRAFT else None,
        slug=unquote(child_text(element, "post_name")) or None,
        month=(int(local_date.group(1)), int(local_date.group(2))) if local_date else None,
        old_paths=[child_text(element, "guid")]
        if status != PostStatus.DRAFT and child_text(element, "guid")
        else [],
        labels=labels_of(element) if kind == "post" else [],
        author_name=name,
        author_email=email,
        comments_allowed=child_text(element, "comment_status") != "closed",
        position=int(child_text(element, "menu_order") or 0)
        if child_text(element, "menu_order").isdigit()
        else 0,
    )


def comment(node, post: EntryRecord, channel: Channel):
    kind = child_text(node, "comment_type")
    if kind not in ("", "comment"):
        return Skipped(f"WordPress {kind} (pingbacks and trackbacks are not comments here)")
    status = COMMENT_STATUS.get(child_text(node, "comment_approved"))
    if status is None:
        return Skipped("WordPress comment in the trash")
    parent = child_text(node, "comment_parent")
    created: datetime | None = parse_wp_time(
        child_text(node, "comment_date_gmt"), child_text(node, "comment_date")
    )
    return CommentRecord(
        origin=channel.origin("comment", child_text(node, "comment_id")),
        post_origin=post.origin,
        parent_origin=channel.origin("comment", parent) if parent not in ("", "0") else None,
        body=sanitize_comment_html(autop(child_text(node, "comment_content"))),
        author_name=child_text(node, "comment_author"),
        author_email=child_text(node, "comment_author_email"),
        status=status,
        created_at=created,
    )
