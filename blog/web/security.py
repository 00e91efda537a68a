"""Security on every response: headers, the Origin check, Secure cookies behind HTTPS, safe `next`.

Cookies: Flask's session cookie and Flask-Login's remember cookie are always HttpOnly and
SameSite=Lax (config.py). They get the Secure flag automatically on every response to a request
that arrived over HTTPS, as the app sees it, which behind a reverse proxy means through ProxyFix
(PROXY_FIX=1 and X-Forwarded-Proto: https). SESSION_COOKIE_SECURE / REMEMBER_COOKIE_SECURE = true
(FLASK_SESSION_COOKIE_SECURE=true ...) force the flag even on plain HTTP, for a proxy that does not
say which scheme it served.
"""

import re
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def init_app(app: Flask) -> None:
    # Forcing the session cookie Secure forces the remember cookie too, unless set on its own.
    if app.config["REMEMBER_COOKIE_SECURE"] is None:
        app.config["REMEMBER_COOKIE_SECURE"] = bool(app.config["SESSION_COOKIE_SECURE"])
    app.before_request(refuse_foreign_origin)
    app.after_request(add_security_headers)
    # Installed before create_app() wraps the app in ProxyFix, so it sees the scheme ProxyFix restored.
    app.wsgi_app = SecureCookiesOverHttps(app.wsgi_app)


def refuse_foreign_origin() -> None:
    """Refuse a state-changing request sent from another site's page (403).

    A request without an Origin header (an older browser, a script) is accepted: the CSRF token
    still protects it. The check runs for every blueprint, so no endpoint can forget it."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("Origin")
    if origin is None:
        return
    own = f"{request.scheme}://{request.host}".lower()
    trusted = {o.rstrip("/").lower() for o in current_app.config["TRUSTED_ORIGINS"]}
    if origin.rstrip("/").lower() != own and origin.rstrip("/").lower() not in trusted:
        current_app.logger.warning("refused %s %s from origin %r", request.method, request.path, origin[:200])
        abort(403)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    seconds = current_app.config["HSTS_SECONDS"]
    if request.is_secure and seconds:
        # Only over HTTPS: a browser ignores it on HTTP, and a blog served on plain HTTP must stay reachable.
        headers.setdefault("Strict-Transport-Security", f"max-age={int(seconds)}")
    return response


class SecureCookiesOverHttps:
    """WSGI middleware: add `Secure` to every Set-Cookie of a response to an HTTPS request.

    Flask reads SESSION_COOKIE_SECURE (and Flask-Login REMEMBER_COOKIE_SECURE) from static config;
    this makes the flag follow the request instead, so one configuration serves both a local HTTP
    run and an HTTPS deployment."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def start_secure(status, headers, exc_info=None):
            headers = [
                (name, with_secure_flag(value) if name.lower() == "set-cookie" else value)
                for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_secure)


def with_secure_flag(cookie: str) -> str:
    return cookie if re.search(r";\s*secure\s*(;|$)", cookie, re.IGNORECASE) else cookie + "; Secure"


def safe_next(target: str | None) -> str | None:
    """Return target if it is a path on this site, else None.

    Control characters and whitespace are dropped first (browsers ignore them too, so
    "/\\t/evil.example" is really "//evil.example"), then only a path that starts with exactly
    one "/" and holds no backslash (browsers read "\\" as "/") passes."""
    if not target:
        return None
    target = "".join(ch for ch in target.strip() if ch.isprintable() and not ch.isspace())
    if "\\" in target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
