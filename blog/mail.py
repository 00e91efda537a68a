"""Sending mail: send_mail() keeps the message in the outbox (a database row, blog/mail_outbox.py)
and queues the job that sends it, so a request never waits for a mail server and a worker killed
mid-send loses nothing. The worker hands it to the backend MAIL_BACKEND names
(blog/mail_transport.py), retrying with a doubling delay while the server fails.

Every message is multipart (plain text, and HTML made from it unless the caller gives its own),
from the blog's title <MAIL_FROM>, with a Message-ID made once (a retry sends the same one, so a
receiving system can tell a repeat) and `Auto-Submitted: auto-generated` (RFC 3834: no
out-of-office answers to the blog). Queue after the database commit: the worker must see what
the mail is about.
"""

import html as html_lib
import re
from email import message_from_string, policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from urllib.parse import urlsplit

from flask import current_app

from blog import mail_outbox
from blog.jobs import enqueue, job
from blog.site_settings import get_settings

URL = re.compile(r"https?://[^\s<>\"]+")
# Bodies that are not plain ASCII go quoted-printable (or base64), never raw 8-bit: the message's
# text is then ASCII, kept as it is in the outbox and accepted by every SMTP server.
SEVEN_BIT = policy.default.clone(cte_type="7bit")


def send_mail(to: str, subject: str, body: str, html: str | None = None, headers: dict | None = None) -> bool:
    """Queue a message; never raises into a request. False if it cannot be built (a bad header)."""
    try:
        message = build_message(to, subject, body, html, headers)
    except ValueError as error:
        current_app.logger.error("mail to %r not queued: %s", to[:254], error)
        return False
    mail_outbox.store(message)
    enqueue(mail_outbox.send_outbox)
    return True


@job
def deliver_mail(raw: str) -> None:
    """A message queued the old way, before the outbox (left in a queue at an upgrade): keep it there."""
    mail_outbox.store(message_from_string(raw, policy=policy.default))
    mail_outbox.send_outbox()


def build_message(
    to: str, subject: str, body: str, html: str | None = None, headers: dict | None = None
) -> EmailMessage:
    """A text + HTML message; raises ValueError for a header with a line break in it."""
    message = EmailMessage(policy=SEVEN_BIT)
    message["From"] = formataddr((" ".join(get_settings().title.split()), current_app.config["MAIL_FROM"]))
    message["To"] = to
    # Line breaks in a subject would let a caller add headers of their own.
    message["Subject"] = " ".join(subject.split())
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=mail_domain(current_app.config["MAIL_FROM"]))
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    message.add_alternative(html if html is not None else text_to_html(body), subtype="html")
    return message


def mail_domain(sender: str) -> str:
    base = current_app.config["BASE_URL"]
    return (urlsplit(base).hostname if base else None) or sender.rpartition("@")[2] or "localhost"


def text_to_html(text: str) -> str:
    """The plain text as HTML paragraphs, its links clickable."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        escaped = html_lib.escape(block)
        linked = URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        paragraphs.append("<p>" + linked.replace("\n", "<br>\n") + "</p>")
    return "<!doctype html>\n<html><body>\n" + "\n".join(paragraphs) + "\n</body></html>\n"


def outbox() -> list[EmailMessage]:
    """Messages sent with the memory backend (tests)."""
    return current_app.extensions.setdefault("mail_outbox", [])
