"""`flask --app app worker`: run background jobs (mail, sending posts to followers)."""

import click
from flask import Flask, current_app

from blog.jobs.worker import run_worker


@click.command("worker")
@click.option("--threads", default=1, show_default=True, help="Jobs run at once in this process.")
def worker_command(threads: int) -> None:
    """Run a background worker until Ctrl+C; start as many as you like, on any host."""
    run_worker(current_app._get_current_object(), threads)


def init_app(app: Flask) -> None:
    app.cli.add_command(worker_command)
