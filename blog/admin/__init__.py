"""The admin area, one module per screen; importing them registers their routes on bp."""

from blog.admin import (  # noqa: F401
    audit,
    dashboard,
    followers,
    images,
    invitations,
    limits,
    member_bans,
    members,
    moderation,
    pages,
    posts,
    preview,
    revisions,
    settings,
    stats,
    theme,
    theme_sidebar,
    transfer,
)
from blog.admin.blueprint import bp

__all__ = ["bp"]
