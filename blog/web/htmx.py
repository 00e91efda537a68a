"""Telling a page request from an htmx fragment request, and answering both correctly.

Every answer whose body depends on HX-Request says so in Vary, so a cache never gives a fragment
to a page load or the other way round; the helpers here add it, views do not."""

import json

from flask import Response, make_response, render_template, request
from flask_wtf.csrf import generate_csrf


def is_htmx() -> bool:
    """True for any request htmx sent, whole-page ones (boosted, history restore) included."""
    return request.headers.get("HX-Request") == "true"


def wants_partial() -> bool:
    """True for an htmx request that wants a fragment; boosted navigation and history restores
    (back/forward after the cache missed) get the whole page."""
    headers = request.headers
    return (
        is_htmx()
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def vary_on_htmx(response: Response) -> Response:
    """Mark a response whose body depends on HX-Request, so caches keep the two apart."""
    response.vary.add("HX-Request")
    return response


def partial(template: str, status: int = 200, /, **context) -> Response:
    """A rendered template (a fragment, or a page chosen by htmx headers) marked as varying on them."""
    return vary_on_htmx(make_response(render_template(template, **context), status))


def page_or_fragment(page: str, fragment: str, status: int = 200, /, **context) -> Response:
    """The fragment template for an htmx request that wants one, else the whole page, from one context."""
    return partial(fragment if wants_partial() else page, status, **context)


def hx_redirect(url: str, status: int = 200) -> Response:
    """An empty answer that makes htmx load `url` as a whole page (a 3xx would be followed by the
    XMLHttpRequest and its page swapped into the element that asked)."""
    response = make_response("", status)
    response.headers["HX-Redirect"] = url
    return response


def csrf_header() -> str:
    """The hx-headers value that sends the CSRF token with every htmx request of a signed-in page."""
    return json.dumps({"X-CSRFToken": generate_csrf()})
