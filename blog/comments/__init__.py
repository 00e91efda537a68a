"""The comment section: thread pages, posting, replies, edits, deletes, moderation holds and reply mail."""

from blog.comments.views import bp

__all__ = ["bp"]
