"""Request size limits for the editor's endpoints, set before CSRFProtect reads (and so parses) the form.

An image upload may be larger than any other request (IMAGE_MAX_BYTES); a long post's Markdown,
percent-encoded, may pass Werkzeug's default 500 kB limit on form text."""

from flask import request

from ..uploads import limits
from .blueprint import bp

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


@bp.url_value_preprocessor
def size_limits(endpoint: str | None, values: dict | None) -> None:
    """URL value preprocessors run before every before_request function, CSRFProtect's included."""
    if endpoint == "admin.upload_image":
        request.max_content_length = limits()[0] + FORM_OVERHEAD
    elif endpoint in EDITOR_ENDPOINTS:
        request.max_form_memory_size = EDITOR_FORM_MEMORY
