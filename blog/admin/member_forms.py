"""Forms of the members screens: role, ban, removal and invitation links."""

from flask_babel import lazy_gettext
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from blog.models import Role
from blog.web.forms import Form

ROLE_LABELS = {
    Role.ADMIN: lazy_gettext("Admin: everything, including settings and members"),
    Role.AUTHOR: lazy_gettext("Author: writes and publishes their own posts"),
    Role.MEMBER: lazy_gettext("Member: reads and comments"),
    Role.READER: lazy_gettext("Reader: signed up, not a member"),
}
# Higher is more rights; moving someone down ends their sessions.
ROLE_RANK = {Role.READER: 0, Role.MEMBER: 1, Role.AUTHOR: 2, Role.ADMIN: 3}


def strip(value):
    return value.strip() if isinstance(value, str) else value


class RoleForm(Form):
    role = SelectField(
        lazy_gettext("Role"),
        choices=[SelectChoice(str(role), ROLE_LABELS.get(role, str(role).title())) for role in Role],
    )


class BanForm(Form):
    reason = TextAreaField(
        lazy_gettext("Reason"), filters=[strip], validators=[DataRequired(), Length(max=500)]
    )
    ends_on = DateField(lazy_gettext("Ends on"), validators=[Optional()])
    hide_comments = BooleanField(lazy_gettext("Also hide their comments"))


class RemoveForm(Form):
    confirm = BooleanField(
        lazy_gettext("Yes, remove this person and their comments"),
        validators=[DataRequired(message=lazy_gettext("Tick the box to confirm."))],
    )


class InvitationForm(Form):
    note = StringField(
        lazy_gettext("For whom (only you see this)"),
        filters=[strip],
        validators=[Optional(), Length(max=200)],
    )
    days = IntegerField(
        lazy_gettext("Valid for (days)"), default=30, validators=[InputRequired(), NumberRange(1, 365)]
    )
    max_uses = IntegerField(
        lazy_gettext("Number of people who may use it"),
        default=1,
        validators=[InputRequired(), NumberRange(1, 1000)],
    )
