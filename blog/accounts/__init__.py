"""Accounts: signing in and out, server-side sessions, passwords, the account page, invitations,
open sign-up and first-run setup. Importing the view modules registers their routes on bp."""

from flask import Flask

from blog.accounts import (  # noqa: F401
    join,
    password,
    personal_feed,
    profile,
    setup,
    signin_views,
    signup,
    two_step_views,
)
from blog.accounts.blueprint import bp
from blog.accounts.login_manager import init_login
from blog.accounts.users import find_user_by_email


def init_app(app: Flask) -> None:
    init_login(app)


__all__ = ["bp", "find_user_by_email", "init_app", "init_login"]
