"""`flask --app app check`: fails naming each insecure production setting, passes on the documented ones."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from blog.commands import check as check_command

ROOT = Path(__file__).resolve().parents[2]

# The settings the README's Deploy section tells a person to use behind nginx with HTTPS and several workers.
PRODUCTION = {
    "DEBUG": False,
    "SECRET_KEY": "9f2c41d0b7e85a36c1d4f09e7b2a58c3d6e1f4a7b0c9d2e5f8a1b4c7d0e3f6a9",
    "PREFERRED_URL_SCHEME": "https",
    "PROXY_FIX": 1,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    "BASE_URL": "https://blog.example.org",
    "MAIL_BACKEND": "smtp",
}


@pytest.fixture
def check(app, runner, monkeypatch):
    """check(workers=4, **settings) -> click Result, on the production settings changed by `settings`."""
    monkeypatch.setattr(check_command, "filesystem_type", lambda path: "ext4")
    monkeypatch.delenv("GUNICORN_BIND", raising=False)  # gunicorn listens where deploy/ says: 127.0.0.1

    def run(workers=4, **settings):
        app.config.update({**PRODUCTION, **settings})
        # The flask command sets app.debug from FLASK_DEBUG when it loads the app, as `flask --debug` does.
        monkeypatch.setenv("FLASK_DEBUG", "1" if app.config["DEBUG"] else "0")
        return runner.invoke(args=["check", "--workers", str(workers)])

    return run


def test_passes_on_the_documented_production_settings(check):
    result = check()
    assert result.exit_code == 0, result.output
    assert "No problems found" in result.output
    assert "FAIL" not in result.output


@pytest.mark.parametrize(
    "settings, named",
    [
        ({"DEBUG": True}, "DEBUG is on"),
        ({"SECRET_KEY": ""}, "No SECRET_KEY"),
        ({"SECRET_KEY": None}, "No SECRET_KEY"),
        ({"SECRET_KEY": "dev"}, "SECRET_KEY is a well-known value"),
        (
            {"SECRET_KEY": "test-secret-key-only-for-the-test-suite-0123456789"},
            "SECRET_KEY is a well-known value",
        ),
        ({"SECRET_KEY": "s3cr3t-but-short"}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": "ab" * 20}, "SECRET_KEY is weak"),  # long, but two characters
        ({"BASE_URL": None}, "No FLASK_BASE_URL"),
        ({"BASE_URL": "blog.example.org"}, "FLASK_BASE_URL is not a public address"),
        ({"BASE_URL": "https://blog.example.org/blog"}, "FLASK_BASE_URL is not a public address"),
        ({"MAIL_BACKEND": "console"}, "FLASK_MAIL_BACKEND=console"),
        ({"PROXY_FIX": 0}, "FLASK_PROXY_FIX=0 while the app sits behind a proxy"),
        ({"MAX_CONTENT_LENGTH": None}, "No request size limit"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "only approximate"),
        ({"FEDIVERSE_ALLOW_PRIVATE": True}, "FLASK_FEDIVERSE_ALLOW_PRIVATE is on"),
    ],
)
def test_fails_naming_the_insecure_setting(check, settings, named):
    result = check(**settings)
    assert result.exit_code == 1
    assert named in result.output
    assert "1 problem(s) found" in result.output  # that one setting, nothing else


def test_names_every_problem_at_once(check):
    result = check(DEBUG=True, SECRET_KEY="dev", MAX_CONTENT_LENGTH=None, RATELIMIT_STORAGE_URI="memory://")
    assert result.exit_code == 1
    for named in ("DEBUG is on", "well-known value", "No request size limit", "only approximate"):
        assert named in result.output
    assert "4 problem(s) found" in result.output


def test_https_without_a_way_to_tell_fails_and_the_secure_cookie_flag_satisfies_it(check):
    # No proxy, no https public address: only the cookie flag keeps cookies off plain HTTP.
    direct = {"PROXY_FIX": 0, "BEHIND_PROXY": False, "BASE_URL": "http://blog.example.org"}
    result = check(**direct, SESSION_COOKIE_SECURE=False)
    assert result.exit_code == 1 and "cookies are sent over HTTPS only" in result.output
    assert "1 problem(s) found" in result.output
    assert check(**direct, SESSION_COOKIE_SECURE=True).exit_code == 0
    # An https FLASK_BASE_URL makes every request an https one, so cookies get Secure anyway.
    assert check(PROXY_FIX=0, BEHIND_PROXY=False, SESSION_COOKIE_SECURE=False).exit_code == 0


def test_proxy_fix_is_needed_only_behind_a_proxy(check, monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "unix:/run/blog/gunicorn.sock")
    assert "FLASK_PROXY_FIX=0 while the app sits behind a proxy" in check(PROXY_FIX=0).output
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:443")  # gunicorn faces the readers itself
    assert check(PROXY_FIX=0).exit_code == 0
    monkeypatch.delenv("GUNICORN_BIND")
    assert check(PROXY_FIX=0, BEHIND_PROXY=False).exit_code == 0
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:8000")
    assert check(PROXY_FIX=0, BEHIND_PROXY=True).exit_code == 1


def test_memory_rate_limits_are_exact_for_one_worker(check):
    assert check(workers=1, RATELIMIT_STORAGE_URI="memory://").exit_code == 0
    assert check(workers=1, RATELIMIT_STORAGE_URI="memory://", RATELIMIT_ENABLED=False).exit_code == 0
    assert check(workers=3, RATELIMIT_STORAGE_URI="memory://", RATELIMIT_ENABLED=False).exit_code == 0


def test_sqlite_on_a_network_filesystem_fails(check, monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(check_command, "filesystem_type", lambda path: seen.append(path) or "nfs4")
    result = check(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'blog.db'}")
    assert result.exit_code == 1
    assert "network filesystem (nfs4)" in result.output
    assert seen and seen[0] in (tmp_path / "blog.db", tmp_path)


def test_postgresql_is_not_checked_for_its_filesystem(check, monkeypatch):
    monkeypatch.setattr(check_command, "filesystem_type", lambda path: "nfs")
    assert check(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://blog@db.internal/blog").exit_code == 0


def test_filesystem_type_takes_the_longest_mount_point(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "server:/export /srv/blog nfs4 rw 0 0\n"
        "/dev/sdb1 /srv/blog/local ext4 rw 0 0\n"
        "//nas/share /mnt/my\\040share cifs rw 0 0\n"
    )
    assert check_command.filesystem_type(Path("/srv/blog/instance/blog.db"), mounts) == "nfs4"
    assert check_command.filesystem_type(Path("/srv/blog/local/blog.db"), mounts) == "ext4"
    assert check_command.filesystem_type(Path("/srv/blogger/blog.db"), mounts) == "ext4"
    assert check_command.filesystem_type(Path("/mnt/my share/blog.db"), mounts) == "cifs"
    assert check_command.filesystem_type(Path("/x"), tmp_path / "missing") is None


def flask_check(tmp_path, **env) -> subprocess.CompletedProcess:
    """The real command, as a person runs it, in a clean environment plus env."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FLASK_")
        and k not in ("REDIS_URL", "WEB_CONCURRENCY", "DATABASE_URL", "GUNICORN_BIND")
    }
    base["DATABASE_URL"] = f"sqlite:///{tmp_path / 'blog.db'}"
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "check"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


