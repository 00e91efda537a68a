"""The accounts area's forms. Password fields never echo what was typed (WTForms' PasswordField)."""

import re

from flask_babel import gettext, lazy_gettext
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from blog.web.forms import Form
from blog.web.i18n import LANGUAGES

PASSWORD_MIN = 8
PASSWORD_MAX = 1024
PASSWORD_HINT = lazy_gettext(
    "At least %(num)d characters. A few unrelated words make a good one.", num=PASSWORD_MIN
)
# Deliberately loose (the address gets a confirmation or invitation mail anyway), but one "@"
# with something on both sides and no spaces, so a typo is caught early.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+$")


def email_address(form, field) -> None:
    field.data = (field.data or "").strip()
    if not EMAIL_PATTERN.match(field.data):
        raise ValidationError(gettext("Enter an email address, like name@example.com."))


def email_field(label: str = lazy_gettext("Email")) -> EmailField:
    return EmailField(label, validators=[DataRequired(), Length(max=254), email_address])


def new_password_field(label: str = lazy_gettext("Password")) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=lazy_gettext(
                    "Use between %(min)d and %(max)d characters.", min=PASSWORD_MIN, max=PASSWORD_MAX
                ),
            ),
        ],
    )


def name_field(label: str = lazy_gettext("Name")) -> StringField:
    return StringField(
        label, filters=[lambda s: s.strip() if s else s], validators=[DataRequired(), Length(max=80)]
    )


class LanguageField(SelectField):
    """A language code, or "" for the blog's; a stored None shows as "" (WTForms leaves None as it is,
    matching no choice)."""

    def process_data(self, value):
        super().process_data(value or "")


class SignInForm(Form):
    email = EmailField(lazy_gettext("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    remember = BooleanField(lazy_gettext("Keep me signed in on this device"))
    next = HiddenField()


class NewAccountForm(Form):
    """Join by invitation, open sign-up and first-run setup all ask for the same three things."""

    email = email_field()
    name = name_field()
    password = new_password_field()


class ForgotPasswordForm(Form):
    email = email_field()


class ResetPasswordForm(Form):
    password = new_password_field(lazy_gettext("New password"))


class ChangePasswordForm(Form):
    current_password = PasswordField(
        lazy_gettext("Current password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    password = new_password_field(lazy_gettext("New password"))


class ProfileForm(Form):
    name = name_field(lazy_gettext("Display name"))
    bio = TextAreaField(
        lazy_gettext("Short bio"), filters=[lambda s: s.strip() if s else ""], validators=[Length(max=500)]
    )
    notify_replies = BooleanField(lazy_gettext("Email me when someone replies to my comments"))
    # The admin area's and this page's language; "" (stored as None) follows the blog's setting.
    language = LanguageField(
        lazy_gettext("Language"),
        choices=[SelectChoice("", lazy_gettext("Same as the blog"))]
        + [SelectChoice(code, name) for code, name in LANGUAGES.items()],
    )


class FollowingForm(Form):
    """ "Email me new posts": a form of its own, so saving it leaves the profile as it is."""

    following = BooleanField(lazy_gettext("Email me new posts"))


class DeleteAccountForm(Form):
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)])
