"""The shipped deployment files: gunicorn's settings load and follow the environment, nginx's parse."""

import http.client
import http.server
import os
import re
import runpy
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.support.nginx import whole_config

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


def nginx_conf(tmp_path, site: str) -> Path:
    """A whole nginx.conf around the site file, writing only under tmp_path."""
    return whole_config(tmp_path, site)


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_config(tmp_path):
    conf = nginx_conf(tmp_path, (DEPLOY / "nginx.conf").read_text())
    done = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_nginx_closes_connections_for_unknown_hosts():
    site = (DEPLOY / "nginx.conf").read_text()
    default = re.search(r"server \{[^{}]*\bdefault_server\b[^{}]*\}", site)
    assert default, "a default_server block"
    block = default.group(0)
    for listen in ("listen 80 default_server;", "listen 443 ssl default_server;", "ssl_reject_handshake on;"):
        assert listen in block
    assert "return 444;" in block and "proxy_pass" not in block
    assert site.index(block) < site.index("server_name blog.example.org;")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_answers_only_the_blogs_own_name(tmp_path):
    """The shipped config, run: the blog's name reaches the app; any other Host gets the connection
    closed without an answer (444), and TLS for an unknown name is refused at the handshake."""

    class App(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = f"app saw {self.headers['Host']}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    app_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), App)
    threading.Thread(target=app_server.serve_forever, daemon=True).start()
    http_port, https_port = free_port(), free_port()
    site = (
        (DEPLOY / "nginx.conf")
        .read_text()
        .replace("127.0.0.1:8000", f"127.0.0.1:{app_server.server_port}")
        .replace("listen [::]:80 default_server;", "")
        .replace("listen [::]:443 ssl default_server;", "")
        .replace("listen [::]:80;", "")
        .replace("listen 80", f"listen 127.0.0.1:{http_port}")
        .replace("listen 443", f"listen 127.0.0.1:{https_port}")
    )
    conf = nginx_conf(tmp_path, site)
    nginx = subprocess.Popen(
        ["nginx", "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", http_port), timeout=1).close()
                break
            except OSError:
                assert nginx.poll() is None and time.monotonic() < deadline, (
                    tmp_path / "error.log"
                ).read_text()
                time.sleep(0.05)

        def get(host: str):
            conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=5)
            try:
                conn.request("GET", "/", headers={"Host": host})
                response = conn.getresponse()
                return response.status, response.read().decode()
            finally:
                conn.close()

        assert get("blog.example.org") == (200, "app saw blog.example.org")
        for host in ("attacker.example", "127.0.0.1", "blog.example.org.attacker.example"):
            with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
                get(host)
        assert get("")[0] == 400  # no Host at all: nginx refuses it itself
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        with socket.create_connection(("127.0.0.1", https_port), timeout=5) as raw:
            with pytest.raises(ssl.SSLError):
                context.wrap_socket(raw, server_hostname="attacker.example")
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        app_server.shutdown()
        app_server.server_close()


def test_the_worker_unit_runs_the_worker_command_with_the_apps_settings():
    unit = (DEPLOY / "blog-worker.service").read_text()
    app_unit = (DEPLOY / "blog.service").read_text()
    assert "ExecStart=/srv/blog/.venv/bin/flask --app app worker" in unit
    assert "EnvironmentFile=/etc/blog/blog.env" in unit and "EnvironmentFile=/etc/blog/blog.env" in app_unit
    assert "KillSignal=SIGINT" in unit and "Restart=on-failure" in unit
    assert "ReadWritePaths=/srv/blog/instance" in unit  # the queue file lives beside a SQLite database