DOCUMENTED_ENV = {
    "FLASK_SECRET_KEY": secrets.token_hex(32),
    "FLASK_PROXY_FIX": "1",
    "FLASK_BASE_URL": "https://blog.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "FLASK_MAIL_BACKEND": "smtp",
    "FLASK_MAIL_SERVER": "smtp.example.org",
    "FLASK_MAIL_FROM": "blog@blog.example.org",
    "WEB_CONCURRENCY": "4",
}


def test_the_command_passes_with_the_documented_environment(tmp_path):
    done = flask_check(tmp_path, **DOCUMENTED_ENV)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No problems found" in done.stdout


def test_the_command_fails_on_debug_and_without_redis_for_several_workers(tmp_path):
    env = {**DOCUMENTED_ENV, "FLASK_DEBUG": "1"}
    del env["REDIS_URL"]
    done = flask_check(tmp_path, **env)
    assert done.returncode == 1
    assert "DEBUG is on" in done.stderr
    assert "with 4 workers they are only approximate" in done.stderr


def test_the_command_names_the_public_address_mail_and_proxy_problems(tmp_path):
    env = {**DOCUMENTED_ENV, "FLASK_PROXY_FIX": "0", "FLASK_MAIL_BACKEND": "console"}
    del env["FLASK_BASE_URL"]
    done = flask_check(tmp_path, **env)
    assert done.returncode == 1
    assert "No FLASK_BASE_URL" in done.stderr
    assert "FLASK_MAIL_BACKEND=console" in done.stderr
    assert "FLASK_PROXY_FIX=0 while the app sits behind a proxy" in done.stderr
    assert "3 problem(s) found" in done.stderr
