"""Blocked servers (Settings, one host a line): a name covers its subdomains, an IP address only
itself, and a line with a port only that port."""

from urllib.parse import urlsplit

from blog.site_settings import get_settings


def parse(text: str | None) -> list[str]:
    entries = []
    for line in (text or "").splitlines():
        entry = line.strip().lower().rstrip(".")
        if entry and not entry.startswith("#"):
            entries.append(entry)
    return entries


def split_host(netloc: str) -> tuple[str, int | None]:
    parts = urlsplit("//" + netloc.strip().lower())
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or netloc).rstrip("."), port


def matches(entry: str, netloc: str) -> bool:
    name, port = split_host(netloc)
    blocked_name, blocked_port = split_host(entry)
    if blocked_port is not None and blocked_port != port:
        return False
    return name == blocked_name or name.endswith("." + blocked_name)


def is_blocked(url_or_netloc: str, entries: list[str] | None = None) -> bool:
    netloc = urlsplit(url_or_netloc).netloc if "://" in url_or_netloc else url_or_netloc
    if entries is None:
        entries = parse(get_settings().blocked_servers)
    return any(matches(entry, netloc) for entry in entries)


def parse_current() -> list[str]:
    return parse(get_settings().blocked_servers)
