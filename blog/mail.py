"""Sending mail. (Stub: the accounts work replaces this with SMTP/file/console backends.)"""
from flask import current_app


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message; never raises into a request because mail is down."""
    current_app.logger.info("mail to %s: %s\n%s", to, subject, body)
