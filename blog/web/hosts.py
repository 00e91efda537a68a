"""The blog's public address: which host and scheme every absolute URL is built from.

With BASE_URL (FLASK_BASE_URL=https://blog.example.org) the blog has one public address:
- a request for any other host (its Host header, or X-Forwarded-Host through ProxyFix) gets 400,
  so no page, link or cache entry is ever built from a host the client chose;
- every request is then seen as one for BASE_URL itself (host and scheme), so url_for(_external=True),
  request.base_url and the Origin check all agree with it, behind a proxy or not;
- SERVER_NAME and PREFERRED_URL_SCHEME follow it, for URLs built outside a request (commands,
  mail sent after the response).

Without BASE_URL (development) the Host header is whatever the client sent: pages may use it, but
an emailed link never does unless the host is trusted (TRUSTED_HOSTS, else the loopback names the
development server answers on); otherwise the mail is not sent and the log says why.
"""

from urllib.parse import urlsplit

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest
from werkzeug.sansio.utils import host_is_trusted

LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


def parse_base_url(value: str) -> tuple[str, str]:
    """(scheme, host[:port]) of a base URL; ValueError unless it is http(s)://host[:port][/]."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"BASE_URL must look like https://blog.example.org, not {value!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"BASE_URL must be only a scheme and a host (no path, no user), not {value!r}")
    return parts.scheme, parts.netloc.lower()


def hostname(host: str) -> str:
    """The name in host[:port] (the port plays no part in checking a host, as in werkzeug)."""
    return urlsplit("//" + host).hostname or host


def init_app(app: Flask) -> None:
    """Adopt BASE_URL, if set. Call last in create_app(), just inside ProxyFix, so the host it
    checks is the one ProxyFix restored and every other middleware sees the public scheme."""
    base = app.config["BASE_URL"]
    if not base:
        return
    scheme, host = parse_base_url(base)
    app.config["BASE_URL"] = f"{scheme}://{host}"
    app.config["SERVER_NAME"] = host
    app.config["PREFERRED_URL_SCHEME"] = scheme
    app.config["TRUSTED_HOSTS"] = [hostname(host)]
    app.wsgi_app = PublicAddress(app.wsgi_app, scheme, host)


class PublicAddress:
    """WSGI middleware: refuse requests for another host (400), and see every other one as a
    request for the public address (its scheme and host), whatever the proxy in between said."""

    def __init__(self, wsgi_app, scheme: str, host: str):
        self.wsgi_app, self.scheme, self.host = wsgi_app, scheme, host
        self.trusted = [hostname(host)]

    def __call__(self, environ, start_response):
        asked = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if not host_is_trusted(asked, self.trusted):
            return BadRequest(f"This blog is served at {self.scheme}://{self.host}/ only.")(
                environ, start_response
            )
        environ["HTTP_HOST"] = self.host
        environ["wsgi.url_scheme"] = self.scheme
        return self.wsgi_app(environ, start_response)


def link_root() -> str | None:
    """Where emailed links start ("https://blog.example.org"), or None when the request's host is not
    one to put in a mail: without BASE_URL, only a trusted host is (see the module's docstring)."""
    base = current_app.config["BASE_URL"]
    if base:
        return base.rstrip("/")
    trusted = current_app.config["TRUSTED_HOSTS"] or LOOPBACK_HOSTS
    if not host_is_trusted(request.host, trusted):
        current_app.logger.error(
            "mail with links not sent: the request was for host %r, which is not trusted; set "
            "FLASK_BASE_URL to the blog's public address",
            request.host[:200],
        )
        return None
    return request.host_url.rstrip("/")


def url_for_path(endpoint: str, **values) -> str:
    """url_for() without a request: the path only, so the caller chooses the host."""
    adapter = current_app.url_map.bind("localhost", script_name=current_app.config["APPLICATION_ROOT"])
    return adapter.build(endpoint, values)
