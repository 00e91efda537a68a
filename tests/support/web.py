"""Talking to the app as a browser does: the htmx header, CSRF tokens and form values read from pages."""

import re

HTMX = {"HX-Request": "true"}


def csrf_from(html: str) -> str:
    """The CSRF token of a page: a form's hidden field, or the hx-headers of a signed-in page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def token_for(client, path: str | None = None) -> str:
    """A CSRF token for the client's session, read from a page that shows one (by default the sign-in
    page for someone signed out, the home page's hx-headers for someone signed in)."""
    if path is None:
        page = client.get("/signin")
        path = "/" if page.status_code == 302 else "/signin"
    return csrf_from(client.get(path).text)


def field_value(html: str, name: str) -> str | None:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else None
