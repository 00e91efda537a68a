"""Uploading an image from the editor: the answer carries the Markdown to put in the body.

With htmx the Markdown rides in an HX-Trigger event that site.js inserts at the cursor; without
JavaScript the answer is a page showing the snippet to copy."""

import json
import re
from pathlib import PurePath

from flask import request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from blog.admin.blueprint import bp
from blog.admin.forms import ImageForm
from blog.admin.limits import signed_in_staff
from blog.extensions import db
from blog.models import Image
from blog.uploads import UploadRefused, limits, store_image
from blog.web.htmx import page_or_fragment, wants_partial


@bp.post("/images")
def upload_image():
    """Store an uploaded image (checked and re-encoded) and answer with its Markdown."""
    form = ImageForm(prefix="image")
    upload = form.image.data
    try:
        if upload is None or not getattr(upload, "filename", None):
            raise UploadRefused(gettext("Choose an image file to upload."))
        stored = store_image(upload.stream)
    except UploadRefused as refusal:
        return answer(error=str(refusal), status=refusal.status)
    alt = alt_text(form.alt.data or "", upload.filename)
    db.session.add(Image.of(stored, alt, current_user.id))
    db.session.commit()
    markdown = f"![{alt}]({url_for('media.image', name=stored.name)})"
    return answer(markdown=markdown)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):
    """An upload far over the limit is cut off by Werkzeug; say so in the upload form's words."""
    if request.endpoint != "admin.upload_image" or not signed_in_staff():
        return error  # anyone else is told no more than that the request was too large
    return answer(
        error=gettext("That file is larger than %(size)s MB.", size=format(limits()[0] / 1024 / 1024, "g")),
        status=413,
    )


def upload_context() -> dict:
    """What the editor page needs to show the upload form."""
    return {"image_form": ImageForm(prefix="image"), "upload_limit_mb": f"{limits()[0] / 1024 / 1024:g}"}


def answer(markdown: str | None = None, error: str | None = None, status: int = 200):
    response = page_or_fragment(
        "admin/upload_result.html", "admin/_upload_result.html", status, markdown=markdown, error=error
    )
    if markdown and wants_partial():
        # ensure_ascii (json's default) keeps the header Latin-1 safe whatever the alt text.
        response.headers["HX-Trigger"] = json.dumps({"image-uploaded": {"markdown": markdown}})
    return response


def alt_text(typed: str, filename: str | None) -> str:
    """The alt text typed, else words from the file's name; without Markdown's bracket characters."""
    text = typed.strip() or re.sub(r"[_\-.]+", " ", PurePath((filename or "").replace("\\", "/")).stem)
    text = re.sub(r"[\[\]\\\r\n\t]+", " ", text)
    return " ".join(text.split())[:200] or "image"
