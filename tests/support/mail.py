"""Mail the app sent: the test config's "memory" backend keeps each message in the app's outbox."""

import re


def outbox(app) -> list:
    return app.extensions.setdefault("mail_outbox", [])


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in the message whose path starts with path_prefix."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)
