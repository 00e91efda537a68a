"""The worker: huey's consumer running this app's jobs, started by `flask --app app worker`."""

import logging

from flask import Flask

from blog.jobs.queue import queue_for
from blog.jobs.registry import JOBS


def run_worker(app: Flask, threads: int = 1) -> None:
    """Run jobs until SIGINT or SIGTERM (huey finishes the jobs in hand on SIGINT).

    At start every periodic job is queued once, so the work a killed worker left (claimed mail
    whose lease runs out) is picked up at once rather than at the next period."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    queue = queue_for(app)
    queue.huey.immediate = False
    for registered in JOBS.values():
        if registered.periodic:
            queue.tasks[registered.name]()
    # max_delay: an idle worker looks at a SQLite queue at least once a second (Redis blocks instead).
    consumer = queue.huey.create_consumer(workers=threads, worker_type="thread", periodic=True, max_delay=1.0)
    consumer.run()
