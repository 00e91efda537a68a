"""Follow by email benchmark: what publishing costs the author, and how fast workers deliver.

    python bench/followers.py                       # SQLite, as shipped (WAL, synchronous=FULL)
    python bench/followers.py --followers 10000 --messages 3000 --publishes 15
    DATABASE_URL=postgresql://... REDIS_URL=redis://... python bench/followers.py   # scratch database!

1. Publishing: an admin publishes posts through the editor (the real POST, timed around the
   request) with 0 and then 10,000 confirmed followers, in alternating rounds so the machine's
   load falls on both alike. No worker runs: the request only queues the mailing, and the
   benchmark checks that it wrote no delivery row.
2. Delivery: one, then two `flask --app app worker` processes send one post to --messages
   confirmed followers through a local SMTP server (aiosmtpd, in this process, accepting and
   counting). The rate is taken from the rows' own sent_at times (first to last), so polling
   cannot blur it; the time from queueing to the last message, fan-out included, is shown too.
On PostgreSQL the database named by DATABASE_URL is emptied (schema public dropped) first.
"""

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the blog
sys.path.insert(0, str(ROOT / "bench"))  # its tools, as bench/bench.py imports them

from tools import empty_postgresql, free_port  # noqa: E402

PASSWORD = "a benchmark passphrase"


class CountingSink:
    """An SMTP server that accepts every message and only counts it (parsing would cost the sink)."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def environment(tmp: Path, smtp_port: int) -> dict:
    env = {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'blog.db'}",
        "FLASK_SECRET_KEY": "bench-secret-key-0123456789-0123456789-0123456789",
        "FLASK_BASE_URL": "http://bench.test",
        "FLASK_RATELIMIT_ENABLED": "false",
        "FLASK_QUEUE_FILE": str(tmp / "queue.db"),
        "FLASK_MAIL_BACKEND": "smtp",
        "FLASK_MAIL_SERVER": "127.0.0.1",
        "FLASK_MAIL_PORT": str(smtp_port),
        "FLASK_MAIL_FROM": "blog@bench.test",
    }
    if os.environ.get("REDIS_URL"):
        env["FLASK_REDIS_URL"] = os.environ["REDIS_URL"]
    return env


def make_app(env: dict):
    os.environ.update(env)
    from flask_migrate import upgrade

    from blog import create_app

    url = env["DATABASE_URL"]
    empty_postgresql(url)
    app = create_app()
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "admin@bench.test", "--name", "Admin", "--role", "admin"]
        + ["--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    return app


def token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html
    )
    return match.group(1)


def set_followers(app, count: int) -> None:
    from sqlalchemy import delete, insert

    from blog.extensions import db
    from blog.models import Delivery, Follower, utcnow

    with app.app_context():
        db.session.execute(delete(Delivery))
        db.session.execute(delete(Follower))
        now = utcnow()
        rows = [
            {
                "email": f"reader{i:05d}@bench.test",
                "status": "confirmed",
                "created_at": now,
                "confirmed_at": now,
            }
            | {"failures": 0}
            for i in range(count)
        ]
        if rows:
            db.session.execute(insert(Follower), rows)
        db.session.commit()


def checkpoint(app) -> None:
    """Write SQLite's WAL back now, so the first publish does not pay for the bulk insert before it."""

    from blog.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            raw = db.engine.raw_connection()  # outside any transaction, as the pragma needs
            try:
                raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()


def time_publishing(app, followers: int, rounds: int, per_round: int) -> dict[int, list[float]]:
    """Milliseconds per publishing request, with 0 and with `followers` confirmed followers."""
    client = app.test_client()
    page = client.get("/signin").text
    signed = client.post(
        "/signin", data={"email": "admin@bench.test", "password": PASSWORD, "csrf_token": token(page)}
    )
    assert signed.status_code == 302, signed.text[:300]
    csrf = token(client.get("/admin/posts/new").text)
    times: dict[int, list[float]] = {0: [], followers: []}
    n = 0
    for _ in range(rounds):
        for count in (0, followers):
            set_followers(app, count)
            checkpoint(app)
            for _ in range(per_round):
                n += 1
                data = {
                    "csrf_token": csrf,
                    "action": "publish",
                    "title": f"Post {n}",
                    "body": "News *today*.",
                }
                data |= {"labels": "", "slug": "", "published_at": "", "comments_allowed": "y"}
                started = time.perf_counter()
                response = client.post("/admin/posts/new", data=data)
                times[count].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 302, response.text[:300]
    with app.app_context():
        from sqlalchemy import func, select

        from blog.extensions import db
        from blog.models import Delivery

        assert db.session.scalar(select(func.count()).select_from(Delivery)) == 0, "a request sent mail"
    return times


