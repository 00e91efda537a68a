"""The JSON Lines backup: one JSON object per line, the first one naming the format and the blog's settings.

Written from the same records as the Atom export and read back into them, field by field, with
every value checked: a line that is not what this format writes refuses the whole file.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from datetime import datetime
from typing import BinaryIO

from blog.transfer.common import (
    CommentRecord,
    EntryRecord,
    ImportRefused,
    LabelRecord,
    SettingsRecord,
    Skipped,
    parse_iso,
)

FORMAT = "blog-engine-jsonl"
VERSION = 1
ENTRY_TIMES = ("published_at", "updated_at", "created_at")
COMMENT_TIMES = ("created_at", "edited_at")
ENTRY_TEXT = (
    "origin",
    "title",
    "body",
    "body_format",
    "status",
    "author_name",
    "author_email",
    "search_description",
)
COMMENT_TEXT = ("origin", "post_origin", "body", "author_name", "author_email", "status")


def as_json(record) -> dict:
    data = {
        k: (v.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(v, datetime) else v)
        for k, v in asdict(record).items()
    }
    if isinstance(record, SettingsRecord):
        return {"type": "blog", "format": FORMAT, "version": VERSION, **data}
    if isinstance(record, LabelRecord):
        return {"type": "label", **data}
    if isinstance(record, EntryRecord):
        data.pop("html", None)
        data.pop("month", None)
        return {"type": data.pop("kind"), **data}
    return {"type": "comment", **data}


def write(out: BinaryIO, records: Iterable, updated: datetime | None) -> None:
    out.writelines(
        json.dumps(as_json(record), ensure_ascii=False, sort_keys=True).encode() + b"\n" for record in records
    )


def read(raw: BinaryIO, phase: str, progress: Callable[[int], None] | None = None) -> Iterator:
    """Records of one phase: "content" (settings, labels, posts, pages) or "comments"."""
    for number, line in enumerate(raw, 1):
        if progress:
            progress(len(line))
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ImportRefused(
                f"Line {number} is not JSON ({error}); the file may be cut short or damaged."
            ) from None
        if not isinstance(data, dict):
            raise ImportRefused(f"Line {number} is not a JSON object.")
        if number == 1 and (data.get("type") != "blog" or data.get("format") != FORMAT):
            raise ImportRefused("This is not a JSON Lines backup made by `flask export`.")
        record = parse(data, number)
        if (phase == "comments") == isinstance(record, CommentRecord):
            yield record


def text_field(data: dict, name: str, number: int, default: str = "") -> str:
    value = data.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ImportRefused(f"Line {number}: {name} should be text.")
    return value


def times(data: dict, number: int, names: tuple[str, ...]) -> dict:
    found = {}
    for name in names:
        value = text_field(data, name, number)
        found[name] = parse_iso(value) if value else None
        if value and found[name] is None:
            raise ImportRefused(f"Line {number}: {name} is not a time.")
    return found


def text_list(data: dict, name: str, number: int) -> list[str]:
    value = data.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ImportRefused(f"Line {number}: {name} should be a list of text.")
    return value


def parse(data: dict, number: int):
    kind = data.get("type")
    if kind == "blog":
        return SettingsRecord(
            **{
                name: text_field(data, name, number) or None
                for name in ("title", "description", "comment_policy", "language", "timezone")
            }
        )
    if kind == "label":
        return LabelRecord(name=text_field(data, "name", number).strip()[:100])
    if kind in ("post", "page"):
        position = data.get("position", 0)
        if not isinstance(position, int) or isinstance(position, bool):
            raise ImportRefused(f"Line {number}: position should be a number.")
        return EntryRecord(
            kind=kind,
            **{name: text_field(data, name, number) for name in ENTRY_TEXT},
            **times(data, number, ENTRY_TIMES),
            path=text_field(data, "path", number) or None,
            slug=data["slug"] if isinstance(data.get("slug"), str) else None,
            old_paths=text_list(data, "old_paths", number),
            labels=text_list(data, "labels", number),
            comments_allowed=data.get("comments_allowed", True) is not False,
            position=position,
        )
    if kind == "comment":
        found = times(data, number, COMMENT_TIMES)
        return CommentRecord(
            **{name: text_field(data, name, number) for name in COMMENT_TEXT},
            parent_origin=text_field(data, "parent_origin", number) or None,
            source=data["source"] if isinstance(data.get("source"), str) else None,
            created_at=found["created_at"],
            edited_at=found["edited_at"],
        )
    return Skipped(f"record of unknown type {str(kind)[:40]!r}")
