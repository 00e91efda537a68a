"""Typed SQLAlchemy models, one file per kind of record."""
from .comment import Comment, CommentStatus
from .page import Page
from .post import Label, Post, PostStatus, post_labels
from .settings import BlogSettings, CommentPolicy, Moderation
from .timeutil import utcnow
from .user import Role, User

__all__ = [
    "BlogSettings", "Comment", "CommentPolicy", "CommentStatus", "Label", "Moderation", "Page", "Post",
    "PostStatus", "Role", "User", "post_labels", "utcnow",
]
