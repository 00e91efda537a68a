"""Rate limits for the accounts area (Flask-Limiter; FLASK_RATELIMIT_ENABLED=false turns them off).

Sign-in counts failed attempts only (a successful sign-in costs nothing):
- per IP address, 5 a minute and 30 an hour: slows a guesser to a crawl;
- per account (the email typed, known or not, so the answer reveals nothing), 20 an hour:
  higher than one IP's bound, so one attacker cannot lock a member out, yet a botnet spread
  over many addresses still gets only 20 guesses an hour at one account.
The sign-in Code step (two-step verification) has the same two bounds, per IP and per account.
Password-reset requests count every request: 5 an hour per IP, 3 an hour per email address
(each sends a mail). Sign-up: 10 an hour per IP. Each bound is a config key (e.g.
FLASK_SIGNIN_LIMIT_PER_IP="5 per minute;30 per hour"). The storage is RATELIMIT_STORAGE_URI:
memory by default (per process), Redis for several workers.
"""

import time

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..extensions import limiter
from .two_step import pending_key

DEFAULTS = {
    "SIGNIN_LIMIT_PER_IP": "5 per minute;30 per hour",
    "SIGNIN_LIMIT_PER_ACCOUNT": "20 per hour",
    "RESET_LIMIT_PER_IP": "5 per hour",
    "RESET_LIMIT_PER_EMAIL": "3 per hour",
    "SIGNUP_LIMIT_PER_IP": "10 per hour",
}


def _configured(key: str):
    return lambda: current_app.config.get(key, DEFAULTS[key])


def _typed_email() -> str:
    return "email:" + request.form.get("email", "").strip().lower()[:254]


def _user_key() -> str:
    # Checked before login_required runs, so an anonymous request must get a key too.
    return f"user:{getattr(current_user, 'id', None)}"


def record_failure() -> None:
    """Mark this request as a failed attempt, to be counted against the failure-only limits."""
    g.auth_attempt_failed = True


def _failed(response) -> bool:
    return bool(g.get("auth_attempt_failed"))


# Failed sign-ins: checked before the view, counted after it only when record_failure() was called.
signin_per_ip = limiter.limit(
    _configured("SIGNIN_LIMIT_PER_IP"), key_func=get_remote_address, methods=["POST"], deduct_when=_failed
)
signin_per_account = limiter.limit(
    _configured("SIGNIN_LIMIT_PER_ACCOUNT"), key_func=_typed_email, methods=["POST"], deduct_when=_failed
)
# Wrong codes at the sign-in Code step count like wrong passwords: per IP, and per account signing in.
code_per_ip = limiter.limit(
    _configured("SIGNIN_LIMIT_PER_IP"), key_func=get_remote_address, methods=["POST"], deduct_when=_failed
)
code_per_account = limiter.limit(
    _configured("SIGNIN_LIMIT_PER_ACCOUNT"), key_func=pending_key, methods=["POST"], deduct_when=_failed
)
# Wrong current passwords (password change, account deletion), per signed-in person.
password_check = limiter.limit(
    _configured("SIGNIN_LIMIT_PER_IP"), key_func=_user_key, methods=["POST"], deduct_when=_failed
)
reset_per_ip = limiter.limit(_configured("RESET_LIMIT_PER_IP"), key_func=get_remote_address, methods=["POST"])
reset_per_email = limiter.limit(_configured("RESET_LIMIT_PER_EMAIL"), key_func=_typed_email, methods=["POST"])
signup_per_ip = limiter.limit(
    _configured("SIGNUP_LIMIT_PER_IP"), key_func=get_remote_address, methods=["POST"]
)


def retry_after_seconds() -> int:
    """Seconds until the limit that was just hit lets a request through again."""
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))
