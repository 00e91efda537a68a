"""Typed SQLAlchemy models, one file per kind of record."""

from blog.models.audit import AuditEntry
from blog.models.ban import Ban, BanHiddenComment
from blog.models.body_format import BodyFormat
from blog.models.comment import Comment, CommentStatus, HiddenBy
from blog.models.content_version import ContentVersion
from blog.models.image import Image
from blog.models.invitation import Invitation
from blog.models.page import Page
from blog.models.path_redirect import PathRedirect
from blog.models.post import Label, Post, PostStatus, post_labels
from blog.models.revision import PostRedirect, PostRevision
from blog.models.settings import BlogSettings, CommentPolicy, Moderation
from blog.models.timeutil import utcnow
from blog.models.token import AccountToken, TokenPurpose
from blog.models.two_step import RecoveryCode, TwoStep
from blog.models.user import Role, User
from blog.models.user_session import UserSession

__all__ = [
    "BlogSettings",
    "BodyFormat",
    "Comment",
    "CommentPolicy",
    "CommentStatus",
    "HiddenBy",
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
from blog.models.follower import Delivery, DeliveryStatus, Follower, FollowerStatus, PostMailing  # noqa: E402

__all__ += ["Delivery", "DeliveryStatus", "Follower", "FollowerStatus", "PostMailing"]
from blog.models.stats import StatsDay, StatsPath, StatsReferrer, StatsSalt, StatsSeen  # noqa: E402

__all__ += ["StatsDay", "StatsPath", "StatsReferrer", "StatsSalt", "StatsSeen"]
from blog.models.feed_token import FeedToken  # noqa: E402
from blog.models.settings import ReadAccess  # noqa: E402

__all__ += ["FeedToken", "ReadAccess"]
from blog.models.outgoing_mail import OutgoingMail  # noqa: E402

__all__ += ["OutgoingMail"]
from blog.models.fediverse import (  # noqa: E402
    DeliveryState,
    FederatedPost,
    FederatedState,
    FediverseFollower,
    FediverseKey,
    InboxDelivery,
    OutgoingActivity,
    Reaction,
    RemoteActor,
    RemoteServer,
)

__all__ += ["DeliveryState", "FederatedPost", "FederatedState", "FediverseFollower", "FediverseKey"]
__all__ += ["InboxDelivery", "OutgoingActivity", "Reaction", "RemoteActor", "RemoteServer"]
from blog.models.theme import Theme, ThemeDraft  # noqa: E402

__all__ += ["Theme", "ThemeDraft"]
