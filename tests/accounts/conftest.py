"""The accounts area's tests read the mail they cause (resets, confirmations, invitations)."""

import pytest


@pytest.fixture
def app_config():
    return {"MAIL_BACKEND": "memory"}
