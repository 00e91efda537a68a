"""Stats without trackers: views, visitors, top posts and referrers, counted on the server.

A view is counted where the page is answered (after the app's response, and for page-cache hits
through cache_front.on_hit), buffered (counter.py, buffer.py) and written by the worker in batches
as daily rows (store.py); report.py reads them back for the admin's Stats screen. The README's
"Privacy" section says what is kept.
"""

from flask import Flask, Response, current_app, g, request
from flask_login import current_user

from blog.stats import store  # noqa: F401  registers the jobs
from blog.stats.counter import Counter
from blog.stats.rules import is_page_request
from blog.web import cache_front


def init_app(app: Flask) -> None:
    app.extensions["stats"] = stats = Counter(app)
    app.after_request(count_response)
    cache_front.on_hit(app, stats.count_environ)


def counter() -> Counter:
    return current_app.extensions["stats"]


def count_response(response: Response) -> Response:
    """after_request: count an answer of the app (cache hits are counted by count_hit)."""
    stats = counter()
    if (
        not stats.enabled
        or g.get("page_cache_hit")
        or not is_page_request(request.method, request.headers.get)
    ):
        return response
    if not stats.countable(request.path) or signed_in_staff():
        return response
    stats.count(
        request.path,
        response.status_code,
        request.remote_addr,
        request.user_agent.string,
        request.referrer,
        own_host=request.host,
    )
    return response


def signed_in_staff() -> bool:
    """Staff reading their own blog are not readers. Without a session cookie nobody is signed in
    (and the session is not touched, so the answer gets no Vary: Cookie)."""
    cookies, config = request.cookies, current_app.config
    if config["SESSION_COOKIE_NAME"] not in cookies and config["REMEMBER_COOKIE_NAME"] not in cookies:
        return False
    return current_user.is_authenticated and current_user.is_staff
