"""The blog settings form: every field validated, with choices built from Babel and zoneinfo."""

import re
from functools import cache
from zoneinfo import available_timezones

from babel import Locale, localedata
from flask_babel import lazy_gettext
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from blog.models import CommentPolicy, Moderation, ReadAccess
from blog.web.forms import Form

POLICIES = [
    SelectChoice(CommentPolicy.MEMBERS.value, lazy_gettext("Members of this blog")),
    SelectChoice(CommentPolicy.SIGNED_IN.value, lazy_gettext("Anyone signed in")),
    SelectChoice(CommentPolicy.ANYONE.value, lazy_gettext("Anyone, without an account")),
    SelectChoice(CommentPolicy.NOBODY.value, lazy_gettext("Nobody: comments are closed")),
]
READERS = [
    SelectChoice(ReadAccess.ANYONE.value, lazy_gettext("Anyone")),
    SelectChoice(ReadAccess.MEMBERS.value, lazy_gettext("Members of this blog")),
]
MODERATION = [
    SelectChoice(Moderation.NEVER.value, lazy_gettext("Never: comments appear at once")),
    SelectChoice(Moderation.ALWAYS.value, lazy_gettext("Always: every comment waits for approval")),
    SelectChoice(Moderation.OLDER_THAN.value, lazy_gettext("On posts older than the number of days below")),
]
# A plain shape check: the notification address only has to be deliverable-looking.
EMAIL_SHAPE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

# The fields the form edits, in order; each is a BlogSettings column of the same name.
HOST_LINE = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$")
FIELDS = (
    "title",
    "description",
    "language",
    "timezone",
    "posts_per_page",
    "who_can_read",
    "comment_policy",
    "moderation",
    "moderation_days",
    "hold_links_over",
    "edit_window_minutes",
    "comment_form_message",
    "notify_email",
    "require_two_step_for_staff",
    "fediverse_username",
    "blocked_servers",
)


@cache
def language_choices() -> list[SelectChoice]:
    """Every language Babel knows (without regional variants), by its English name and its own."""
    choices = []
    for code in localedata.locale_identifiers():
        if "_" in code:
            continue
        locale = Locale.parse(code)
        english, own = locale.get_display_name("en"), locale.get_display_name()
        choices.append(SelectChoice(code, english if english == own else f"{english} ({own})"))
    return sorted(choices, key=lambda choice: choice.label.casefold())


@cache
def timezone_choices() -> list[SelectChoice]:
    return [SelectChoice(name, name.replace("_", " ")) for name in sorted(available_timezones())]


class SettingsForm(Form):
    title = StringField(lazy_gettext("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(lazy_gettext("Description"), validators=[Optional(), Length(max=500)])
    language = SelectField(lazy_gettext("Language"))
    timezone = SelectField(lazy_gettext("Timezone"))
    posts_per_page = IntegerField(
        lazy_gettext("Posts per page"), validators=[InputRequired(), NumberRange(1, 100)]
    )
    who_can_read = SelectField(lazy_gettext("Who can read"), choices=READERS)
    comment_policy = SelectField(lazy_gettext("Who may comment"), choices=POLICIES)
    moderation = SelectField(lazy_gettext("Hold comments for moderation"), choices=MODERATION)
    moderation_days = IntegerField(
        lazy_gettext("Days after which a post's comments are held"),
        validators=[InputRequired(), NumberRange(1, 3650)],
    )
    hold_links_over = IntegerField(
        lazy_gettext("Hold comments with more links than"), validators=[InputRequired(), NumberRange(0, 100)]
    )
    edit_window_minutes = IntegerField(
        lazy_gettext("Minutes a member may edit a comment"),
        validators=[InputRequired(), NumberRange(0, 24 * 60)],
    )
    comment_form_message = TextAreaField(
        lazy_gettext("Message above the comment form"), validators=[Optional(), Length(max=1000)]
    )
    notify_email = StringField(
        lazy_gettext("Send notifications to"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(EMAIL_SHAPE, message=lazy_gettext("Enter an email address, like name@example.com.")),
        ],
    )

    require_two_step_for_staff = BooleanField(lazy_gettext("Require two-step verification for staff"))

    # The fediverse (blog/fediverse/): the handle's user part, and servers refused (one host a line).
    fediverse_username = StringField(
        lazy_gettext("Fediverse username"),
        validators=[
            Optional(),  # empty: "blog"
            Length(max=30),
            Regexp(
                r"^[a-z0-9_]+$", message=lazy_gettext("Use lowercase letters, digits and _ only, like blog.")
            ),
        ],
    )
    blocked_servers = TextAreaField(
        lazy_gettext("Blocked servers"), validators=[Optional(), Length(max=20000)]
    )

    def validate_blocked_servers(self, field) -> None:
        for line in (field.data or "").splitlines():
            entry = line.strip()
            if entry and not entry.startswith("#") and not HOST_LINE.match(entry):
                raise ValidationError(f"“{entry[:60]}” is not a host: write one name or address a line.")

    def __init__(self, *args, current_language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        languages = language_choices()
        if current_language and current_language not in {choice.value for choice in languages}:
            # Keep a stored regional code such as pt-BR selectable.
            languages = [SelectChoice(current_language), *languages]
        self.language.choices = languages
        self.timezone.choices = timezone_choices()
