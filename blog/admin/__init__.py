"""The admin area, one module per screen; importing them registers their routes on bp."""

from . import (  # noqa: F401  # noqa: F401
    audit,
    dashboard,
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
    transfer,
)
from .blueprint import bp

__all__ = ["bp"]
