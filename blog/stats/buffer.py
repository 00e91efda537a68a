"""Where views wait between a request and the database: in the process's memory, or in Redis
(REDIS_URL) where every process and host adds to the same counts.

Either way a view costs no database write: the worker writes a whole batch at once
(blog/stats/store.py). A batch holds numbers and digests only, never an address or User-Agent.
"""

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import redis

PREFIX = "blog:stats:"
VIEWS, REFERRERS, DIGESTS = PREFIX + "views", PREFIX + "referrers", PREFIX + "digests"

# Read and empty the three keys in one atomic step, so a view counted meanwhile lands in the next batch.
DRAIN_SCRIPT = """
local views = redis.call('HGETALL', KEYS[1])
local referrers = redis.call('HGETALL', KEYS[2])
local digests = redis.call('SMEMBERS', KEYS[3])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return {views, referrers, digests}
"""


@dataclass
class Batch:
    """Counts waiting to be written: views per (day, path), views per (day, path, referring host),
    and visitor digests per (day, path), with path "" for the blog as a whole."""

    views: Counter = field(default_factory=Counter)
    referrers: Counter = field(default_factory=Counter)
    digests: set = field(default_factory=set)

    def add(self, day: date, path: str, host: str | None, visitor: str, page_visitor: str) -> None:
        self.views[(day, path)] += 1
        if host:
            self.referrers[(day, path, host)] += 1
        self.digests.add((day, "", visitor))
        self.digests.add((day, path, page_visitor))

    def __bool__(self) -> bool:
        return bool(self.views)

    def as_job_args(self) -> tuple[list, list, list]:
        """Plain lists (ISO dates) to travel through the job queue."""
        return (
            [(day.isoformat(), path, n) for (day, path), n in self.views.items()],
            [(day.isoformat(), path, host, n) for (day, path, host), n in self.referrers.items()],
            [(day.isoformat(), path, digest) for day, path, digest in self.digests],
        )

    @classmethod
    def from_job_args(cls, views: list, referrers: list, digests: list) -> "Batch":
        batch = cls()
        for day, path, n in views:
            batch.views[(date.fromisoformat(day), path)] += int(n)
        for day, path, host, n in referrers:
            batch.referrers[(date.fromisoformat(day), path, host)] += int(n)
        batch.digests = {(date.fromisoformat(day), path, digest) for day, path, digest in digests}
        return batch


class MemoryBuffer:
    """This process's views since the last hand-over; threads of the process share it."""

    shared = False

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.batch = Batch()

    def add(self, *view) -> None:
        with self.lock:
            self.batch.add(*view)

    def take(self) -> Batch:
        with self.lock:
            batch, self.batch = self.batch, Batch()
        return batch


class RedisBuffer:
    """Counts in Redis, shared by every process: a view is one round trip, a drain one atomic script."""

    shared = True

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.drain_script = self.client.register_script(DRAIN_SCRIPT)

    def add(self, day: date, path: str, host: str | None, visitor: str, page_visitor: str) -> None:
        iso = day.isoformat()
        pipe = self.client.pipeline(transaction=False)
        pipe.hincrby(VIEWS, json.dumps([iso, path]), 1)
        if host:
            pipe.hincrby(REFERRERS, json.dumps([iso, path, host]), 1)
        pipe.sadd(DIGESTS, json.dumps([iso, "", visitor]), json.dumps([iso, path, page_visitor]))
        pipe.execute()

    def take(self) -> Batch:
        views, referrers, digests = self.drain_script(keys=[VIEWS, REFERRERS, DIGESTS])
        pairs = lambda flat: zip(flat[::2], flat[1::2], strict=True)  # noqa: E731  HGETALL's flat list
        return Batch.from_job_args(
            [(*json.loads(key), int(n)) for key, n in pairs(views)],
            [(*json.loads(key), int(n)) for key, n in pairs(referrers)],
            [json.loads(member) for member in digests],
        )
