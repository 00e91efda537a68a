"""Follow by email: the sidebar box, double opt-in, one-click unsubscribe, and sending each new post
to every follower once (sending.py)."""

from blog.followers.views import bp

__all__ = ["bp"]
