"""Two-step verification with an authenticator app (TOTP, RFC 6238) and single-use recovery codes.

Setting up: a new secret is stored unconfirmed, shown as text and as a QR code, and turned on
only when the person types a code their app made from it; ten recovery codes are then shown once
(only their hashes are kept). Signing in: a right password for such an account starts a pending
state in the session (who, when, where to go next), not a session; only the Code step completes it.
A code is accepted for the current 30-second step and one step either side (clock drift), never
for a step at or before the last one accepted, so a code cannot be used twice.
"""

import re
import secrets
import time
from datetime import timedelta

import pyotp
import segno
from flask import session
from markupsafe import Markup
from pyotp.utils import strings_equal
from sqlalchemy import delete, func, or_, select, update

from blog.extensions import db
from blog.models import RecoveryCode, TwoStep, User, utcnow
from blog.models.token import hash_token
from blog.site_settings import get_settings

RECOVERY_CODES = 10
# No 0/o, 1/l/i: a code copied from paper is read back without guessing.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10  # about 49 bits each, shown as two groups of five
PENDING_KEY = "two_step_pending"
PENDING_LIFETIME = timedelta(minutes=5)
DRIFT_STEPS = 1


# --- the record --------------------------------------------------------------------------------


def record_for(user: User) -> TwoStep | None:
    return db.session.get(TwoStep, user.id)


def is_on(user: User) -> bool:
    record = record_for(user)
    return record is not None and record.confirmed_at is not None


def start_setup(user: User) -> TwoStep:
    """A new, unconfirmed secret for user (replacing any earlier unconfirmed one); the caller commits."""
    record = record_for(user)
    if record is None:
        record = TwoStep(user_id=user.id)
        db.session.add(record)
    record.secret = pyotp.random_base32()
    record.created_at = utcnow()
    record.confirmed_at = None
    record.last_used_step = None
    return record


def pending_setup(user: User) -> TwoStep | None:
    record = record_for(user)
    return record if record is not None and record.confirmed_at is None else None


def confirm_setup(record: TwoStep, code: str) -> list[str] | None:
    """Turn two-step verification on if code comes from the app; returns the new recovery codes
    (to show once), or None for a wrong code. The caller commits."""
    if not check_app_code(record, code):
        return None
    record.confirmed_at = utcnow()
    return new_recovery_codes(record.user_id)


def turn_off(user: User) -> None:
    """Forget the secret and the recovery codes; the caller commits."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TwoStep).where(TwoStep.user_id == user.id))


# --- what the setup page shows -----------------------------------------------------------------


def spaced_secret(secret: str) -> str:
    """The secret in groups of four, as authenticator apps show it for typing in by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(record: TwoStep, user: User) -> Markup:
    """The otpauth:// link as an inline SVG QR code, drawn here: no image service sees the secret."""
    uri = pyotp.TOTP(record.secret).provisioning_uri(name=user.email, issuer_name=get_settings().title)
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", svgclass="qr-code", lineclass=None, omitsize=False
    )
    # segno's output holds only the path data it drew from the escaped URI and fixed attributes.
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1))


# --- checking codes ----------------------------------------------------------------------------


def _digits(code: str) -> str:
    return re.sub(r"\s", "", code or "")


def check_app_code(record: TwoStep, code: str) -> bool:
    """True if code is the app's code for a step near now that has not been used yet; that step
    is then claimed, so the same code is refused from now on."""
    code = _digits(code)
    if not re.fullmatch(r"\d{6}", code):
        return False
    totp = pyotp.TOTP(record.secret)
    now_step = int(time.time()) // totp.interval
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if record.last_used_step is not None and step <= record.last_used_step:
            continue
        if strings_equal(totp.generate_otp(step), code):
            return _claim_step(record, step)
    return False


def _claim_step(record: TwoStep, step: int) -> bool:
    """Record step as used, unless a concurrent request already used it or a later one."""
    claimed = db.session.execute(
        update(TwoStep)
        .where(
            TwoStep.user_id == record.user_id,
            or_(TwoStep.last_used_step.is_(None), TwoStep.last_used_step < step),
        )
        .values(last_used_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    record.last_used_step = step
    return True


def _normal_recovery_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def use_recovery_code(user: User, code: str) -> bool:
    """True, once, for one of user's unused recovery codes; the caller commits."""
    normal = _normal_recovery_code(code)
    if len(normal) != RECOVERY_LENGTH:
        return False
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == hash_token(normal),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return used.rowcount == 1


def check_code(user: User, code: str) -> bool:
    """The Code step: a code from the app, or else one of the recovery codes."""
    record = record_for(user)
    if record is None or record.confirmed_at is None:
        return False
    return check_app_code(record, code) or use_recovery_code(user, code)


def new_recovery_codes(user_id: int) -> list[str]:
    """Ten new recovery codes replacing any earlier ones; returned for showing once. The caller commits."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODES)
    ]
    db.session.add_all(RecoveryCode(user_id=user_id, code_hash=hash_token(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def recovery_codes_left(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


# --- the pending sign-in -----------------------------------------------------------------------


def begin_pending(user: User, remember: bool, target: str) -> None:
    """The password was right: remember who is signing in, for a few minutes, until the Code step."""
    session[PENDING_KEY] = {
        "user": user.id,
        "at": int(time.time()),
        "remember": bool(remember),
        "next": target,
    }


def pending_user() -> User | None:
    """The active person whose password was right in this browser a few minutes ago, if any."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("at", 0) > PENDING_LIFETIME.total_seconds():
        session.pop(PENDING_KEY, None)
        return None
    user = db.session.get(User, pending.get("user"))
    return user if user is not None and user.is_active else None


def pending_choices() -> tuple[bool, str]:
    """The remember-me choice and the page to go to, as given at the password step."""
    pending = session.get(PENDING_KEY) or {}
    return bool(pending.get("remember")), pending.get("next") or "/"


def pending_key() -> str:
    """The throttle key of the Code step: the account being signed in to."""
    pending = session.get(PENDING_KEY)
    return f"two-step:{pending.get('user') if isinstance(pending, dict) else None}"


# --- the staff requirement ---------------------------------------------------------------------


def setup_required(user: User) -> bool:
    """Staff must turn it on first when Settings require it (the record is read only then)."""
    return bool(get_settings().require_two_step_for_staff) and user.is_staff and not is_on(user)
