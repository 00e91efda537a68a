"""Background work on a job queue (huey): requests only enqueue; `flask --app app worker` runs the jobs.

Where the queue lives (queue.py): in Redis when REDIS_URL is set (any number of workers on any
number of hosts), else in a SQLite file beside the database (instance/queue.db for PostgreSQL
without Redis). A job is a plain function registered with @job; enqueue(fn, *args) puts a call to
it on the queue, and the worker runs it in an app context of its own. Arguments travel pickled:
pass ids and strings, not model objects.

A job must be safe to run twice: huey takes a job off the queue before running it, so a worker
killed mid-job loses that job, and whatever it was doing has to be found again from the database
(the periodic sweeps do that, see blog/followers/sending.py). Jobs that fail with an exception
are retried with a doubling delay when registered with retries.

In tests, QUEUE_IMMEDIATE runs each job in-process: at once outside a request, and once the
response has been sent inside one (as a worker would, never inside the request's transaction).
"""

from collections.abc import Callable

from flask import after_this_request, current_app, has_request_context

from blog.jobs.queue import queue_for
from blog.jobs.registry import job, job_name

__all__ = ["enqueue", "job"]


def enqueue(fn: Callable[..., object], *args, delay: float | None = None, **kwargs) -> None:
    """Put a call of the registered job fn on the queue (after `delay` seconds, if given)."""
    app = current_app._get_current_object()
    queue = queue_for(app)
    task = queue.tasks[job_name(fn)]
    if queue.huey.immediate and has_request_context():

        @after_this_request
        def later(response):
            response.call_on_close(lambda: task(*args, **kwargs))
            return response

        return
    if delay:
        task.schedule(args=args, kwargs=kwargs, delay=delay)
    else:
        task(*args, **kwargs)