def start_worker(env: dict, log: Path, profile: str | None = None) -> subprocess.Popen:
    command = [sys.executable, "-m", "flask", "--app", "app", "worker"]
    if profile:  # py-spy samples the worker; collapsed stacks, one line each, count at the end
        command = ["py-spy", "record", "--format", "raw", "--rate", "200", "-o", profile, "--", *command]
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def time_delivery(
    app, env: dict, tmp: Path, sink: CountingSink, workers: int, messages: int, profile: str | None = None
) -> dict:
    """Send one post to `messages` followers with this many worker processes."""
    from sqlalchemy import delete, func, insert, select

    from blog.extensions import db
    from blog.followers.sending import mail_due_posts
    from blog.jobs import enqueue
    from blog.models import Delivery, DeliveryStatus, Post, PostMailing, utcnow

    set_followers(app, messages)
    with app.app_context():
        # Every post is old news (marked mailed) until the workers are up; then the newest is not.
        db.session.execute(delete(PostMailing))
        db.session.execute(
            insert(PostMailing).from_select(["post_id", "created_at"], select(Post.id, db.literal(utcnow())))
        )
        db.session.commit()
    for stale in tmp.glob("queue.db*"):  # the publishing part's queued jobs: nothing left to do
        stale.unlink()
    received = sink.count
    processes = [start_worker(env, tmp / f"worker-{workers}-{i}.log", profile) for i in range(workers)]
    try:
        time.sleep(4)  # started, and their first look at the queue done
        with app.app_context():
            newest = db.session.scalar(select(func.max(Post.id)))
            db.session.execute(delete(PostMailing).where(PostMailing.post_id == newest))
            db.session.commit()
            started = time.perf_counter()
            enqueue(mail_due_posts)
        while True:
            with app.app_context():
                sent = db.session.scalar(
                    select(func.count()).select_from(Delivery).where(Delivery.status == DeliveryStatus.SENT)
                )
            if sent >= messages:
                break
            if time.perf_counter() - started > 600:
                raise SystemExit(f"only {sent} of {messages} sent in 10 minutes")
            time.sleep(0.1)
        total = time.perf_counter() - started
        with app.app_context():
            first, last = db.session.execute(
                select(func.min(Delivery.sent_at), func.max(Delivery.sent_at))
            ).one()
    finally:
        for process in processes:
            stop_worker(process)
    span = (last - first).total_seconds()
    return {
        "workers": workers,
        "messages": messages,
        "received": sink.count - received,
        "rate": (messages - 1) / span if span else float("inf"),
        "total_seconds": total,
    }


def smtp_floor(port: int, messages: int) -> float:
    """Messages/s of the SMTP exchange alone: one connection sending one ready-made message again
    and again to the same sink, nothing else. A worker cannot beat this; the gap is its own work."""
    import smtplib

    text = "From: blog@bench.test\nTo: r@bench.test\nSubject: floor\n\n" + "A line of text.\n" * 40
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        started = time.perf_counter()
        for _ in range(messages):
            smtp.sendmail("blog@bench.test", ["r@bench.test"], text)
        return messages / (time.perf_counter() - started)


def summary(ms: list[float]) -> str:
    ordered = sorted(ms)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    return f"median {statistics.median(ordered):.1f} ms, p90 {p90:.1f} ms, {len(ordered)} requests"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--followers", type=int, default=10_000, help="followers while publishing")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of publishing")
    parser.add_argument("--publishes", type=int, default=10, help="posts published per round and case")
    parser.add_argument("--messages", type=int, default=3000, help="followers the delivery part mails")
    parser.add_argument(
        "--profile", metavar="FILE", help="py-spy the one-worker run into FILE (collapsed stacks)"
    )
    args = parser.parse_args()
    sink = CountingSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            env = environment(tmp, port)
            app = make_app(env)
            backend = env["DATABASE_URL"].split(":", 1)[0].split("+")[0]
            queue = "Redis" if env.get("FLASK_REDIS_URL") else "a SQLite file"
            print(f"database: {backend}; queue: {queue}", flush=True)
            times = time_publishing(app, args.followers, args.rounds, args.publishes)
            for count, ms in times.items():
                print(f"publishing with {count:>6,} confirmed followers: {summary(ms)}", flush=True)
            floor = smtp_floor(port, min(args.messages, 2000))
            print(f"the SMTP exchange alone, one connection: {floor:.0f} messages/s", flush=True)
            for workers in (1, 2):
                profile = args.profile if workers == 1 else None
                result = time_delivery(app, env, tmp, sink, workers, args.messages, profile)
                print(
                    f"delivery, {workers} worker{'s' if workers > 1 else ''}: {result['rate']:.0f} messages/s "
                    f"({result['messages']:,} messages, {result['received']:,} received by the sink, "
                    f"{result['total_seconds']:.1f} s from queueing to the last one)",
                    flush=True,
                )
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
