"""Telling a page request from an htmx fragment request, and answering both correctly."""

import json

from flask import Response, request
from flask_wtf.csrf import generate_csrf


def wants_partial() -> bool:
    """True for an htmx request that wants a fragment; boosted navigation and history restores
    (back/forward after the cache missed) get the whole page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def vary_on_htmx(response: Response) -> Response:
    """Mark a response whose body depends on HX-Request, so caches keep the two apart."""
    response.vary.add("HX-Request")
    return response


def csrf_header() -> str:
    """The hx-headers value that sends the CSRF token with every htmx request of a signed-in page."""
    return json.dumps({"X-CSRFToken": generate_csrf()})
