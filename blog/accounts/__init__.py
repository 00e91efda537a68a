"""Accounts: signing in and out, server-side sessions, passwords, the account page, invitations,
open sign-up and first-run setup. Importing the view modules registers their routes on bp."""

from flask import Flask

from . import cli, join, password, profile, setup, signin, signup, two_step_views  # noqa: F401
from .blueprint import bp
from .login import init_login
from .users import find_user_by_email


def init_app(app: Flask) -> None:
    init_login(app)
    cli.init_app(app)


__all__ = ["bp", "find_user_by_email", "init_app", "init_login"]
