"""The accounts area's forms. Password fields never echo what was typed (WTForms' PasswordField)."""

import re

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from blog.web.forms import Form

PASSWORD_MIN = 8
PASSWORD_MAX = 1024
PASSWORD_HINT = f"At least {PASSWORD_MIN} characters. A few unrelated words make a good one."
# Deliberately loose (the address gets a confirmation or invitation mail anyway), but one "@"
# with something on both sides and no spaces, so a typo is caught early.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+$")


def email_address(form, field) -> None:
    field.data = (field.data or "").strip()
    if not EMAIL_PATTERN.match(field.data):
        raise ValidationError("Enter an email address, like name@example.com.")


def email_field(label: str = "Email") -> EmailField:
    return EmailField(label, validators=[DataRequired(), Length(max=254), email_address])


def new_password_field(label: str = "Password") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=f"Use between {PASSWORD_MIN} and {PASSWORD_MAX} characters.",
            ),
        ],
    )


def name_field(label: str = "Name") -> StringField:
    return StringField(
        label, filters=[lambda s: s.strip() if s else s], validators=[DataRequired(), Length(max=80)]
    )


class SignInForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()


class NewAccountForm(Form):
    """Join by invitation, open sign-up and first-run setup all ask for the same three things."""

    email = email_field()
    name = name_field()
    password = new_password_field()


class ForgotPasswordForm(Form):
    email = email_field()


class ResetPasswordForm(Form):
    password = new_password_field("New password")


class ChangePasswordForm(Form):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=PASSWORD_MAX)]
    )
    password = new_password_field("New password")


class ProfileForm(Form):
    name = name_field("Display name")
    bio = TextAreaField("Short bio", filters=[lambda s: s.strip() if s else ""], validators=[Length(max=500)])
    notify_replies = BooleanField("Email me when someone replies to my comments")


class FollowingForm(Form):
    """ "Email me new posts": a form of its own, so saving it leaves the profile as it is."""

    following = BooleanField("Email me new posts")


class DeleteAccountForm(Form):
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])
