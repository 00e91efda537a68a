"""HTTP caching: validators on public pages, private pages for signed-in people.

A page that is the same for every reader gets an ETag (a hash of its body) and answers a
matching conditional GET with 304. Browsers and proxies must revalidate (no-cache), so a new
comment or a scheduled post that comes due shows up on the next request.
"""

from flask import Flask, Response, request
from flask_login import current_user

CACHEABLE_TYPES = (
    "text/html",
    "application/atom+xml",
    "application/rss+xml",
    "application/xml",
    "text/plain",
)


def init_app(app: Flask) -> None:
    @app.after_request
    def set_cache_headers(response: Response) -> Response:
        if (
            request.endpoint == "static"
            or response.status_code != 200
            or request.method not in ("GET", "HEAD")
        ):
            return response
        if "Cache-Control" in response.headers:
            return response
        if current_user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-cache"
            return response
        if response.mimetype in CACHEABLE_TYPES and not response.is_streamed:
            response.headers["Cache-Control"] = "public, no-cache"
            response.add_etag()
            response.make_conditional(request)
        return response
