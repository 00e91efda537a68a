"""The suite's fixtures live in tests/support/, one module per part of the app; an area's own fixtures
live in its folder's conftest.py (tests/admin/, tests/comments/, ...)."""

pytest_plugins = [
    "tests.support.database",
    "tests.support.accounts",
    "tests.support.content",
    "tests.support.live",
    "tests.support.fediverse",
]
