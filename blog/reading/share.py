"""Share links on a post: plain links that load nothing from anyone until the reader follows one.

Email is a mailto: link; Bluesky, Facebook, LinkedIn and X are their own sharing URLs; Mastodon has
no single server, so its link opens a page of ours that asks for the reader's server and then
sends them to that server's /share. "Copy link" is a button static/js/site.js shows and wires (the
Web Share API where the browser has it, else the clipboard); without JavaScript it stays hidden.
Icons are inline SVG from templates/share/icons/. On a private blog only email and "Copy link"
are offered: a link to a page outsiders cannot open is nothing to post on a network.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from blog.extensions import db
from blog.models import Post
from blog.models.post import visible_posts
from blog.web.forms import Form
from blog.web.page_cache import blog_is_private

bp = Blueprint("share", __name__)

# A host name (letters, digits, hyphens; a dot and a top-level name), an optional port.
SERVER = re.compile(
    r"(?=.{1,253}(:|$))([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}(:\d{1,5})?"
)


@dataclass
class ShareLink:
    name: str  # the icon's file and the CSS class
    label: str
    href: str


def permalink_of(post: Post) -> str:
    return url_for("reading.post", year=post.year, month=post.month, slug=post.slug, _external=True)


@bp.app_template_global()
def share_links(post: Post) -> list[ShareLink]:
    url = permalink_of(post)
    text = f"{post.title} {url}"
    links = [
        ShareLink(
            "email",
            gettext("Email"),
            "mailto:?" + urlencode({"subject": post.title, "body": url}, quote_via=quote),
        )
    ]
    if blog_is_private():
        return links
    return links + [
        ShareLink("mastodon", "Mastodon", url_for("share.mastodon", post_id=post.id)),
        ShareLink("bluesky", "Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": text})),
        ShareLink(
            "facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})
        ),
        ShareLink(
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        ShareLink("x", "X", "https://x.com/intent/post?" + urlencode({"text": post.title, "url": url})),
    ]


class MastodonForm(Form):
    class Meta:
        csrf = False  # a GET that changes nothing: it only says where to go

    server = StringField(lazy_gettext("Your Mastodon server"), validators=[DataRequired(), Length(max=300)])


def server_name(typed: str) -> str | None:
    """mastodon.social from "mastodon.social", "https://mastodon.social/", or "@me@mastodon.social"."""
    value = typed.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")
    value = value.rsplit("@", 1)[-1]
    return value if SERVER.fullmatch(value) else None


@bp.get("/posts/<int:post_id>/share/mastodon")
def mastodon(post_id: int):
    """Ask for the reader's server, then on to its share page with the title and permalink filled in."""
    post = db.session.scalar(visible_posts().where(Post.id == post_id))
    if post is None or blog_is_private():
        abort(404)
    form = MastodonForm(request.args)
    status = 200
    if "server" in request.args:
        server = server_name(form.server.data or "") if form.validate() else None
        if server:
            text = f"{post.title} {permalink_of(post)}"
            return redirect(f"https://{server}/share?" + urlencode({"text": text}))
        if not form.server.errors:
            form.server.errors = [gettext("Type your server's name, such as mastodon.social.")]
        status = 422
    return render_template("share/mastodon.html", form=form, post=post), status
