"""The shipped deployment files: gunicorn's settings load and follow the environment, nginx's parse."""

import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_BIND", "GUNICORN_ACCESSLOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_defaults_scale_with_the_cores_and_never_preload(monkeypatch):
    settings = gunicorn_settings(monkeypatch)
    assert settings["workers"] == min(2 * (os.cpu_count() or 1) + 1, 8)
    assert settings["worker_class"] == "gthread" and settings["threads"] == 4
    assert settings["preload_app"] is False  # each worker opens its own database connections
    assert settings["bind"] == "127.0.0.1:8000"
    assert settings["graceful_timeout"] >= 30 and settings["timeout"] >= 30
    assert settings["max_requests"] > 0 and 0 < settings["max_requests_jitter"] < settings["max_requests"]
    assert settings["wsgi_app"] == "app:create_app()"


def test_gunicorn_follows_the_environment(monkeypatch):
    settings = gunicorn_settings(
        monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="8", GUNICORN_BIND="10.0.0.5:9000"
    )
    assert (settings["workers"], settings["threads"], settings["bind"]) == (3, 8, "10.0.0.5:9000")
    assert gunicorn_settings(monkeypatch, WEB_CONCURRENCY="lots")["workers"] >= 1


def test_gunicorn_accepts_the_config():
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", str(DEPLOY / "gunicorn.conf.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_deploy_files_use_the_cookie_names_the_app_sets(app):
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert f"$cookie_{app.config['SESSION_COOKIE_NAME']}" in nginx
    assert f"$cookie_{app.config.get('REMEMBER_COOKIE_NAME', 'remember_token')}" in nginx
    unit = (DEPLOY / "blog.service").read_text()
    assert "gunicorn -c deploy/gunicorn.conf.py" in unit


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_config(tmp_path):
    site = (DEPLOY / "nginx.conf").read_text().replace("/var/cache/nginx/blog", str(tmp_path / "cache"))
    (tmp_path / "blog.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/f; uwsgi_temp_path {tmp_path}/u; scgi_temp_path {tmp_path}/s;
    include {tmp_path}/blog.conf;
}}
""")
    done = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
