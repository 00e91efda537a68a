"""Writing a batch of views into the daily rows, in one transaction (on SQLite: one write lock per
batch, however many views it holds), and the jobs that do it.

Visitors are counted by inserting the batch's digests into stats_seen, ignoring those already
there: only the new ones are visitors not yet counted today, on any process. INSERT .. ON
CONFLICT DO NOTHING RETURNING makes that exact even when two workers write at once (PostgreSQL).
"""

from collections import Counter
from datetime import timedelta
from itertools import islice

from flask import current_app
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from blog.extensions import db
from blog.jobs import job
from blog.models import utcnow
from blog.models.stats import PATH_LENGTH, StatsDay, StatsPath, StatsReferrer, StatsSeen
from blog.stats.buffer import Batch
from blog.stats.visitors import forget_past_days

CHUNK = 400  # rows per INSERT: well under SQLite's bound on parameters


def dialect_insert(model):
    return (sqlite_insert if db.engine.dialect.name == "sqlite" else postgresql_insert)(model)


def chunks(rows: list, size: int = CHUNK):
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def new_digests(digests: set) -> set:
    """The (day, digest) pairs of the batch not seen before today, now recorded as seen."""
    rows = sorted({(day, digest) for day, _path, digest in digests})
    new = set()
    for chunk in chunks(rows):
        statement = (
            dialect_insert(StatsSeen)
            .values([{"day": day, "digest": digest} for day, digest in chunk])
            .on_conflict_do_nothing()
            .returning(StatsSeen.day, StatsSeen.digest)
        )
        new.update(tuple(row) for row in db.session.execute(statement))
    return new


def add_up(model, keys: tuple[str, ...], rows: list[dict]) -> None:
    """Add each row's numbers to the stored row with the same key (made if missing)."""
    for chunk in chunks(rows):
        statement = dialect_insert(model).values(chunk)
        numbers = {
            name: getattr(model, name) + statement.excluded[name] for name in chunk[0] if name not in keys
        }
        db.session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=numbers))


def write_batch(batch: Batch) -> None:
    """Add a batch to the daily rows and commit."""
    if not batch:
        return
    new = new_digests(batch.digests)
    page_visitors, day_visitors, day_views = Counter(), Counter(), Counter()
    for day, path, digest in batch.digests:
        if (day, digest) not in new:
            continue  # seen earlier today
        if path:
            page_visitors[(day, path)] += 1
        else:
            day_visitors[day] += 1
    for (day, _path), views in batch.views.items():
        day_views[day] += views
    add_up(
        StatsPath,
        ("day", "path"),
        [
            {"day": day, "path": path[:PATH_LENGTH], "views": views, "visitors": page_visitors[(day, path)]}
            for (day, path), views in sorted(batch.views.items())
        ],
    )
    add_up(
        StatsDay,
        ("day",),
        [
            {"day": day, "views": views, "visitors": day_visitors[day]}
            for day, views in sorted(day_views.items())
        ],
    )
    referrers = [
        {"day": day, "path": path[:PATH_LENGTH], "host": host, "views": views}
        for (day, path, host), views in sorted(batch.referrers.items())
    ]
    if referrers:
        add_up(StatsReferrer, ("day", "path", "host"), referrers)
    db.session.commit()


def grace() -> timedelta:
    """How long the digests of a day that ended are kept: until counts still on their way are in."""
    return timedelta(seconds=max(300, 3 * int(current_app.config["STATS_FLUSH_SECONDS"])))


@job
def write_counts(views: list, referrers: list, digests: list) -> None:
    """A process's counts, handed over through the queue (the in-memory buffer)."""
    write_batch(Batch.from_job_args(views, referrers, digests))


@job
def drain_counts() -> None:
    """Write what the shared buffer (Redis) holds; asked for by the processes that counted."""
    counter = current_app.extensions.get("stats")
    if counter is not None and counter.buffer.shared:
        write_batch(counter.buffer.take())


@job(every_minutes=1)
def stats_tick() -> None:
    """Every minute, on the workers: drain the shared buffer (whatever a crashed process asked for
    in vain) and delete the salts and digests of days that are over."""
    drain_counts()
    forget_past_days(utcnow(), grace())
    db.session.commit()
