"""The API's blueprint and what every answer of it gets: JSON errors (never an HTML page), CORS for
any origin, a rate limit per client address, and ETag/304 (respond())."""

import json

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException, NotFound

from blog.extensions import limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Read-only and public (or, on a private blog, read with a token sent as a header, never a cookie
# another site's page could use): any origin may read it.
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Authorization, If-None-Match",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Expose-Headers": "ETag, Link, Retry-After, RateLimit-Limit, RateLimit-Remaining, "
    "RateLimit-Reset",
    "Access-Control-Max-Age": "86400",
}

limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], methods=["GET", "HEAD"])(bp)


def json_response(data, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(body + "\n", status=status, mimetype="application/json")


def respond(data, links: dict[str, str] | None = None) -> Response:
    """200 with the JSON and an ETag (a hash of it), or 304 when the client has it already. The
    validator makes a repeat request cost the client nothing; Cache-Control tells caches to ask."""
    response = json_response(data)
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    response.headers["Cache-Control"] = "public, no-cache"  # private on a private blog (web/private_blog.py)
    response.add_etag()
    return response.make_conditional(request)


def error(status: int, message: str) -> Response:
    names = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed"}
    names |= {429: "too_many_requests"}
    return json_response({"error": names.get(status, "error"), "message": message, "status": status}, status)


def http_error(exc: HTTPException) -> Response:
    """Every error of the API as JSON, with the status and headers (Retry-After, Allow) it had."""
    messages = {404: "Not found.", 429: "Too many requests: slow down and try again later."}
    response = error(exc.code or 500, messages.get(exc.code, exc.description or exc.name))
    for name in ("Retry-After", "Allow", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"):
        value = exc.get_response().headers.get(name)
        if value:
            response.headers[name] = value
    return response


# By code: the app's own handlers for a code (the HTML 404 page) come before any by class.
for code in (400, 401, 403, 404, 405, 413, 429, 500):
    bp.register_error_handler(code, http_error)


@bp.record_once
def method_not_allowed_as_json(state) -> None:
    """A method the API does not take fails in routing, before any blueprint is known: answer it
    as JSON here for API URLs, and as before for the rest."""

    def handler(exc: HTTPException):
        if request.path.startswith(bp.url_prefix + "/"):
            return cors(http_error(exc))
        return exc

    state.app.register_error_handler(405, handler)


@bp.after_request
def cors(response: Response) -> Response:
    response.headers.update(CORS)
    return response


@bp.route("/<path:anything>")
def unknown(anything: str):
    """An API URL that names nothing: a JSON 404, not the blog's 404 page."""
    raise NotFound()
