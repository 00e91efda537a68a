"""Sending mail: one function, send_mail(), and a backend chosen by MAIL_BACKEND.

- "console" (the default): the message goes to the log, so a new blog needs no mail server.
- "file": messages are appended to MAIL_FILE_PATH (default instance/mail.log).
- "memory": messages are kept in app.extensions["mail_outbox"] (for tests).
- "smtp": MAIL_SERVER, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS (STARTTLS),
  MAIL_USE_SSL, MAIL_TIMEOUT and MAIL_FROM, all settable as FLASK_MAIL_* environment variables
  (their defaults are in blog/config.py).

Send after the database commit: mail is slow, and a write transaction must not wait for it.
"""

import smtplib
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

SEPARATOR = "\n" + "-" * 72 + "\n"


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text message; never raises into a request because mail is down. True if sent."""
    backend = BACKENDS.get(current_app.config["MAIL_BACKEND"])
    if backend is None:
        current_app.logger.error("unknown MAIL_BACKEND; mail to %s not sent", to)
        return False
    try:
        backend(build_message(to, subject, body))
    except (ValueError, OSError, smtplib.SMTPException) as error:
        current_app.logger.error("mail to %s not sent: %s", to, error)
        return False
    return True


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message; raises ValueError for a header with a line break in it."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    # Line breaks in a subject would let a caller add headers of their own.
    message["Subject"] = " ".join(subject.split())
    message.set_content(body)
    return message


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
    config = current_app.config
    connect = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with connect(
        config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=int(config["MAIL_TIMEOUT"])
    ) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


BACKENDS = {"console": _console, "file": _file, "memory": _memory, "smtp": _smtp}


def outbox() -> list[EmailMessage]:
    """Messages sent with the memory backend (tests)."""
    return current_app.extensions.setdefault("mail_outbox", [])
