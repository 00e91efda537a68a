"""The blog engine. create_app() reads as the table of contents of the app: configuration, the
extensions, the areas (blueprints), the request pipeline every request passes through, and the
`flask` commands. The package map is in the README's "Developing" section."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from blog import accounts, commands, fediverse, stats, theme, transfer
from blog import db as database
from blog.accounts import bp as accounts_bp
from blog.admin import bp as admin_bp
from blog.api import bp as api_bp
from blog.comments import bp as comments_bp
from blog.config import Config, configure
from blog.extensions import csrf, db, limiter, migrate
from blog.fediverse import bp as fediverse_bp
from blog.followers import bp as followers_bp
from blog.reading import sidebar
from blog.reading.feeds import bp as feeds_bp
from blog.reading.media import bp as media_bp
from blog.reading.search import bp as search_bp
from blog.reading.share import bp as share_bp
from blog.reading.views import bp as reading_bp
from blog.theme.views import bp as theme_bp
from blog.web import (
    assets,
    errors,
    hosts,
    http_cache,
    i18n,
    page_cache,
    precompressed,
    private_blog,
    security,
    templating,
)


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    app = Flask(
        __name__, template_folder="../templates", static_folder="../static", instance_relative_config=True
    )
    app.config.from_object(config or Config)
    configure(app)
    app.config.update(overrides)
    init_extensions(app)
    register_blueprints(app)
    install_request_pipeline(app)
    commands.init_app(app)
    return app


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    # The Limiter object is shared by every app of a process (the tests make many): a new app starts
    # with its storage presumed alive, not in the in-memory fallback an earlier app fell back to.
    limiter._storage_dead = False
    accounts.init_app(app)
    i18n.init_app(app)  # Flask-Babel: the catalogs (compiled if stale) and who reads which language


def register_blueprints(app: Flask) -> None:
    for blueprint in (
        reading_bp,
        search_bp,
        feeds_bp,
        accounts_bp,
        comments_bp,
        media_bp,
        followers_bp,
        fediverse_bp,
        theme_bp,
    ):
        app.register_blueprint(blueprint)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp)  # /api/v1/
    app.register_blueprint(share_bp)


def install_request_pipeline(app: Flask) -> None:
    """Hooks and middleware, in an order that matters. Flask runs after_request hooks in reverse
    order of registration, and each WSGI wrapper installed later sits outside the earlier ones."""
    templating.init_app(app)  # template globals and filters: nothing runs per request
    sidebar.init_app(app)  # the sidebar's data, read by every full page
    theme.init_app(app)  # the theme and the sidebar's layout, read by every full page
    assets.init_app(app)  # static URLs with a content hash
    precompressed.init_app(app)  # static files sent as their .br/.gz copies
    # First of the before_request hooks: on a private blog nothing below answers a signed-out person.
    private_blog.init_app(app)
    # Before the page cache: an imported blog's /?p=123 links redirect to their post before the
    # home page's canonical URL (which reads no ?p=) would send them to the home page.
    transfer.init_app(app)
    # Counting views runs after every hook below (after_request in reverse): it sees the final
    # status (a 304 from http_cache); page-cache hits it counts through cache_front.on_hit.
    stats.init_app(app)
    # The three after_request hooks below run in reverse: security headers first, then the ETag
    # and Cache-Control (over the final headers), then the page-cache store (of the whole answer).
    page_cache.init_app(app)
    fediverse.init_app(app)  # permalinks as ActivityPub JSON: after the cache's hooks (see there)
    http_cache.init_app(app)
    security.init_app(app)  # also wraps the WSGI app: Secure cookies over https
    errors.init_app(app)
    # Outermost but for ProxyFix: the host check sees the host ProxyFix restored, and every other
    # layer sees the public scheme.
    hosts.init_app(app)
    if app.config["PROXY_FIX"]:
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
