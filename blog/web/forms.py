"""The one form every area shares: a POST-only button (delete, unsubscribe, confirm, turn on) that
carries nothing but the CSRF token."""

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """A POST-only button: just the CSRF token."""
