"""Sending mail: send_mail() puts a message on the job queue; the worker's deliver_mail job hands
it to the backend chosen by MAIL_BACKEND, retrying with a doubling delay while the server fails.

- "console" (the default): the message goes to the log, so a new blog needs no mail server.
- "file": messages are appended to MAIL_FILE_PATH (default instance/mail.log).
- "memory": messages are kept in app.extensions["mail_outbox"] (for tests).
- "smtp": MAIL_SERVER, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS (STARTTLS),
  MAIL_USE_SSL, MAIL_TIMEOUT and MAIL_FROM, all settable as FLASK_MAIL_* environment variables
  (their defaults are in blog/config.py).

Every message is multipart (plain text, and HTML made from it unless the caller gives its own),
from the blog's title <MAIL_FROM>, with a Message-ID made once (a retry sends the same one, so a
receiving system can tell a repeat) and `Auto-Submitted: auto-generated` (RFC 3834: no
out-of-office answers to the blog). Queue after the database commit: the worker must see what
the mail is about.
"""

import html as html_lib
import re
import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_string, policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from blog.jobs import enqueue, job
from blog.site_settings import get_settings

SEPARATOR = "\n" + "-" * 72 + "\n"
MAIL_ERRORS = (OSError, smtplib.SMTPException)
URL = re.compile(r"https?://[^\s<>\"]+")


def send_mail(to: str, subject: str, body: str, html: str | None = None, headers: dict | None = None) -> bool:
    """Queue a message; never raises into a request. False if it cannot be built (a bad header)."""
    try:
        message = build_message(to, subject, body, html, headers)
    except ValueError as error:
        current_app.logger.error("mail to %r not queued: %s", to[:254], error)
        return False
    enqueue(deliver_mail, message.as_string())
    return True


@job(retries=10)  # 30 s, 1 min, 2 min ... about 8.5 hours in all with the default QUEUE_RETRY_DELAY
def deliver_mail(raw: str) -> None:
    """Hand a queued message to the backend; an exception makes the queue retry it later."""
    deliver(message_from_string(raw, policy=policy.default))


def deliver(message: EmailMessage) -> None:
    """Send one message now through the configured backend; raises when it is not sent."""
    backend = BACKENDS.get(current_app.config["MAIL_BACKEND"])
    if backend is None:
        raise ValueError(f"unknown MAIL_BACKEND {current_app.config['MAIL_BACKEND']!r}")
    backend(message)


def build_message(
    to: str, subject: str, body: str, html: str | None = None, headers: dict | None = None
) -> EmailMessage:
    """A text + HTML message; raises ValueError for a header with a line break in it."""
    message = EmailMessage()
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


def _console(message: EmailMessage) -> None:
    current_app.logger.info("mail (console backend):\n%s", message.as_string())


def _file(message: EmailMessage) -> None:
    path = Path(current_app.config["MAIL_FILE_PATH"] or Path(current_app.instance_path) / "mail.log")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(message.as_string() + SEPARATOR)


def _memory(message: EmailMessage) -> None:
    current_app.extensions.setdefault("mail_outbox", []).append(message)


def _smtp(message: EmailMessage) -> None:
    with smtp_connection() as smtp:
        smtp.send_message(message)


@contextmanager
def smtp_connection() -> Iterator[smtplib.SMTP]:
    config = current_app.config
    connect = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with connect(
        config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=int(config["MAIL_TIMEOUT"])
    ) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        yield smtp


@contextmanager
def mail_session() -> Iterator[Callable[[EmailMessage], object]]:
    """send(message) for many messages in a row: over one SMTP connection with the smtp backend
    (a new connection per message would cap a worker at a few dozen a second)."""
    if current_app.config["MAIL_BACKEND"] != "smtp":
        yield deliver
        return
    with smtp_connection() as smtp:
        yield smtp.send_message


BACKENDS = {"console": _console, "file": _file, "memory": _memory, "smtp": _smtp}


def outbox() -> list[EmailMessage]:
    """Messages sent with the memory backend (tests)."""
    return current_app.extensions.setdefault("mail_outbox", [])
