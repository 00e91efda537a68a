"""The comment tests read the mail they cause (replies, moderation notices)."""

import pytest


@pytest.fixture
def app_config():
    return {"MAIL_BACKEND": "memory"}
