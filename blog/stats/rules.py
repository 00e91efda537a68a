"""What counts as a view, decided from plain values (so the app and a WSGI layer in front of it
decide alike): a GET of a public HTML page (the reading and search pages), a whole page (htmx
partials are not views; boosted navigation is), not a prefetch, answered 200 or 304, for a
client that is not a known bot. Who is signed in is the caller's business (staff are not counted).
"""

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from crawlerdetect import CrawlerDetect
from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from blog.models.stats import HOST_LENGTH

COUNTED_BLUEPRINTS = {"reading", "search"}  # home, post, page, archives, label, search, profile
COUNTED_STATUSES = {200, 304}
BOTS = CrawlerDetect()  # crawlerdetect's maintained patterns (JayBizzle's CrawlerDetect list)


def is_page_request(method: str, header: Callable[[str], str | None]) -> bool:
    """A GET for a whole page that a person asked for: not HEAD, not an htmx fragment, not a
    prefetch. `header(name)` reads a request header (None when absent)."""
    if method != "GET":
        return False
    purpose = (header("Sec-Purpose") or header("Purpose") or "").strip().lower()
    if purpose.startswith("prefetch"):
        return False
    if header("HX-Request") == "true":
        return header("HX-Boosted") == "true" or header("HX-History-Restore-Request") == "true"
    return True


@lru_cache(maxsize=8192)
def is_bot(user_agent: str) -> bool:
    """Known crawlers, and clients that send no User-Agent at all (no browser does that).
    Cached: a pattern search over the whole list costs most of a millisecond."""
    return not user_agent.strip() or BOTS.is_crawler(user_agent)


def path_classifier(app: Flask) -> Callable[[str], bool]:
    """A function telling whether a path is a public reading page, by the app's URL map (cached:
    the paths that get here are the blog's own pages, a bounded set)."""
    adapter = app.url_map.bind("localhost")

    @lru_cache(maxsize=16384)
    def countable(path: str) -> bool:
        try:
            endpoint, _ = adapter.match(path, method="GET")
        except (HTTPException, RequestRedirect):
            return False
        return endpoint.partition(".")[0] in COUNTED_BLUEPRINTS

    return countable


def bare_host(host: str) -> str:
    """'WWW.Example.org:443' -> 'example.org': lower case, no port, no leading www."""
    host = host.strip().lower().rsplit("@", 1)[-1]
    if host.startswith("["):
        host = host.split("]", 1)[0] + "]"
    else:
        host = host.split(":", 1)[0]
    return host.removeprefix("www.").rstrip(".")


def referrer_host(referrer: str | None, own_hosts: set[str]) -> str | None:
    """The host of another site that linked here, or None (no Referer, not http(s), or this blog)."""
    if not referrer:
        return None
    try:
        parts = urlsplit(referrer.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = bare_host(parts.netloc)
    if not host or host in own_hosts or len(host) > HOST_LENGTH:
        return None
    return host
