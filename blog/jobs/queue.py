"""The huey instance of an app, with every registered job bound to it as a task.

One per app (tests make many apps, each with its own database and queue file). The storage:
- REDIS_URL set: RedisHuey, shared by every worker and app process on every host;
- else a SQLite file: beside the SQLite database (blog.db -> blog-queue.db), or instance/queue.db
  when the database is PostgreSQL. QUEUE_FILE names another file.
"""

import functools
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper
from sqlalchemy.engine import make_url

from blog.jobs.registry import JOBS, Job


@dataclass
class Queue:
    huey: Huey
    tasks: dict[str, TaskWrapper] = field(default_factory=dict)


def queue_file(app: Flask) -> Path:
    if app.config["QUEUE_FILE"]:
        return Path(app.config["QUEUE_FILE"])
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(database.stem + "-queue.db")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return Path(app.instance_path) / "queue.db"


def make_huey(app: Flask) -> Huey:
    # results=False: nothing reads a job's return value, so none is stored.
    options = {"name": "blog", "results": False, "immediate": bool(app.config["QUEUE_IMMEDIATE"])}
    if app.config["REDIS_URL"]:
        return RedisHuey(url=app.config["REDIS_URL"], **options)
    return SqliteHuey(filename=str(queue_file(app)), **options)


def queue_for(app: Flask) -> Queue:
    """The app's queue, made on first use: by then every module with jobs has been imported."""
    queue = app.extensions.get("queue")
    if queue is None or len(queue.tasks) != len(JOBS):
        queue = Queue(make_huey(app))
        for registered in JOBS.values():
            queue.tasks[registered.name] = bind(app, queue.huey, registered)
        app.extensions["queue"] = queue
    return queue


def bind(app: Flask, huey: Huey, registered: Job) -> TaskWrapper:
    """A huey task that runs the job in an app context of its own (and so a database session)."""

    @functools.wraps(registered.fn)
    def run(*args, **kwargs):
        with app.app_context():
            return registered.fn(*args, **kwargs)

    settings = {"name": registered.name}
    if registered.retries:
        delay = float(app.config["QUEUE_RETRY_DELAY"])
        settings |= {"retries": registered.retries, "retry_delay": delay, "retry_backoff": 2}
    if registered.periodic:
        return huey.periodic_task(crontab(minute=registered.periodic), **settings)(run)
    return huey.task(**settings)(run)
