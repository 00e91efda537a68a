"""The admin area, one module per screen; importing them registers their routes on bp."""
from . import dashboard  # noqa: F401
from . import images, limits, pages, posts, preview, revisions  # noqa: F401
from . import audit, invitations, member_bans, members, moderation, settings  # noqa: F401
from . import transfer  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
