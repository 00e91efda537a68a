"""Imports started from the admin area: they run in a background thread while the page polls their progress.

A job's state is a small JSON file in the instance folder (instance/imports/<id>.json), written
atomically as the import goes, so any worker process on the host can answer the progress page.
The uploaded file sits next to it until the import ends. The import itself is the same one
transaction as on the command line: it commits everything or nothing.
"""

import json
import logging
import os
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import Flask, current_app
from werkzeug.datastructures import FileStorage

from blog.extensions import db
from blog.transfer.common import ImportRefused
from blog.transfer.importer import detect, run_import, work_size

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SAVE_EVERY = 0.5  # seconds between progress writes
STALE_AFTER = 300  # a running job silent this long has died with its process (and rolled back)
KEEP_FOR = 7 * 24 * 3600  # finished jobs' summaries are kept a week
log = logging.getLogger(__name__)


@dataclass
class Job:
    id: str
    filename: str
    kind: str
    total: int
    done: int = 0
    state: str = "running"  # running | done | refused | failed
    lines: list[str] = field(default_factory=list)
    updated: float = field(default_factory=time.time)

    @property
    def running(self) -> bool:
        return self.state == "running" and time.time() - self.updated < STALE_AFTER

    @property
    def stopped(self) -> bool:
        """Still marked running, but nothing has happened for minutes: its worker went away."""
        return self.state == "running" and not self.running

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.done / self.total)) if self.total else 0


def folder() -> Path:
    """Where uploads and job states wait: TRANSFER_FOLDER, by default instance/imports."""
    return Path(current_app.config["TRANSFER_FOLDER"] or Path(current_app.instance_path) / "imports")


def save(job: Job, where: Path) -> None:
    job.updated = time.time()
    partial = where / f".{job.id}.json"
    partial.write_text(json.dumps(asdict(job)))
    os.replace(partial, where / f"{job.id}.json")


def load(job_id: str) -> Job | None:
    if not JOB_ID.match(job_id):
        return None
    try:
        data = json.loads((folder() / f"{job_id}.json").read_text())
    except (OSError, ValueError):
        return None
    return Job(**data)


def another_running() -> bool:
    """One import at a time: a second would only wait for the first one's write lock."""
    where = folder()
    return where.is_dir() and any(
        job is not None and job.running for job in (load(p.stem) for p in where.glob("*.json"))
    )


def start(upload: FileStorage, author_id: int | None) -> tuple[Job, threading.Thread]:
    """Store the upload, recognise it (refusing what is no export at all) and start importing it."""
    where = folder()
    where.mkdir(parents=True, exist_ok=True)
    forget_old_jobs(where)
    job_id = secrets.token_urlsafe(18)
    path = where / f"{job_id}.upload"
    upload.save(path)
    try:
        kind = detect(path)
    except ImportRefused:
        path.unlink(missing_ok=True)
        raise
    job = Job(
        id=job_id, filename=(upload.filename or "upload")[-200:], kind=kind, total=work_size(path, kind)
    )
    save(job, where)
    app = current_app._get_current_object()
    thread = threading.Thread(
        target=run, args=(app, job, path, author_id), name=f"import-{job_id}", daemon=True
    )
    thread.start()
    return job, thread


def forget_old_jobs(where: Path) -> None:
    for state in where.glob("*.json"):
        if time.time() - state.stat().st_mtime > KEEP_FOR:
            state.unlink(missing_ok=True)


def run(app: Flask, job: Job, path: Path, author_id: int | None) -> None:
    """The thread's work: import, recording progress now and then and the summary at the end."""
    where = path.parent
    last_save = time.monotonic()

    def progress(size: int) -> None:
        nonlocal last_save
        job.done += size
        if time.monotonic() - last_save > SAVE_EVERY:
            save(job, where)
            last_save = time.monotonic()

    with app.app_context():
        try:
            summary = run_import(path, job.kind, progress=progress, default_author_id=author_id)
            job.state, job.lines = "done", summary.lines()
        except ImportRefused as refusal:
            job.state, job.lines = "refused", [str(refusal), "Nothing was imported."]
        except Exception:
            log.exception("import %s failed", job.id)
            job.state, job.lines = "failed", ["The import failed unexpectedly. Nothing was imported."]
        finally:
            db.session.remove()
            path.unlink(missing_ok=True)
            job.done = job.total if job.state == "done" else job.done
            save(job, where)
