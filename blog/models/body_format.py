"""The format a post's or page's body is written in (see markup.render_body)."""

from enum import StrEnum


class BodyFormat(StrEnum):
    MARKDOWN = "markdown"
    HTML = "html"  # an imported body, kept as sanitized HTML
