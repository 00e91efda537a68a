"""The day's salt and the visitor digests made with it.

A visitor is one (address, User-Agent) pair a day. Counting one needs to recognise the pair again
during the day, but never after: each day gets 32 random bytes (a row in stats_salts, shared by
every process and host through the database), a view is reduced to an HMAC of the pair keyed
with it, and the salt row is deleted as soon as the day is over. From then on a digest is a
random-looking number that nobody, the blog's owner included, can tie to an address.

Two digests per view: one of the pair (a visitor of the blog that day) and one of the pair and
the path (a visitor of that page), so the stored digests cannot be linked to each other either.
"""

import hmac
import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from blog.db import insert_missing, write_now
from blog.extensions import db
from blog.models import BlogSettings
from blog.models.stats import StatsSalt, StatsSeen

DIGEST_CHARS = 32  # 128 bits of the HMAC-SHA256, hex


def read(statement):
    """One value, read on a connection of its own: counting runs after a request's work (or before
    Flask, in a WSGI layer) and must not touch the session's transaction."""
    with db.engine.connect() as connection:
        return connection.scalar(statement)


def blog_timezone() -> ZoneInfo:
    """The blog's timezone (its days are the stats' days), read from the settings row."""
    name = read(select(BlogSettings.timezone).where(BlogSettings.id == 1))
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def local_day(now_utc: datetime, zone: ZoneInfo) -> date:
    """The blog's date at a naive UTC time."""
    return now_utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()


def day_start_utc(day: date, zone: ZoneInfo) -> datetime:
    """When the blog's day began, as naive UTC."""
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    return start.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def salt_for(day: date) -> bytes:
    """The day's salt, made by the first process that needs it (a concurrent one keeps the first),
    and the salts of earlier days deleted: only one day's salt ever exists."""
    query = select(StatsSalt.salt).where(StatsSalt.day == day)
    salt = read(query)
    if salt is None:
        write_now(insert_missing(StatsSalt.__table__, day=day, salt=secrets.token_hex(32)))
        write_now(delete(StatsSalt).where(StatsSalt.day < day))
        salt = read(query)
    return bytes.fromhex(salt)


def digest(salt: bytes, *parts: str) -> str:
    message = "\x00".join(parts).encode("utf-8", "surrogateescape")
    return hmac.digest(salt, message, "sha256").hex()[:DIGEST_CHARS]


def forget_past_days(now_utc: datetime, grace: timedelta) -> None:
    """Delete the salts of days that are over, and their digests once `grace` has passed since
    (counts of the day that ended may still be on their way from other processes)."""
    zone = blog_timezone()
    today = local_day(now_utc, zone)
    db.session.execute(delete(StatsSalt).where(StatsSalt.day < today))
    settled = local_day(now_utc - grace, zone)
    db.session.execute(delete(StatsSeen).where(StatsSeen.day < settled))
