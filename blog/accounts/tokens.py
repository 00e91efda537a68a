"""Single-use links (password reset, email confirmation, first-run setup): issuing, mailing and
redeeming their tokens.

Every link takes the same path: opening it (GET) only shows a page with a button or a form, so a mail
scanner that follows links uses nothing; the POST checks the token again and uses it once, even when
two requests race for it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Response, render_template
from flask_babel import LazyString
from sqlalchemy import delete, select, update
from werkzeug.exceptions import NotFound

from blog.extensions import db
from blog.mail import send_mail
from blog.models import AccountToken, TokenPurpose, User, utcnow
from blog.models.token import hash_token, new_token
from blog.web.forms import Form
from blog.web.hosts import url_for_path
from blog.web.i18n import in_blog_language


def issue_token(purpose: TokenPurpose, user: User | None, lifetime: timedelta) -> str:
    """A new token; earlier unused ones for the same purpose and person stop working. The caller commits."""
    db.session.execute(
        delete(AccountToken).where(
            AccountToken.purpose == purpose,
            AccountToken.user_id == user.id if user is not None else AccountToken.user_id.is_(None),
        )
    )
    raw = new_token()
    now = utcnow()
    db.session.add(
        AccountToken(
            token_hash=hash_token(raw),
            purpose=purpose,
            user_id=user.id if user is not None else None,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return raw


def find_token(purpose: TokenPurpose, raw: str) -> AccountToken | None:
    """The token if it is unused and in date (and, for a person's token, still theirs to use)."""
    if not raw or len(raw) > 100:
        return None
    token = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == hash_token(raw),
            AccountToken.purpose == purpose,
        )
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    if token.user_id is not None:
        user = db.session.get(User, token.user_id)
        if user is None or not user.is_active:
            return None
        # A password change (by any route) voids reset links issued before it.
        if user.password_changed_at is not None and token.created_at < user.password_changed_at:
            return None
    return token


def use_token(token: AccountToken) -> bool:
    """Mark the token used; False if another request used it first. The caller commits."""
    result = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == token.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def invalid_link(what: str) -> tuple[str, int]:
    """The 404 page for an emailed link that is unknown, used, expired or no longer the person's."""
    return render_template("accounts/invalid_link.html", what=what), 404


def check_your_email(message: str, back_url: str, back_text: str) -> str:
    """The page shown once a link is (or, for an unknown address, seems to be) on its way."""
    return render_template(
        "accounts/check_email.html", message=message, back_url=back_url, back_text=back_text
    )


@dataclass(frozen=True)
class Link:
    """One kind of single-use link: what its token is for, how long it works, the view it opens."""

    purpose: TokenPurpose
    lifetime: timedelta
    endpoint: str
    # How the "link not valid" page names it; None: a plain 404 that tells a stranger nothing.
    what: str | None

    def issue(self, user: User | None, root: str) -> str:
        """A new link (committed: it must exist before anyone can follow it); earlier ones stop working."""
        token = issue_token(self.purpose, user, self.lifetime)
        db.session.commit()
        return root + url_for_path(self.endpoint, token=token)

    def send(self, user: User, root: str, subject: LazyString, template: str, **context) -> None:
        """Mail the person a new link, in the text template given (which gets user and link), in the
        blog's language (the subject is a lazy_gettext, translated here)."""
        link = self.issue(user, root)
        with in_blog_language():
            send_mail(user.email, str(subject), render_template(template, user=user, link=link, **context))

    def invalid(self):
        if self.what is None:
            raise NotFound()
        return invalid_link(self.what)

    def redeem(
        self,
        raw: str,
        form: Form,
        use: Callable[[AccountToken], Response | None],
        template: str,
        **context,
    ):
        """The link's page: the form (and button) on GET; a valid POST uses the token once, then
        `use(token)` does the work and answers, or returns None after putting an error on the form."""
        found = find_token(self.purpose, raw)
        if found is None:
            return self.invalid()
        if form.validate_on_submit():
            if not use_token(found):
                return self.invalid()
            answer = use(found)
            if answer is not None:
                return answer
        return render_template(template, form=form, token=raw, **context), 422 if form.errors else 200
