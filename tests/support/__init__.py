"""What the tests share, one module per part of the app. tests/conftest.py loads the fixtures with
pytest_plugins; the plain helpers are imported: `from tests.support.accounts import sign_in`."""
