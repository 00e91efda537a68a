"""The Theme screen's form and the Sidebar screen's About form, and storing the images they upload."""

from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from blog.extensions import db
from blog.models import Image
from blog.theme.colors import HEX
from blog.theme.fonts import FONTS, SIDES, WIDTHS
from blog.uploads import UploadRefused, store_image
from blog.web.forms import Form

MAX_CSS = 20_000


class ThemeForm(Form):
    builtin_colors = BooleanField(lazy_gettext("Use the blog's built-in colors"))
    accent_color = StringField(
        lazy_gettext("Accent color"),
        validators=[
            Optional(),
            Regexp(HEX.pattern + "$", message=lazy_gettext("Enter a color as #rrggbb, like #1a73e8.")),
        ],
    )
    font = SelectField(
        lazy_gettext("Font"), choices=[SelectChoice(key, font.label) for key, font in FONTS.items()]
    )
    page_width = SelectField(
        lazy_gettext("Page width"), choices=[SelectChoice(key, label) for key, (label, _) in WIDTHS.items()]
    )
    sidebar_side = SelectField(
        lazy_gettext("Sidebar"), choices=[SelectChoice(key, label) for key, label in SIDES.items()]
    )
    header_image = FileField(lazy_gettext("Header image"))
    header_image_alt = StringField(
        lazy_gettext("Header image description (alt text)"), validators=[Length(max=200)]
    )
    remove_header_image = BooleanField(lazy_gettext("Remove the header image"))
    favicon = FileField(lazy_gettext("Favicon"))
    remove_favicon = BooleanField(lazy_gettext("Use the built-in favicon"))
    custom_css = TextAreaField(lazy_gettext("Your own CSS"), validators=[Length(max=MAX_CSS)])

    def validate_accent_color(self, field) -> None:
        if not self.builtin_colors.data and not (field.data or "").strip():
            raise ValidationError(gettext("Choose a color, or use the built-in colors."))

    def validate_custom_css(self, field) -> None:
        # Served as a stylesheet of its own, CSS cannot break out into HTML; a NUL byte is only noise.
        field.data = (field.data or "").replace("\x00", "").replace("\r\n", "\n").strip()

    def look(self) -> dict:
        """The look's values the form holds (images aside: they are stored on saving only)."""
        return {
            "accent_color": ""
            if self.builtin_colors.data
            else (self.accent_color.data or "").strip().lower(),
            "font": self.font.data,
            "page_width": self.page_width.data,
            "sidebar_side": self.sidebar_side.data,
            "header_image_alt": (self.header_image_alt.data or "").strip(),
            "custom_css": self.custom_css.data or "",
        }


class AboutForm(Form):
    about_text = TextAreaField(lazy_gettext("About text"), validators=[Length(max=1000)])
    about_photo = FileField(lazy_gettext("Photo"))
    about_photo_alt = StringField(lazy_gettext("Photo description (alt text)"), validators=[Length(max=200)])
    remove_about_photo = BooleanField(lazy_gettext("Remove the photo"))


def uploaded(field) -> bool:
    return bool(getattr(field.data, "filename", None))


def store_upload(field, alt: str) -> str:
    """Check, re-encode and keep an uploaded image (blog/uploads.py); its name. Raises UploadRefused,
    whose message is put on the field."""
    try:
        stored = store_image(field.data.stream)
    except UploadRefused as refusal:
        field.errors = [*field.errors, str(refusal)]
        raise
    db.session.add(Image.of(stored, alt, current_user.id))
    return stored.name
