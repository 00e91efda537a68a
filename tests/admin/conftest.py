"""The admin area: an admin signed in through the form, and the CSRF token of their session."""

import pytest

from tests.support.accounts import sign_in
from tests.support.web import token_for


@pytest.fixture
def admin_token(client, admin) -> str:
    """Signs the client in as the admin; the CSRF token the admin's forms carry."""
    sign_in(client, admin.email)
    return token_for(client, "/")
