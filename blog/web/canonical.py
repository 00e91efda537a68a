"""One URL per cached page: a query argument the page does not read is redirected away.

The page cache keys pages on their URL, so without this every `?utm_source=...` or `?x=1` would
render the page again and store another copy. Redirecting (301) to the same URL without them,
rather than serving the page under the junk URL, keeps stray queries out of the rendered page too
(the "Sign in" link carries the page's own URL), and tells crawlers which URL is the page's.
Numbers are written one way (`?page=02` is `?page=2`, `?page=1` is no argument at all), as the
pagination links write them.
"""

from flask import redirect, request, url_for

PAGED = ("page",)  # listing.page_number()
# What each cached view reads from the query; any other endpoint of a cached blueprint reads none.
QUERY_ARGS = {
    "reading.index": PAGED,
    "reading.year_archive": PAGED,
    "reading.month_archive": PAGED,
    "reading.label": PAGED,
    "reading.profile": PAGED,
    "reading.post": ("cpage",),  # comments.section.requested_page()
    "search.results": ("q", "page"),
    # feeds.feed_format(); a member's personal feed address on a private blog (web/reader_tokens.py)
    "feeds.posts": ("alt", "token"),
    "feeds.label_posts": ("alt", "token"),
    "feeds.comments": ("alt", "token"),
    "feeds.post_comments": ("alt", "token"),
    "feeds.sitemap": ("token",),
    "comments.section": ("cpage",),
}


def number(value: str) -> str | None:
    """A page number as the pagination links write it ("" for page 1), or None if it is none."""
    if value.isascii() and value.isdigit() and int(value) >= 1:
        return "" if int(value) == 1 else str(int(value))
    return None


def page_value(value: str) -> str:
    # Not a number: kept, and listing.page_number() answers 404 (never stored).
    found = number(value)
    return value if found is None else found


def comment_page_value(value: str) -> str:
    # Not a number: the section shows its first page, whose URL has no ?cpage=.
    return number(value) or ""


def same(value: str) -> str:
    return value


NORMALISE = {"page": page_value, "cpage": comment_page_value}


def canonical_args() -> dict[str, str]:
    """The request's query as the page's one URL has it: known arguments only, once each."""
    found = {}
    for name in QUERY_ARGS.get(request.endpoint, ()):
        if name not in request.args:
            continue
        value = NORMALISE.get(name, same)(request.args[name])
        if value or name not in NORMALISE:
            found[name] = value
    return found


def redirect_to_canonical():
    """A 301 to the page's URL when the query has anything the page does not read, else None."""
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return None
    wanted = canonical_args()
    if sorted(request.args.items(multi=True)) == sorted(wanted.items()):
        return None
    return redirect(url_for(request.endpoint, **(request.view_args or {}), **wanted), 301)
