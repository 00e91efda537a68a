"""Registered jobs: plain functions marked with @job, found by name when the worker runs them."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    fn: Callable[..., object]
    retries: int = 0
    periodic: str | None = None  # "every minute": a crontab minute field for periodic jobs

    @property
    def name(self) -> str:
        return job_name(self.fn)


JOBS: dict[str, Job] = {}


def job_name(fn: Callable[..., object]) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def job(fn: Callable[..., object] | None = None, *, retries: int = 0, every_minutes: int | None = None):
    """Register fn as a job: `@job`, `@job(retries=8)` (retried with backoff on any exception), or
    `@job(every_minutes=1)` (also run by the workers on that period)."""

    def register(fn: Callable[..., object]):
        periodic = f"*/{every_minutes}" if every_minutes else None
        JOBS[job_name(fn)] = Job(fn, retries, periodic)
        return fn

    return register(fn) if fn is not None else register
