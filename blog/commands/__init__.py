"""Every `flask` command the blog adds, registered in one place. Commands that belong to one area
(invitations, import and export) keep their code in that area and are registered here."""

from flask import Flask

from blog.accounts import cli as accounts_cli
from blog.commands import assets, backup, check, translations, users, worker
from blog.transfer import cli as transfer_cli


def init_app(app: Flask) -> None:
    users.init_app(app)  # users create, demo
    check.init_app(app)
    backup.init_app(app)  # backup, restore
    accounts_cli.init_app(app)  # setup-link, invitations
    transfer_cli.init_app(app)  # import, export
    worker.init_app(app)  # worker: runs the background jobs
    assets.init_app(app)  # assets compress: the static files' .br/.gz copies
    translations.init_app(app)  # translations compile: the catalogs' .mo files
