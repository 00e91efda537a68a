"""Real parts for the queue tests: an SMTP server (aiosmtpd) that keeps what it receives, a worker
process (`flask --app app worker`) against the test database, and Redis as the queue on PostgreSQL."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.support.live import Redis, free_port, server_env

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql"))


class SmtpSink:
    """An SMTP server on 127.0.0.1:port keeping every accepted message. on_message(sink, envelope) may
    run first and return an SMTP answer of its own (a refusal) instead of accepting."""

    def __init__(self, port: int | None = None, on_message=None):
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.on_message = on_message
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        if self.on_message is not None:
            answer = self.on_message(self, envelope)
            if answer:
                return answer
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def start(self) -> "SmtpSink":
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(m["To"] for m in self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 60) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"{len(self.messages)} messages arrived, not {count}")


class Worker:
    """`flask --app app worker` in a process of its own, with the test app's settings."""

    def __init__(self, app, tmp_path: Path, **env: str):
        extra = {
            "FLASK_MAIL_BACKEND": "smtp",
            "FLASK_MAIL_SERVER": "127.0.0.1",
            "FLASK_MAIL_PORT": str(app.config["MAIL_PORT"]),
            "FLASK_MAIL_TIMEOUT": "5",
            "FLASK_QUEUE_RETRY_DELAY": str(app.config["QUEUE_RETRY_DELAY"]),
            "FLASK_FOLLOWER_LEASE_SECONDS": str(app.config.get("FOLLOWER_LEASE_SECONDS", 300)),
            "FLASK_MAIL_LEASE_SECONDS": str(app.config.get("MAIL_LEASE_SECONDS", 300)),
            "FLASK_RATELIMIT_ENABLED": "false",
        }
        if app.config.get("BASE_URL"):
            extra["FLASK_BASE_URL"] = app.config["BASE_URL"]
        if app.config.get("QUEUE_FILE"):
            extra["FLASK_QUEUE_FILE"] = app.config["QUEUE_FILE"]
        extra.update(env)
        self.log = tmp_path / f"worker-{time.monotonic_ns()}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "app", "worker"],
                cwd=ROOT,
                env=server_env(
                    app.config["SQLALCHEMY_DATABASE_URI"],
                    app.config["SECRET_KEY"],
                    app.config.get("REDIS_URL"),
                    **extra,
                ),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL: no chance to finish or tidy anything."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text()


class KillAt:
    """An SmtpSink's on_message: once the sink holds `count` messages, the first of `workers` is
    killed (SIGKILL) while it waits for the answer to the next one, which is refused (451)."""

    def __init__(self, workers: list["Worker"], count: int):
        self.workers, self.count = workers, count
        self.killed = threading.Event()

    def __call__(self, sink: SmtpSink, envelope) -> str | None:
        if len(sink.messages) == self.count and not self.killed.is_set():
            self.workers[0].kill()
            self.killed.set()
            return "451 4.3.0 try again later"
        return None


def queue_app_config(tmp_path: Path, redis: Redis | None, smtp_port: int, **extra) -> dict:
    """An app that queues for a real worker (no in-process jobs), mailing over SMTP to smtp_port."""
    config = {
        "QUEUE_IMMEDIATE": False,
        "QUEUE_RETRY_DELAY": 1,
        "QUEUE_FILE": str(tmp_path / "queue.db"),
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_FROM": "blog@example.test",
        "RATELIMIT_ENABLED": False,
        **extra,
    }
    if redis is not None:
        config["REDIS_URL"] = redis.url
    return config


@pytest.fixture
def queue_redis(tmp_path):
    """On PostgreSQL the queue lives in Redis (a real redis-server); on SQLite in a file beside it."""
    if not ON_POSTGRESQL:
        yield None
        return
    if shutil.which("redis-server") is None:
        pytest.fail("the PostgreSQL run keeps the queue in Redis: apt-get install redis-server")
    server = Redis(tmp_path)
    yield server
    server.stop()
