"""Which answer a request asks for when a URL has two: a page or its ActivityPub document.

A pure function of the Accept header, so the page cache (here and in front of Flask) and the
fediverse area decide alike. Only an explicitly named ActivityPub type counts (a browser's */*
never does), and it must rank at least as high as an explicitly named text/html: Mastodon sends
`application/activity+json, application/ld+json; profile="...", text/html;q=0.1`."""

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

ACTIVITY_TYPES = ("application/activity+json", "application/ld+json")


def wants_activity(accept: str | None) -> bool:
    if not accept or "json" not in accept:  # the common case, decided without parsing
        return False
    parsed = parse_accept_header(accept, MIMEAccept)
    activity = max((q for value, q in parsed if value.lower() in ACTIVITY_TYPES), default=0)
    html = max((q for value, q in parsed if value.lower() == "text/html"), default=0)
    return activity > 0 and activity >= html
