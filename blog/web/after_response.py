"""Work that runs once the response has gone out: mail the client must not wait for.

A view calls after_response(job, *args); the job runs when the WSGI server closes the response
(werkzeug's call_on_close), in an app context of its own, after the answer is sent. So the
answer's timing cannot tell whether a mail was sent (no account enumeration by timing), and a slow
or failing mail server neither delays nor breaks it: a failing job is logged, never raised.

Until the blog has a job queue this is the stand-in: a job lost to a crash between the answer and
the send is lost (the person asks again).
"""

from collections.abc import Callable

from flask import Flask, after_this_request, current_app


def after_response(job: Callable[..., object], *args, **kwargs) -> None:
    """Run job(*args, **kwargs) after this request's response has been sent."""
    app = current_app._get_current_object()

    @after_this_request
    def schedule(response):
        response.call_on_close(lambda: run(app, job, args, kwargs))
        return response


def run(app: Flask, job: Callable[..., object], args: tuple, kwargs: dict) -> None:
    with app.app_context():
        try:
            job(*args, **kwargs)
        except Exception:
            app.logger.exception("work after the response failed: %s", getattr(job, "__name__", job))
