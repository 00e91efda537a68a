"""Typed SQLAlchemy models, one file per kind of record."""

from .audit import AuditEntry
from .ban import Ban, BanHiddenComment
from .comment import Comment, CommentStatus
from .content_version import ContentVersion
from .image import Image
from .invitation import Invitation
from .page import Page
from .path_redirect import PathRedirect
from .post import Label, Post, PostStatus, post_labels
from .revision import PostRedirect, PostRevision
from .settings import BlogSettings, CommentPolicy, Moderation
from .timeutil import utcnow
from .token import AccountToken, TokenPurpose
from .two_step import RecoveryCode, TwoStep
from .user import Role, User
from .user_session import UserSession

__all__ = [
    "BlogSettings",
    "Comment",
    "CommentPolicy",
    "CommentStatus",
    "Label",
    "Moderation",
    "Page",
    "Post",
    "PostStatus",
    "Role",
    "User",
    "post_labels",
    "utcnow",
]
__all__ += ["AuditEntry", "Ban", "BanHiddenComment"]
__all__ += ["AccountToken", "Invitation", "TokenPurpose", "UserSession"]
__all__ += ["Image", "PostRedirect", "PostRevision"]
__all__ += ["PathRedirect"]
__all__ += ["ContentVersion"]
__all__ += ["RecoveryCode", "TwoStep"]
