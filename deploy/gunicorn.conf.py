"""gunicorn settings for the blog, from the checkout:  gunicorn -c deploy/gunicorn.conf.py

Environment: WEB_CONCURRENCY (worker processes), GUNICORN_THREADS (threads per worker),
GUNICORN_BIND (address, default 127.0.0.1:8000), GUNICORN_ACCESSLOG ("-" for stdout; nginx
already logs every request). Command-line options override everything here.

This file deliberately imports nothing from the blog: a graceful reload (kill -HUP) forks new
workers from the master, and a master that had imported the blog would hand them the old code.
"""

import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


wsgi_app = "app:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Processes do the work (the GIL lets one thread run Python at a time); 2 x cores + 1 keeps every
# core busy while some workers wait on the database. Capped: each worker holds its own connections.
workers = _env_int("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 8))
# Threads keep a worker useful while it waits (database, a slow client) and give keep-alive to nginx.
worker_class = "gthread"
threads = _env_int("GUNICORN_THREADS", 4)

# Each worker builds its own app, engine and connections after the fork, so no SQLite or
# PostgreSQL connection is ever shared between processes (see post_fork for --preload).
preload_app = False

timeout = 30  # a worker silent this long is killed and replaced
graceful_timeout = 30  # on reload/stop, requests in flight get this long to finish
keepalive = 5
# Recycle workers now and then (with jitter, so they don't all restart at once): a slow leak in
# any library cannot grow forever. Rarely, though: a worker serves over a thousand cached pages a
# second, and each restart costs a boot and a cold page cache (seconds of p99 in bench/run).
max_requests = 100_000
max_requests_jitter = 10_000

# X-Forwarded-Proto is believed from the local nginx only; the app's ProxyFix (FLASK_PROXY_FIX=1)
# restores the client address for rate limits.
forwarded_allow_ips = "127.0.0.1,::1"
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
# gunicorn's control socket defaults to one path per user; two servers on one host would collide.
control_socket_disable = True


def post_fork(server, worker):
    """With --preload the master built the app; drop any connection it opened so that each worker
    opens its own (a SQLite or PostgreSQL connection must never cross a fork)."""
    if not server.cfg.preload_app:
        return
    app = getattr(server.app, "callable", None)
    if app is None or not hasattr(app, "app_context"):
        return
    from blog.extensions import db  # already imported by the master when preloading

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
