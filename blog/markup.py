"""Markdown to safe HTML, for posts and comments alike.

markdown-it-py renders, then nh3 (Ammonia) keeps only an allowlist of tags and attributes.
The allowlists never name an on*, style, hx-* or data-* attribute, and links may only use
http, https or mailto, so nothing a writer types can run script or drive htmx.
"""

import html as html_lib
import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

from blog.models.body_format import BodyFormat

JUMP_BREAK = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.MULTILINE | re.IGNORECASE)
JUMP_TARGET = '<div id="more"></div>\n'
URL_SCHEMES = {"http", "https", "mailto"}

POST_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
POST_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
    "code": {"class"},
}
COMMENT_TAGS = {"a", "blockquote", "br", "code", "em", "li", "ol", "p", "pre", "strong", "ul", "del"}
COMMENT_ATTRIBUTES = {"a": {"href"}}

_post_parser = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable(
    "table"
)
_post_parser.enable("strikethrough")


def shift_headings(state) -> None:
    """`# Heading` is a section of the post, under its title (the page's h1): h2, and so on down to h6."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


_post_parser.core.ruler.push("shift_headings", shift_headings)
_comment_parser = (
    MarkdownIt("commonmark", {"html": False})
    .disable(["image", "heading", "lheading", "html_block", "html_inline", "hr"])
    .enable("strikethrough")
)


@dataclass(frozen=True)
class RenderedPost:
    html: str
    excerpt_html: str | None  # the part above the jump break, if any
    text: str


def render_post(source: str) -> RenderedPost:
    """Render a post's Markdown; a line `<!--more-->` marks the jump break."""
    parts = [sanitize_post_html(_post_parser.render(part)) for part in JUMP_BREAK.split(source, maxsplit=1)]
    if len(parts) == 1:
        return RenderedPost(html=parts[0], excerpt_html=None, text=html_to_text(parts[0]))
    # The marker is added after sanitizing: it is ours, and "Read more" links jump to it.
    html = parts[0] + JUMP_TARGET + parts[1]
    return RenderedPost(html=html, excerpt_html=parts[0], text=html_to_text(html))


def sanitize_post_html(html: str) -> str:
    """Clean HTML for a post body; also used for imported HTML."""
    return nh3.clean(
        html,
        tags=POST_TAGS,
        attributes=POST_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )


# In imported HTML the jump break may sit anywhere (Blogger, and WordPress's <!--more Read on-->).
HTML_JUMP_BREAK_START = re.compile(r"<!--\s*more\b", re.IGNORECASE)


def split_at_html_jump_break(source: str) -> list[str]:
    """The HTML before and after its first `<!--more ...-->`, or [source] without one.

    In linear time: one search for the opening and one for the close after it. (A regex with `.*?`
    up to `-->` would scan to the end from every unclosed `<!--more`: minutes for 200 kB of them.)
    If the first opening has no close after it, no later one has either."""
    start = HTML_JUMP_BREAK_START.search(source)
    end = source.find("-->", start.end()) if start else -1
    if end == -1:
        return [source]
    return [source[: start.start()], source[end + 3 :]]


def render_post_html(source: str) -> RenderedPost:
    """A post kept as HTML (imported from Blogger or WordPress): sanitized, with its jump break."""
    parts = [sanitize_post_html(part) for part in split_at_html_jump_break(source)]
    if len(parts) == 1:
        return RenderedPost(html=parts[0], excerpt_html=None, text=html_to_text(parts[0]))
    html = parts[0] + JUMP_TARGET + parts[1]
    return RenderedPost(html=html, excerpt_html=parts[0], text=html_to_text(html))


def render_body(source: str, body_format: BodyFormat | None) -> RenderedPost:
    """A post's or page's body in its own format: HTML for imported bodies, else Markdown."""
    return render_post_html(source) if body_format == BodyFormat.HTML else render_post(source)


def sanitize_comment_html(html: str) -> str:
    """Clean an imported comment's HTML with the comment allowlist (no images, no headings)."""
    return nh3.clean(
        html,
        tags=COMMENT_TAGS,
        attributes=COMMENT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def render_comment(source: str) -> str:
    """Render a comment's small Markdown subset: no raw HTML, no images, no headings."""
    return nh3.clean(
        _comment_parser.render(source),
        tags=COMMENT_TAGS,
        attributes=COMMENT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


_HEADING_TAG = re.compile(r"<(/?)h([2-6])>")


def demote_headings(html: str, levels: int = 2) -> str:
    """A post body's headings moved `levels` down, for lists where a post's title is an h3, not the
    page's h1. Only on sanitized HTML, whose heading tags carry no attributes."""
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + levels, 6)}>", html)


def html_to_text(html: str) -> str:
    """Plain text of sanitized HTML, entities decoded, whitespace folded."""
    return _SPACE.sub(" ", html_lib.unescape(_TAG.sub(" ", html))).strip()


def count_links(html: str) -> int:
    return html.count("<a ")
