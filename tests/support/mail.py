"""Mail the app sent: the test config's "memory" backend keeps each message in the app's outbox."""

import re


def outbox(app) -> list:
    return app.extensions.setdefault("mail_outbox", [])


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in the message whose path starts with path_prefix."""
    text = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]+)", text)
    assert match, text
    return match.group(1)
