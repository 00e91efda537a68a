"""Real servers, all on loopback: the test app in a thread (live_server), gunicorn with the shipped
deploy/gunicorn.conf.py, a throwaway redis-server, and members who sign in and comment over HTTP."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
import requests
from werkzeug.serving import make_server

from blog.extensions import db
from blog.site_settings import ensure_settings
from tests.support.accounts import PASSWORD, make_user, sign_in
from tests.support.web import HTMX, csrf_from

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


@pytest.fixture
def live_server(app):
    """The migrated test app served over HTTP on a free port by a threaded server, so requests really
    run at the same time; yields its base URL (no trailing slash)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(ready, timeout: float, what: str, alive=lambda: True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"{what}: the process exited")
        try:
            if ready():
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{what}: not ready after {timeout} s")


def server_env(database_url: str, secret_key: str, redis_url: str | None = None, **extra: str) -> dict:
    """The environment of an app server: this one's, without the suite's FLASK_*/DATABASE_URL/REDIS_URL."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FLASK_", "GUNICORN_"))
        and k not in ("DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY")
    }
    env.update(DATABASE_URL=database_url, FLASK_SECRET_KEY=secret_key, **extra)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


class Gunicorn:
    """gunicorn -c deploy/gunicorn.conf.py on a free loopback port, in its own process group."""

    def __init__(self, env: dict, log: Path, workers: int = 2, threads: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.workers = workers
        args = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(GUNICORN_CONF),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ]
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            wait_until(self.ready, 60, f"gunicorn on {self.url}", self.alive)
        except Exception as error:
            self.stop()
            raise RuntimeError(f"gunicorn did not start; its log:\n{log.read_text()[-4000:]}") from error

    def ready(self) -> bool:
        status = requests.get(self.url + "/", timeout=5).status_code
        if status >= 500:
            raise RuntimeError(f"the home page answers {status}")
        return status == 200 and len(self.worker_pids()) == self.workers

    def alive(self) -> bool:
        return self.process.poll() is None

    def worker_pids(self) -> list[int]:
        """The workers: the master's children, from /proc."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:  # field 4 of stat: the parent's pid
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


class Redis:
    """A throwaway redis-server on a free loopback port, keeping nothing on disk."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.client = redis.Redis.from_url(self.url)
        try:
            wait_until(
                self.answers, 20, f"redis-server on port {self.port}", lambda: self.process.poll() is None
            )
        except Exception:
            self.stop()
            raise

    def answers(self) -> bool:
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        self.client.close()
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Member:
    """A person with a browser-like session: signs in through /signin, then posts through the comment form."""

    def __init__(self, email: str):
        self.email = email
        self.http = requests.Session()
        self.token = ""

    def sign_in(self, base: str, password: str = PASSWORD, expect=302) -> requests.Response:
        return sign_in(self.http, self.email, password, base=base, expect=expect)

    def load_token(self, base: str, post_path: str) -> None:
        self.token = csrf_from(self.http.get(base + post_path, timeout=30).text)

    def comment(self, base: str, post_id: int, body: str, key: str | None = None) -> requests.Response:
        """Post through the comment form as htmx does (200 and the section when stored)."""
        data = {"body": body, "key": key or uuid.uuid4().hex, "csrf_token": self.token}
        return self.http.post(
            f"{base}/posts/{post_id}/comments", data=data, headers=HTMX, timeout=30, allow_redirects=False
        )


def section(base: str, post_id: int) -> str:
    """The comment section as an anonymous reader's htmx request gets it (no cookies)."""
    response = requests.get(f"{base}/posts/{post_id}/comments", headers=HTMX, timeout=30)
    assert response.status_code == 200, response.status_code
    return response.text


def busy_post(app, make_post, title: str, members: int):
    """A post, `members` members, and no pause between one member's comments (the load is the point)."""
    post = make_post(title)
    people = [make_user(app, f"member{i}@example.test", f"Member {i}") for i in range(members)]
    with app.app_context():
        ensure_settings().comment_interval_seconds = 0
        db.session.commit()
    return post, people
