"""Every setting is declared once, in blog/config.py, and the README's "Configuration" table lists
each one a user may set: a setting added to Config without a row, or a row naming a setting Config
lacks (a typo, a setting removed), fails here. The code reads settings plainly (config["X"]), so a
default written anywhere else would also fail here."""

import re
from pathlib import Path

from flask import Flask

from blog.config import Config

ROOT = Path(__file__).resolve().parent.parent

# Declared in Config but left out of the README on purpose, with the reason.
NOT_FOR_USERS = {
    "SQLALCHEMY_ENGINE_OPTIONS": "how the app's own connection pool behaves",
    # Security choices docs/SECURITY.md promises: changing them would weaken the blog.
    "SESSION_COOKIE_HTTPONLY": "a security choice, not a preference",
    "SESSION_COOKIE_SAMESITE": "a security choice, not a preference",
    "REMEMBER_COOKIE_HTTPONLY": "a security choice, not a preference",
    "REMEMBER_COOKIE_SAMESITE": "a security choice, not a preference",
    "WTF_CSRF_TIME_LIMIT": "a security choice, not a preference",
    "REMEMBER_COOKIE_NAME": "a cookie's name: nothing to gain from changing it",
    "RATELIMIT_HEADERS_ENABLED": "what a limited answer says; not a preference",
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": "what happens when Redis is down; not a preference",
    "CACHE_TYPE": "follows FLASK_CACHE_REDIS_URL",
    "CACHE_KEY_PREFIX": "keeps page entries apart in Redis; not a preference",
    "SEND_FILE_MAX_AGE_DEFAULT": "static URLs carry a content hash: a year is always right",
    "QUEUE_IMMEDIATE": "for the test suite: jobs run in the app process, without a worker",
}
# Environment variables read by configure() itself, and the setting each one fills.
UNPREFIXED = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI", "REDIS_URL": "REDIS_URL"}


def declared() -> set[str]:
    return {name for name in vars(Config) if name.isupper()}


def configuration_section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("\n## Configuration\n", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]


def documented() -> set[str]:
    """The settings named in the first column of the Configuration table."""
    names = set()
    for line in configuration_section().splitlines():
        if not line.startswith("| ") or line.startswith("| ---"):
            continue
        for variable in re.findall(r"`([A-Z][A-Z0-9_]*)`", line.split("|")[1]):
            names.add(UNPREFIXED.get(variable) or variable.removeprefix("FLASK_"))
    return names


def test_every_setting_a_user_may_set_is_in_the_readme_table():
    assert sorted(declared() - set(NOT_FOR_USERS) - documented()) == []


def test_the_readme_table_names_only_settings_that_exist():
    assert sorted(documented() - declared()) == []


def test_every_variable_in_the_table_is_prefixed_or_read_by_configure():
    variables = set()
    for line in configuration_section().splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            variables |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", line.split("|")[1]))
    assert variables, "the Configuration table was not found"
    assert sorted(v for v in variables if not v.startswith("FLASK_") and v not in UNPREFIXED) == []


def test_the_allow_list_names_only_settings_that_exist_and_are_not_documented():
    assert sorted(set(NOT_FOR_USERS) - declared()) == []
    assert sorted(set(NOT_FOR_USERS) & documented()) == []


def test_the_code_reads_only_declared_settings_and_writes_no_defaults_of_its_own():
    """A setting read in blog/ is one of Config's or one of Flask's own, and is read plainly: a
    config.get(...) or config.setdefault(...) could carry a default of its own, declaring it twice."""
    known = declared() | set(Flask.default_config)
    read, loose = set(), []
    for path in sorted((ROOT / "blog").rglob("*.py")):
        source = path.read_text()
        read |= set(re.findall(r"config\[\"([A-Z][A-Z0-9_]*)\"\]", source))
        loose += [
            f"{path.relative_to(ROOT)}: {m}" for m in re.findall(r"config\.(?:get|setdefault)\(.*", source)
        ]
    assert sorted(read - known) == []
    assert loose == []
