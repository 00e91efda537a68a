"""Reading stats: counts per day, and the day's salt and visitor digests that live only for that day.

What is kept for good is numbers: views and visitors per day (stats_days) and per day and path
(stats_paths), and views per day, path and referring host (stats_referrers). No address, no
User-Agent, no cookie. To count a visitor once a day, a view carries a digest of (address,
User-Agent) keyed with the day's random salt (stats_salts); the digests seen today (stats_seen)
tell a returning visitor from a new one. Both are deleted once their day is over (blog/stats/),
and without the salt a digest can never be tied to an address again.
"""

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import db

PATH_LENGTH = 300  # longer paths are cut: a few long label or search URLs, never a post's permalink
HOST_LENGTH = 253  # the longest DNS name


class StatsDay(db.Model):
    """The blog's views and visitors on one day (in the blog's timezone)."""

    __tablename__ = "stats_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(default=0)
    visitors: Mapped[int] = mapped_column(default=0)


class StatsPath(db.Model):
    """One page's views and visitors on one day: the rows "Export CSV" writes."""

    __tablename__ = "stats_paths"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    path: Mapped[str] = mapped_column(String(PATH_LENGTH), primary_key=True, index=True)
    views: Mapped[int] = mapped_column(default=0)
    visitors: Mapped[int] = mapped_column(default=0)


class StatsReferrer(db.Model):
    """Views of one page on one day that came from a link on another site (its host)."""

    __tablename__ = "stats_referrers"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    path: Mapped[str] = mapped_column(String(PATH_LENGTH), primary_key=True)
    host: Mapped[str] = mapped_column(String(HOST_LENGTH), primary_key=True)
    views: Mapped[int] = mapped_column(default=0)


class StatsSalt(db.Model):
    """Today's random key for visitor digests; deleted when the day is over."""

    __tablename__ = "stats_salts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))  # 32 random bytes, hex


class StatsSeen(db.Model):
    """A visitor digest already counted today (for the day, or for one page); deleted after the day."""

    __tablename__ = "stats_seen"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    digest: Mapped[str] = mapped_column(String(32), primary_key=True)
