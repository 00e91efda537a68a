"""The two-step verification forms: the Code (at sign-in and when setting up) and turning it off."""

from flask_babel import lazy_gettext
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from blog.accounts.forms import PASSWORD_MAX
from blog.web.forms import Form


def code_field() -> StringField:
    # Not a PasswordField: the code is short-lived, and a mistyped one is easier to fix when visible.
    return StringField(
        lazy_gettext("Code"),
        filters=[lambda s: s.strip() if s else s],
        validators=[DataRequired(message=lazy_gettext("Enter the code.")), Length(max=32)],
    )


class CodeForm(Form):
    code = code_field()


class TurnOffForm(Form):
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)])
