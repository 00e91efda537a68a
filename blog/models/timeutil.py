"""All times are stored as naive UTC; they are shown in the blog's timezone (see blog/web/dates.py)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
