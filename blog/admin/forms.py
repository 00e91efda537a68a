"""The editor's forms: one for posts, one for static pages, sharing their common fields."""

from datetime import UTC, datetime
from enum import StrEnum

from flask_babel import gettext, lazy_gettext
from flask_wtf.file import FileField
from wtforms import BooleanField, DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from blog.publishing import slug_of
from blog.web import dates
from blog.web.forms import Form

MAX_BODY = 200_000
MAX_LABELS = 20
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def clean_slug(text: str | None) -> str:
    """The URL form of what was typed in Slug; empty when nothing usable was typed."""
    return slug_of(text, max_length=200)


def split_labels(text: str | None) -> list[str]:
    """'a, b,,a ' -> ['a', 'b']: trimmed, without blanks or repeats, in the order typed."""
    return list(dict.fromkeys(name.strip() for name in (text or "").split(",") if name.strip()))


def local_to_utc(moment: datetime) -> datetime:
    """A naive time typed in the blog's timezone, as the naive UTC the database stores."""
    return moment.replace(tzinfo=dates.blog_zone()).astimezone(UTC).replace(tzinfo=None)


def utc_to_local(moment: datetime) -> datetime:
    """A stored naive UTC time as the naive local time a datetime-local input shows."""
    return dates.to_local(moment).replace(tzinfo=None, second=0, microsecond=0)


class Action(StrEnum):
    """What the editor's buttons ask for (the button's name="action" value)."""

    DRAFT = "draft"
    PUBLISH = "publish"
    UPDATE = "update"
    UNPUBLISH = "unpublish"
    PREVIEW = "preview"


class EditorForm(Form):
    """The fields every editor has."""

    title = StringField(
        lazy_gettext("Title"), validators=[DataRequired(lazy_gettext("Give it a title.")), Length(max=200)]
    )
    body = TextAreaField(
        lazy_gettext("Body"),
        validators=[
            Length(
                max=MAX_BODY,
                message=lazy_gettext(
                    "The body can be at most %(max)s characters long; this one has %%(length)d.",
                    max=format(MAX_BODY, ","),
                ),
            )
        ],
    )
    slug = StringField(lazy_gettext("Slug"), validators=[Optional(), Length(max=200)])

    def validate_slug(self, field) -> None:
        if field.data and field.data.strip() and not clean_slug(field.data):
            raise ValidationError(gettext("Use letters or digits in the slug."))

    @property
    def wanted_slug(self) -> str:
        return clean_slug(self.slug.data)


class PostForm(EditorForm):
    title = StringField(
        lazy_gettext("Title"),
        validators=[DataRequired(lazy_gettext("Give the post a title.")), Length(max=300)],
    )
    labels = StringField(lazy_gettext("Labels"), validators=[Length(max=2000)])
    published_at = DateTimeLocalField(
        lazy_gettext("Publish date"),
        format=[LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )
    comments_allowed = BooleanField(lazy_gettext("Comments allowed"), default=True)
    search_description = TextAreaField(lazy_gettext("Search description"), validators=[Length(max=300)])

    def validate_labels(self, field) -> None:
        names = split_labels(field.data)
        if len(names) > MAX_LABELS:
            raise ValidationError(f"Use at most {MAX_LABELS} labels.")
        if any(len(name) > 100 for name in names):
            raise ValidationError(gettext("Keep each label under 100 characters."))

    @property
    def label_names(self) -> list[str]:
        return split_labels(self.labels.data)

    @property
    def publish_time(self) -> datetime | None:
        """The publish date as naive UTC, or None when left empty."""
        return local_to_utc(self.published_at.data) if self.published_at.data else None


class PageForm(EditorForm):
    position = IntegerField(
        lazy_gettext("Menu position"), default=0, validators=[Optional(), NumberRange(min=0, max=1000)]
    )


class ImageForm(Form):
    image = FileField(lazy_gettext("Image"))
    alt = StringField(lazy_gettext("Description (alt text)"), validators=[Length(max=200)])
