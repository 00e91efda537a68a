"""Kept so that `from blog.auth import ...` still works: the accounts area lives in blog/accounts/."""

from .accounts import bp, find_user_by_email, init_login
from .accounts.forms import SignInForm

__all__ = ["SignInForm", "bp", "find_user_by_email", "init_login"]
