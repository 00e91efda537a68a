"""Rate limits for the accounts area (Flask-Limiter; FLASK_RATELIMIT_ENABLED=false turns them off).

Sign-in counts failed attempts only (a successful sign-in costs nothing). Every attempt is counted
before the password is checked, and given back once it succeeded: counting only after a failure
would let many concurrent guesses all pass the check before any of them was counted.
Addresses are counted as blog/client_address.py says (an IPv6 client by its /64).
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
from functools import wraps

from flask import current_app, g, request
from flask_login import current_user
from limits.strategies import FixedWindowRateLimiter

from blog.accounts.two_step import pending_key
from blog.extensions import limiter
from blog.web.client_address import rate_limit_key


def _configured(key: str):
    # Read per request, so a test's (or an app's) own setting applies to these module-level limits.
    return lambda: current_app.config[key]


def _typed_email() -> str:
    return "email:" + request.form.get("email", "").strip().lower()[:254]


def _user_key() -> str:
    # Checked before login_required runs, so an anonymous request must get a key too.
    return f"user:{getattr(current_user, 'id', None)}"


def record_failure() -> None:
    """Mark this request as a failed attempt, to be counted against the failure-only limits."""
    g.auth_attempt_failed = True


def failure_only(config_key: str, key_func):
    """A limit on failed attempts that holds under concurrency: the attempt is counted (atomically,
    by Flask-Limiter) before the view runs, and given back afterwards unless the view called
    record_failure()."""
    counted = limiter.limit(_configured(config_key), key_func=key_func, methods=["POST"])

    def decorate(view):
        @wraps(view)
        def attempt(*args, **kwargs):
            response = view(*args, **kwargs)
            if request.method == "POST" and not g.get("auth_attempt_failed"):
                _give_back(key_func())
            return response

        return counted(attempt)

    return decorate


def _give_back(key: str) -> None:
    """Uncount this request's hits on the limits keyed by `key`. Only a fixed window (the default
    strategy) can be uncounted; with another strategy a success simply counts too."""
    if not limiter.enabled or not isinstance(limiter.limiter, FixedWindowRateLimiter):
        return
    # limiter.limiter, not limiter.storage: while Redis is down the hits went to the in-memory
    # fallback, and the give-back must reach the storage that counted them.
    storage = limiter.limiter.storage
    for hit in limiter.current_limits:
        if key in hit.request_args and not hit.breached:
            storage.incr(hit.key, hit.limit.get_expiry(), amount=-1)


# Failed sign-ins, per address and per account typed.
signin_per_ip = failure_only("SIGNIN_LIMIT_PER_IP", rate_limit_key)
signin_per_account = failure_only("SIGNIN_LIMIT_PER_ACCOUNT", _typed_email)
# Wrong codes at the sign-in Code step count like wrong passwords: per address, and per account signing in.
code_per_ip = failure_only("SIGNIN_LIMIT_PER_IP", rate_limit_key)
code_per_account = failure_only("SIGNIN_LIMIT_PER_ACCOUNT", pending_key)
# Wrong current passwords (password change, account deletion), per signed-in person.
password_check = failure_only("SIGNIN_LIMIT_PER_IP", _user_key)
reset_per_ip = limiter.limit(_configured("RESET_LIMIT_PER_IP"), key_func=rate_limit_key, methods=["POST"])
reset_per_email = limiter.limit(_configured("RESET_LIMIT_PER_EMAIL"), key_func=_typed_email, methods=["POST"])
signup_per_ip = limiter.limit(_configured("SIGNUP_LIMIT_PER_IP"), key_func=rate_limit_key, methods=["POST"])


def retry_after_seconds() -> int:
    """Seconds until the limit that was just hit lets a request through again."""
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))
