"""Request size limits in the admin area, set before CSRFProtect reads (and so parses) the form.

Everyone gets the small default (MAX_CONTENT_LENGTH); only signed-in staff get more: STAFF_MAX_CONTENT_LENGTH
on any admin URL, an image upload its own limit (IMAGE_MAX_BYTES), an import the export's
(TRANSFER_MAX_UPLOAD_MB), and the editor room for a long post's Markdown, which percent-encoded may
pass Werkzeug's default 500 kB limit on form text. Anyone else's large POST is refused with 413
before a byte of its body is read, whatever URL it names."""

from flask import current_app, request
from flask_login import current_user

from blog.admin.blueprint import bp
from blog.admin.transfer import upload_limit_mb
from blog.uploads import limits

FORM_OVERHEAD = 64 * 1024  # room for the other fields and the multipart boundaries
EDITOR_FORM_MEMORY = 2 * 1024 * 1024
EDITOR_ENDPOINTS = {
    "admin.new_post",
    "admin.edit_post",
    "admin.autosave_post",
    "admin.live_preview_post",
    "admin.new_page",
    "admin.edit_page",
    "admin.live_preview_page",
}


def signed_in_staff() -> bool:
    return current_user.is_authenticated and current_user.is_staff


def staff_limit(endpoint: str | None) -> int:
    if endpoint == "admin.upload_image":
        return limits()[0] + FORM_OVERHEAD
    if endpoint == "admin.transfer_import":
        return upload_limit_mb() * 1024 * 1024 + FORM_OVERHEAD
    return int(current_app.config["STAFF_MAX_CONTENT_LENGTH"])


@bp.url_value_preprocessor
def size_limits(endpoint: str | None, values: dict | None) -> None:
    """URL value preprocessors run before every before_request function, CSRFProtect's included.
    (Knowing who is signed in costs one read of the session; it reads nothing of the body.)"""
    if not signed_in_staff():
        return
    request.max_content_length = staff_limit(endpoint)
    if endpoint in EDITOR_ENDPOINTS:
        request.max_form_memory_size = EDITOR_FORM_MEMORY
