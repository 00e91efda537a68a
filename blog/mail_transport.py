"""Handing a built message to the backend MAIL_BACKEND names, now (the worker calls this; a
request never does, it queues through blog/mail.py).

- "console" (the default): the message goes to the log, so a new blog needs no mail server.
- "file": messages are appended to MAIL_FILE_PATH (default instance/mail.log).
- "memory": messages are kept in app.extensions["mail_outbox"] (for tests).
- "smtp": MAIL_SERVER, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS (STARTTLS),
  MAIL_USE_SSL, MAIL_TIMEOUT and MAIL_FROM, all settable as FLASK_MAIL_* environment variables
  (their defaults are in blog/config.py).
"""

import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_string, policy
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

SEPARATOR = "\n" + "-" * 72 + "\n"
MAIL_ERRORS = (OSError, smtplib.SMTPException)


def deliver(message: EmailMessage) -> None:
    """Send one message now through the configured backend; raises when it is not sent."""
    backend = BACKENDS.get(current_app.config["MAIL_BACKEND"])
    if backend is None:
        raise ValueError(f"unknown MAIL_BACKEND {current_app.config['MAIL_BACKEND']!r}")
    backend(message)


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
def mail_session() -> Iterator[Callable[[str, str], object]]:
    """send(recipient, message) for many finished messages (their text) in a row: over one SMTP
    connection with the smtp backend (a new connection per message would cap a worker at a few
    dozen a second), sent as they are, from MAIL_FROM; the other backends get them parsed."""
    if current_app.config["MAIL_BACKEND"] != "smtp":
        yield lambda _recipient, text: deliver(message_from_string(text, policy=policy.default))
        return
    sender = current_app.config["MAIL_FROM"]
    with smtp_connection() as smtp:
        yield lambda recipient, text: smtp.sendmail(sender, [recipient], text)


BACKENDS = {"console": _console, "file": _file, "memory": _memory, "smtp": _smtp}
