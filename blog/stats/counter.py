"""Counting a view: a small function of plain values, called by the app after each response and by
whatever answers pages before the app (the page cache's hits), then a hand-over to the worker.

count(path, status, address, user_agent, referrer) keeps a view of a reading page (rules.py) by a
client that is no known bot: the day's digests of the visitor (visitors.py) and the referring
host go into the buffer (buffer.py), nothing else. Every STATS_FLUSH_SECONDS a thread of the
process hands its counts to the job queue (memory buffer) or asks a worker to drain the shared
one (Redis), and on a clean exit it hands over what is left; a crash loses at most one interval.
"""

import atexit
import functools
import logging
import os
import threading
import time
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask import Flask

from blog.jobs import enqueue
from blog.models import utcnow
from blog.stats.buffer import MemoryBuffer, RedisBuffer
from blog.stats.rules import bare_host, is_bot, is_page_request, path_classifier, referrer_host
from blog.stats.store import drain_counts, write_counts
from blog.stats.visitors import blog_timezone, day_start_utc, digest, local_day, salt_for

log = logging.getLogger(__name__)


@functools.cache
def wsgi_key(header: str) -> str:
    """The WSGI environ's key of a request header: User-Agent -> HTTP_USER_AGENT."""
    return "HTTP_" + header.upper().replace("-", "_")


class Counter:
    def __init__(self, app: Flask) -> None:
        self.app = app
        config = app.config
        self.enabled = bool(config["STATS_ENABLED"])
        self.interval = float(config["STATS_FLUSH_SECONDS"])
        self.buffer = RedisBuffer(config["REDIS_URL"]) if config["REDIS_URL"] else MemoryBuffer()
        self.countable = path_classifier(app)
        # The blog's own names: a link from one page of the blog to another is no referrer.
        names = [*(config["TRUSTED_HOSTS"] or []), urlsplit(config["BASE_URL"] or "").netloc]
        self.own_hosts = {bare_host(name) for name in names if name}
        self.lock = threading.Lock()
        self.zone = None  # the blog's timezone: its days are the stats' days
        self.day: date | None = None
        self.salt = b""
        # (when the day began, when it ends, as naive UTC; the day; its salt), swapped as one value:
        # a view within the day reads it without the lock or any timezone arithmetic.
        self.current: tuple[datetime, datetime, date, bytes] | None = None
        self.dirty = False  # counted since the last hand-over
        self.timer_pid = None  # the process whose timer thread runs (gunicorn forks after import)

    def count(
        self,
        path: str,
        status: int,
        address: str | None,
        user_agent: str | None,
        referrer: str | None,
        own_host: str | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Count one answered request if it is a view; True when it was. The caller has already
        checked that it was a whole-page GET (rules.is_page_request) by someone other than staff."""
        if not self.enabled or status not in (200, 304) or not self.countable(path):
            return False
        user_agent = user_agent or ""
        if is_bot(user_agent):
            return False
        day, salt = self.today(now or utcnow())
        host = referrer_host(referrer, self.own_hosts) if referrer else None
        if host and own_host and host == bare_host(own_host):  # a link within the blog, by another name
            host = None
        who = (address or "", user_agent)
        try:
            self.buffer.add(day, path, host, digest(salt, *who), digest(salt, *who, path))
        except Exception:  # Redis down: the view goes uncounted, the page is still served
            log.exception("stats: could not count a view")
            return False
        self.dirty = True
        self.start_timer()
        return True

    def count_environ(self, environ: dict, status) -> bool:
        """Count a page answered before any view ran (a page-cache hit), from its WSGI environ and
        status (an int, or a status line like "200 OK"). Such answers go to anonymous readers only."""
        header = lambda name: environ.get(wsgi_key(name))  # noqa: E731
        if not self.enabled or not is_page_request(environ.get("REQUEST_METHOD", ""), header):
            return False
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace") or "/"
        return self.count(
            path,
            int(str(status).split(" ", 1)[0]),
            environ.get("REMOTE_ADDR"),
            header("User-Agent"),
            header("Referer"),
            own_host=header("Host"),
        )

    def today(self, now: datetime) -> tuple[date, bytes]:
        """The blog's date and that day's salt (the old day's is dropped from memory with it)."""
        current = self.current
        if current and current[0] <= now < current[1]:
            return current[2], current[3]
        with self.lock:
            if self.zone is None:  # then read again at each hand-over, off the request path
                with self.app.app_context():
                    self.zone = blog_timezone()
            day = local_day(now, self.zone)
            if day != self.day:
                with self.app.app_context():
                    self.salt = salt_for(day)
                self.day = day
            ends = day_start_utc(day + timedelta(days=1), self.zone)
            self.current = (day_start_utc(day, self.zone), ends, day, self.salt)
            return self.day, self.salt

    def hand_over(self) -> None:
        """Give the counts to the queue: this process's batch, or a request to drain Redis. Also
        reads the blog's timezone again, so a changed setting moves the days within an interval."""
        if not self.dirty:
            return
        self.dirty = False
        with self.app.app_context():
            self.zone = blog_timezone()
            self.current = None  # the day's bounds again, in that timezone
            if self.buffer.shared:
                enqueue(drain_counts)
            else:
                batch = self.buffer.take()
                if batch:
                    enqueue(write_counts, *batch.as_job_args())

    def start_timer(self) -> None:
        if self.interval <= 0 or self.timer_pid == os.getpid():
            return
        with self.lock:
            if self.timer_pid == os.getpid():
                return
            self.timer_pid = os.getpid()
        threading.Thread(target=self.run_timer, name="stats-hand-over", daemon=True).start()
        atexit.register(self.safe_hand_over)

    def run_timer(self) -> None:
        while True:
            time.sleep(self.interval)
            self.safe_hand_over()

    def safe_hand_over(self) -> None:
        try:
            self.hand_over()
        except Exception:  # the queue down: keep counting; the next interval tries again
            log.exception("stats: could not hand the counts over")
