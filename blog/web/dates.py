"""Times in the blog's timezone and in the language of the page (Babel), for pages and feeds: the blog's
language, or in the admin area the person's own (i18n.py)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_datetime, format_time, get_datetime_format
from flask_babel import get_locale

from blog.site_settings import get_settings
from blog.web.i18n import blog_locale


def blog_zone() -> ZoneInfo:
    try:
        return ZoneInfo(get_settings().timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def locale() -> str:
    chosen = get_locale()
    return str(chosen) if chosen is not None else blog_locale()


def to_local(moment: datetime, zone: ZoneInfo | None = None) -> datetime:
    """A stored naive-UTC time as an aware time in the blog's timezone."""
    return moment.replace(tzinfo=UTC).astimezone(zone or blog_zone())


def local_date(moment: datetime) -> date:
    return to_local(moment).date()


def date_header(moment: datetime | date) -> str:
    """'Monday, October 23, 2017' (or that date in the blog's language)."""
    day = moment if type(moment) is date else local_date(moment)
    return format_date(day, "full", locale=locale())


def time_of_day(moment: datetime) -> str:
    return format_time(to_local(moment), "short", locale=locale())


def date_time(moment: datetime) -> str:
    return format_datetime(to_local(moment), "medium", locale=locale())


def day_and_time(moment: datetime) -> str:
    """'October 23, 2017, 10:15 AM': when a comment was written, to the minute."""
    local = to_local(moment)
    pattern = get_datetime_format("long", locale=locale()).replace("'", "")
    return pattern.format(
        format_time(local, "short", locale=locale()), format_date(local, "long", locale=locale())
    )


def month_name(year: int, month: int) -> str:
    return format_date(date(year, month, 1), "LLLL y", locale=locale())


def iso(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).isoformat(timespec="seconds")
