"""Taking the settings an export carries: title, description, comment policy, language and timezone."""

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from blog.extensions import db
from blog.models import BlogSettings, CommentPolicy
from blog.transfer.common import COMMENT_POLICIES, SettingsRecord, Summary, clip

LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


def apply_settings(rec: SettingsRecord, summary: Summary) -> None:
    settings = db.session.get(BlogSettings, 1)
    if settings is None:
        settings = BlogSettings(id=1)
        db.session.add(settings)
    taken = summary.settings
    if rec.title:
        settings.title = clip(rec.title, 200)
        taken.append("title")
    if rec.description is not None and (rec.description or rec.title):
        settings.description = rec.description.strip()
        taken.append("description")
    if rec.comment_policy in COMMENT_POLICIES:
        settings.comment_policy = CommentPolicy(rec.comment_policy)
        taken.append("comment policy")
    if rec.language and LANGUAGE.match(rec.language):
        settings.language = rec.language[:16]
        taken.append("language")
    if rec.timezone and valid_zone(rec.timezone):
        settings.timezone = rec.timezone
        taken.append("timezone")


def valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
