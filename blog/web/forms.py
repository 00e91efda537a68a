"""What every form of the blog shares: the base class, and the POST-only button (delete, unsubscribe,
confirm, turn on) that carries nothing but the CSRF token."""

from flask_wtf import FlaskForm


class Form(FlaskForm):
    """The blog's forms. A page often holds several forms, each with its hidden CSRF token: the token's
    input gets no id, so they do not repeat one (an invalid page); nothing refers to it by id."""

    class Meta:
        def render_field(self, field, render_kw):
            if field.type == "CSRFTokenField":
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)


class EmptyForm(Form):
    """A POST-only button: just the CSRF token."""
