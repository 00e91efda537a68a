"""The blog engine: create_app() builds the Flask app from a short list of setup steps."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    accounts,
    assets,
    backup,
    caching,
    checks,
    cli,
    errors,
    hosts,
    page_cache,
    security,
    sidebar,
    templating,
    transfer,
)
from . import (
    db as database,
)
from .accounts import bp as auth_bp
from .admin import bp as admin_bp
from .comments import bp as comments_bp
from .config import Config, configure
from .extensions import csrf, db, limiter, migrate
from .feeds import bp as feeds_bp
from .media import bp as media_bp
from .reading import bp as reading_bp
from .search import bp as search_bp


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    app = Flask(
        __name__, template_folder="../templates", static_folder="../static", instance_relative_config=True
    )
    app.config.from_object(config or Config)
    configure(app)
    app.config.update(overrides)

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    accounts.init_app(app)

    for blueprint in (reading_bp, search_bp, feeds_bp, auth_bp, comments_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(media_bp)

    templating.init_app(app)
    sidebar.init_app(app)
    assets.init_app(app)
    # Before the page cache: an imported blog's /?p=123 links redirect to their post before the
    # home page's canonical URL (which reads no ?p=) would send them to the home page.
    transfer.init_app(app)
    page_cache.init_app(app)
    caching.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    checks.init_app(app)
    backup.init_app(app)
    hosts.init_app(app)  # inside ProxyFix: it checks the host ProxyFix restored
    if app.config["PROXY_FIX"]:
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app
