"""The outbox: account mail is kept in the database until the mail server has taken it.

send_mail (blog/mail.py) stores each message as an outgoing_mail row, in a short transaction of
its own, and queues send_outbox; the request never waits for a mail server. send_outbox runs
after each send_mail and every minute on the workers: it claims due rows in batches (the leases
of blog/jobs/leases.py, the same bookkeeping as post deliveries), sends a batch over one SMTP
connection, and marks each row sent the moment the server accepted it.

- Nothing is lost: a worker killed mid-send leaves its rows "sending"; once their lease
  (MAIL_LEASE_SECONDS) runs out the next sweep (at a worker's start, then every minute) sends them.
- Nothing is sent twice but in the window SMTP cannot close: killed after the server said yes and
  before "sent" is committed. The repeat carries the same Message-ID, made once when the mail was
  built, so a receiving system can drop it.
- Failures: a temporary one (server away, a 4xx answer) puts the row back with a doubling delay
  from QUEUE_RETRY_DELAY, for MAX_ATTEMPTS tries (about 8.5 hours with the default 30 s); a
  permanent refusal (5xx) is given up at once. A sent row keeps no message (it may hold a
  password-reset link), and rows are forgotten a week after they were written.
"""

import smtplib
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import delete, insert, update

from blog.db import bookkeeping_connection, write_now, writing
from blog.extensions import db
from blog.jobs import enqueue, job, leases
from blog.mail_transport import MAIL_ERRORS, mail_session
from blog.models import DeliveryStatus, OutgoingMail, utcnow

BATCH = 50  # rows one claim takes: one SMTP connection each
MAX_ATTEMPTS = 11  # the first try and 10 retries
KEEP = timedelta(days=7)
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def store(message: EmailMessage) -> None:
    """Keep the message as a pending row, committed before the caller queues send_outbox."""
    now = utcnow()
    statement = insert(OutgoingMail).values(
        recipient=str(message["To"])[:254],
        message=message.as_string(),
        status=DeliveryStatus.PENDING,
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )
    if writing():  # a job or a view mid-transaction: the mail is about what it wrote, so both go in
        db.session.execute(statement)
        db.session.commit()
    else:
        write_now(statement)


def lease() -> float:
    return current_app.config["MAIL_LEASE_SECONDS"]


@job(every_minutes=1)
def send_outbox() -> None:
    """Send every due row, batch after batch; look again when a retry or a dead worker's lease is due."""
    retry_in = None
    while rows := leases.claim(
        OutgoingMail,
        lease(),
        BATCH,
        OutgoingMail.id,
        OutgoingMail.recipient,
        OutgoingMail.message,
        OutgoingMail.attempts,
    ):
        retry_in = send_rows(rows)
        if retry_in is not None:
            break
    if retry_in is None:
        retry_in = leases.seconds_to_lease_end(OutgoingMail, lease())
    if retry_in is not None:
        enqueue(send_outbox, delay=retry_in + 0.5)


def send_rows(rows: list[tuple]) -> float | None:
    """Send the claimed rows over one connection; the seconds until a retry if any failed for now."""
    pending = list(rows)
    retry_in = None
    try:
        with mail_session() as send, bookkeeping_connection() as marks:
            while pending:
                mail_id, recipient, text, attempts = pending[0]
                try:
                    send(recipient, text)
                except REFUSED as error:
                    pending.pop(0)
                    retry_in = _min(retry_in, failed(mail_id, attempts, error))
                    continue
                pending.pop(0)
                sent(marks, mail_id)
    except Exception as error:  # the server is away (or the backend broke): the rest wait and retry
        if isinstance(error, MAIL_ERRORS):
            current_app.logger.warning("mail server away, %d mail(s) wait: %s", len(pending), error)
        else:
            current_app.logger.exception("mail backend failed, %d mail(s) wait", len(pending))
        for mail_id, _, _, attempts in pending:
            retry_in = _min(retry_in, failed(mail_id, attempts, error))
    return retry_in


def _min(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def sent(marks, mail_id: int) -> None:
    """The server took it: record that at once, on the bookkeeping connection (blog/db.py)."""
    table = OutgoingMail.__table__
    marks.execute(
        update(table)
        .where(table.c.id == mail_id)
        .values(status=DeliveryStatus.SENT, sent_at=utcnow(), message="", error=None)
    )
    marks.commit()


def failed(mail_id: int, attempts: int, error: Exception) -> float | None:
    """Back to pending after a doubling delay (its seconds), or given up (None)."""
    values = {"error": str(error)[:1000]}
    if permanent(error) or attempts >= MAX_ATTEMPTS:
        current_app.logger.error("mail %s given up after %d attempt(s): %s", mail_id, attempts, error)
        values |= {"status": DeliveryStatus.FAILED, "message": ""}
        delay = None
    else:
        delay = current_app.config["QUEUE_RETRY_DELAY"] * 2 ** max(attempts - 1, 0)
        values |= {"status": DeliveryStatus.PENDING, "next_attempt_at": utcnow() + timedelta(seconds=delay)}
    db.session.execute(update(OutgoingMail).where(OutgoingMail.id == mail_id).values(**values))
    db.session.commit()
    return delay


def permanent(error: Exception) -> bool:
    """A 5xx answer: the server will never take this message (an unknown recipient, say)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


@job(every_minutes=60)
def forget_old_mail() -> None:
    db.session.execute(
        delete(OutgoingMail).where(
            OutgoingMail.status.in_([DeliveryStatus.SENT, DeliveryStatus.FAILED]),
            OutgoingMail.created_at < utcnow() - KEEP,
        )
    )
    db.session.commit()
