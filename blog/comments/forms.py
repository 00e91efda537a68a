"""Comment forms (Flask-WTF: CSRF in a hidden field, validation with messages next to the box)."""

import uuid

from flask_babel import gettext, lazy_gettext
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from blog.web.forms import Form

MAX_LENGTH = 4096
TOO_LONG = f"A comment can be at most {MAX_LENGTH:,} characters long; this one has %(length)d."


def new_key() -> str:
    """A fresh idempotency key for each rendered form: a retried post carries the same one."""
    return uuid.uuid4().hex


def normalise(text: str | None) -> str | None:
    """Browsers send CRLF newlines; count and store plain \\n so the length limit means what it says."""
    if text is None:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def storable(form, field) -> None:
    """NUL bytes and lone surrogates cannot be stored (PostgreSQL refuses them): say so instead of failing."""
    text = field.data or ""
    if "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text):
        raise ValidationError(
            gettext("The text contains characters that cannot be stored. Remove them and retry.")
        )


def body_field(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[normalise],
        validators=[
            DataRequired(lazy_gettext("Write something first.")),
            storable,
            Length(max=MAX_LENGTH, message=TOO_LONG),
        ],
    )


class CommentForm(Form):
    body = body_field(lazy_gettext("Comment"))
    notify = BooleanField(lazy_gettext("Email me replies"))
    key = HiddenField(
        default=new_key,
        validators=[
            Regexp(
                r"^[0-9a-f]{32}$",
                message=lazy_gettext("This form is out of date. Reload the page and try again."),
            ),
        ],
    )


class ReplyForm(CommentForm):
    body = body_field(lazy_gettext("Reply"))


class GuestCommentForm(CommentForm):
    """For the "anyone" policy: a name instead of an account, and no reply emails (no address)."""

    name = StringField(
        lazy_gettext("Name"),
        filters=[normalise],
        validators=[
            DataRequired(lazy_gettext("Tell us your name.")),
            storable,
            Length(max=80, message=lazy_gettext("Use at most 80 characters.")),
        ],
    )
    notify = None


class GuestReplyForm(GuestCommentForm):
    body = body_field(lazy_gettext("Reply"))


class EditForm(Form):
    body = body_field(lazy_gettext("Edit comment"))


def form_class(reply: bool, guest: bool) -> type[CommentForm]:
    if guest:
        return GuestReplyForm if reply else GuestCommentForm
    return ReplyForm if reply else CommentForm
