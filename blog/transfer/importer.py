"""Running an import: recognise the file, read it (twice where comments may come first), write it in
one transaction, and either commit everything or, on any refusal or error, nothing at all."""

import os
from collections.abc import Callable
from pathlib import Path

from flask import g
from sqlalchemy.exc import SQLAlchemyError

from blog.extensions import db
from blog.transfer import blogger, jsonl, wordpress
from blog.transfer.common import ImportRefused, Summary
from blog.transfer.store import Store
from blog.transfer.xmlsafe import root_name

READERS = {"blogger": blogger.read, "wordpress": wordpress.read, "jsonl": jsonl.read}
# Blogger and JSON Lines files are read twice, comments second (they may come before their post);
# WordPress keeps each post's comments inside it, so once is enough.
PHASES = {"blogger": ("content", "comments"), "wordpress": ("content",), "jsonl": ("content", "comments")}
KINDS = tuple(READERS)


def detect(path: Path) -> str:
    """blogger (an Atom feed), wordpress (an RSS feed) or jsonl (our backup), from the file itself."""
    with open(path, "rb") as raw:
        start = raw.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        if not start:
            raise ImportRefused("The file is empty.")
        if start.startswith(b"{"):
            return "jsonl"
        raw.seek(0)
        name = root_name(raw)
    if name == "feed":
        return "blogger"
    if name == "rss":
        return "wordpress"
    raise ImportRefused(
        f"This is neither a Blogger export, a WordPress export nor a JSON Lines backup "
        f"(its root element is <{name}>)."
    )


def check_kind(path: Path, kind: str) -> None:
    """Refuse a file of another kind than the command names (a WordPress file given to `import blogger`)."""
    found = detect(path)
    if found != kind:
        names = {
            "blogger": "a Blogger export",
            "wordpress": "a WordPress export (WXR)",
            "jsonl": "a JSON Lines backup",
        }
        raise ImportRefused(f"This file is {names[found]}, not {names[kind]}.")


def work_size(path: Path, kind: str) -> int:
    """Bytes the progress bar counts: the file is read once per phase."""
    return os.path.getsize(path) * len(PHASES[kind])


def run_import(
    path: Path, kind: str, progress: Callable[[int], None] | None = None, default_author_id: int | None = None
) -> Summary:
    """Import the file in one transaction; raises ImportRefused (nothing changed) when it cannot."""
    check_kind(path, kind)
    summary = Summary()
    try:
        store = Store(summary, default_author_id)
        for phase in PHASES[kind]:
            with open(path, "rb") as raw:
                for record in READERS[kind](raw, phase, progress):
                    store.handle(record)
        store.finish()
        db.session.commit()
    except ImportRefused:
        db.session.rollback()
        raise
    except SQLAlchemyError as error:
        db.session.rollback()
        reason = getattr(error, "orig", None) or error
        raise ImportRefused(f"The database refused the import ({str(reason).splitlines()[0]}).") from error
    except BaseException:
        db.session.rollback()
        raise
    finally:
        g.pop("blog_settings", None)  # the settings may have changed: read them afresh
    return summary
