"""One post's mail to its followers: rendered once, then made for each follower in a few
milliseconds (their address, their unsubscribe link, a Message-ID of their own).

Why not blog.mail.build_message, which every other mail uses: the modern email API parses and
refolds every header of every message, about 18 ms a message on the benchmark machine, most of a
worker's time when a post goes to thousands (docs/BENCHMARKS.md). The legacy API (policy compat32)
builds the same multipart text + HTML message, quoted-printable bodies and RFC 2047 headers, from
values we know are clean, in a fifth of that. The result is the message's text, ready for SMTP."""

from email.charset import QP, Charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate

from flask import current_app, render_template

from blog.followers.tokens import unsubscribe_token
from blog.mail import mail_domain
from blog.models import Post
from blog.site_settings import get_settings
from blog.web.hosts import url_for_path
from blog.web.i18n import in_blog_language

PLACEHOLDER = "{UNSUBSCRIBE}"
UTF8_QP = Charset("utf-8")
UTF8_QP.body_encoding = QP  # readable text in the raw message, and no line over 76 characters


def header(value: str):
    """A header value on one line, encoded (RFC 2047) only when it is not plain ASCII."""
    value = " ".join(value.split())  # no line break can smuggle a header in
    return value if value.isascii() else Header(value, "utf-8")


class PostMail:
    """One post's mail, rendered once; message(follower) adds the follower's own unsubscribe link."""

    def __init__(self, post: Post, root: str):
        self.post_id = post.id
        self.title = post.title
        self.link = root + url_for_path("reading.post", year=post.year, month=post.month, slug=post.slug)
        full = bool(current_app.config["FOLLOWER_MAIL_FULL_TEXT"])
        self.html_body = post.body_html if full or not post.excerpt_html else post.excerpt_html
        text = post.body_text or ""
        self.text_body = text if full or len(text) <= 600 else text[:600].rsplit(" ", 1)[0] + " …"
        self.root = root
        sender = current_app.config["MAIL_FROM"]
        self.domain = mail_domain(sender)
        self.sender = formataddr((" ".join(get_settings().title.split()), sender), "utf-8")
        self.subject = header(post.title)
        with in_blog_language():
            self.template_text = render_template(
                "followers/mail/post.txt", mail=self, unsubscribe=PLACEHOLDER
            )
            self.template_html = render_template(
                "followers/mail/post.html", mail=self, unsubscribe=PLACEHOLDER
            )

    def message(self, follower_id: int, email: str) -> str:
        """The whole message for one follower; ValueError for an address no header may carry."""
        if not email.isascii() or not email.isprintable() or " " in email:
            raise ValueError(f"not an address to write to: {email!r}")
        stop = self.root + url_for_path("followers.unsubscribe", token=unsubscribe_token(follower_id, email))
        message = MIMEMultipart("alternative")
        message["From"] = self.sender
        message["To"] = email
        message["Subject"] = self.subject
        message["Date"] = formatdate(localtime=False)
        # The same id on every attempt: a repeat after a crash can be recognised (sending.py).
        message["Message-ID"] = f"<post-{self.post_id}.follower-{follower_id}@{self.domain}>"
        message["Auto-Submitted"] = "auto-generated"
        message["List-Unsubscribe"] = f"<{stop}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
        message.attach(MIMEText(self.template_text.replace(PLACEHOLDER, stop), "plain", UTF8_QP))
        message.attach(MIMEText(self.template_html.replace(PLACEHOLDER, stop), "html", UTF8_QP))
        return message.as_string()
