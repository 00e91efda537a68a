"""Ending sessions on the server. (Stub: the accounts work replaces this with per-session records.)"""
from .models import User


def revoke_all_sessions(user: User) -> None:
    """Sign the person out on every device; the caller commits."""
    user.session_version += 1
