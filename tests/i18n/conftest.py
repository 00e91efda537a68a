"""The language tests read the mail they cause."""

import pytest


@pytest.fixture
def app_config():
    return {"MAIL_BACKEND": "memory"}
